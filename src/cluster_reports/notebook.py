"""What the notebooks call: the same code as the CLI, with inline tables, charts and file links.

Notebooks stay thin: a parameters cell, then a few calls here. A wrong parameter raises
``ParameterError``, which Jupyter shows as one clear message instead of a traceback.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import pandas as pd

from cluster_reports import render, resources
from cluster_reports.compose import charts as drawing
from cluster_reports.compose import composer
from cluster_reports.documents import i18n, registry
from cluster_reports.domain import summary
from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.inputs import params_io, publication
from cluster_reports.inputs.params_io import LoadedParams
from cluster_reports.inputs.schema import ClusterParams


class ParameterError(Exception):
    """A notebook parameter is wrong; the message says which and why."""

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of a traceback
        return [f"\x1b[31mParameterError\x1b[0m: {self}"]


class ReviewConflictError(Exception):
    """A reviewed Word report conflicts with the new data: it was left alone (the message says
    where the new version and the review report are)."""

    def _render_traceback_(self) -> list[str]:
        return [f"\x1b[33mReview conflict\x1b[0m: {self}"]


def _as_list(value: str | list[str], name: str, allowed: tuple[str, ...]) -> list[str]:
    items = [v.strip() for v in value.split(",")] if isinstance(value, str) else list(value)
    bad = [v for v in items if v not in allowed]
    if bad or not items:
        raise ParameterError(
            f"{name} = {value!r}: use one or more of {', '.join(allowed)} (e.g. {list(allowed)!r})"
        )
    return items


SVG = "image/svg+xml"


class ShownChart:
    """A document's chart as a notebook shows it: the chart (an Altair chart or the house bar chart)
    and its static drawing.

    JupyterLab draws the chart itself, interactive; a viewer that cannot run Vega (the HTML copy of
    an executed notebook, made by nbconvert) takes the SVG, drawn as the documents draw it. Anything
    else is the chart's own: ``shown.chart`` or its attributes (``shown.to_dict()``).
    """

    def __init__(self, chart, alt: str, locale: str):
        self.chart, self.alt, self.locale = chart, alt, locale

    def __getattr__(self, name: str):
        # Not the chart's _repr_*_ (this object's bundle is the one shown), nor its own fields while
        # it is being copied or unpickled (no recursion).
        if name.startswith("_") or name in ("chart", "alt", "locale"):
            raise AttributeError(name)
        return getattr(self.chart, name)

    def __repr__(self) -> str:
        return f"ShownChart({self.chart!r})"

    def _repr_mimebundle_(self, include=None, exclude=None):
        shown = self.chart._repr_mimebundle_(include, exclude)
        data, metadata = shown if isinstance(shown, tuple) else (shown, {})
        data, metadata = dict(data), dict(metadata or {})
        if (include is None or SVG in include) and not (exclude and SVG in exclude):
            # The drawing is cached: the documents written later in the same kernel reuse it.
            data[SVG] = drawing.render(self.chart, self.alt, self.locale).svg
            metadata[SVG] = {"alt": self.alt}
        return data, metadata


class Session:
    """One cluster, as a notebook works with it."""

    def __init__(self, cluster: str | None, params_root: str | Path, languages: str | list[str],
                 formats: str | list[str], output_dir: str | Path, documents: str | list[str],
                 templates: str | Path | None = None, programmes: str | Path | None = None):
        self.languages = _as_list(languages, "languages", i18n.LANGUAGES)
        self.formats = _as_list(formats, "formats", render.FORMATS)
        self.documents = _as_list(documents, "documents", tuple(registry.KINDS))
        self.params_root = Path(params_root)
        self.output_dir = Path(output_dir)
        try:
            self.templates = resources.templates(templates)
            self.programmes = resources.programmes(programmes)
        except resources.ResourceError as exc:
            raise ParameterError(str(exc)) from None
        if not cluster:  # the general edition of a kind that has one (the facilitator guideline)
            not_general = [k for k in self.documents if not registry.KINDS[k].general]
            if not_general:
                raise ParameterError(f"cluster = {cluster!r}: {', '.join(not_general)} needs a cluster id")
            self.loaded, self.peers = None, []
            return
        self.loaded = self._load(cluster)
        for kind in self.documents:
            reason = registry.unavailable_reason(self.loaded, kind)
            if reason:
                raise ParameterError(reason)
        peers, _ = (params_io.load_many([self.params_root], self.programmes) if self.params_root.is_dir()
                    else ([], []))
        by_id = {p.params.id: p for p in peers}
        by_id[self.params.id] = self.loaded
        self.peers: list[ClusterSummary] = [summary.summarise(p) for p in by_id.values()]

    def _load(self, cluster: str) -> LoadedParams:
        path = Path(cluster)
        if path.suffix.lower() == ".xlsx":
            path = self._import_workbook(path)
        if not (path.suffix in params_io.PARAMS_SUFFIXES or path.exists()):
            if not self.params_root.is_dir():
                raise ParameterError(
                    f"params_root = {str(self.params_root)!r}: no such folder "
                    f"(working folder: {os.getcwd()})"
                )
            try:
                path = params_io.find_by_id(cluster, self.params_root)
            except params_io.ParamsError as exc:
                raise ParameterError(
                    f"cluster = {cluster!r}: no params file with that id under {self.params_root}"
                ) from exc
        try:
            return params_io.load_file(path, self.programmes)
        except params_io.ParamsError as exc:
            raise ParameterError(
                "the params file is invalid:\n" + "\n".join(f"  {p}" for p in exc.problems)
            ) from exc

    def _import_workbook(self, workbook: Path) -> Path:
        """A cluster kept in a workbook: imported into the params files under ``params_root`` first,
        as ``cluster-reports import`` does (nothing written if any cell is wrong); its params file."""
        from cluster_reports.inputs.workbook import importing, read

        if not workbook.is_file():
            raise ParameterError(
                f"cluster = {str(workbook)!r}: no such workbook (working folder: {os.getcwd()})")
        lang = self.languages[0]
        try:
            outcome = importing.check(workbook, self.params_root, self.programmes, lang)
        except read.WorkbookError as exc:
            raise ParameterError(str(exc)) from None
        if outcome.problems:
            raise ParameterError(f"{workbook.name}: {len(outcome.problems)} "
                                 + ("masalah; tidak ada berkas yang ditulis" if lang == "id"
                                    else "problem(s); no file written") + ":\n"
                                 + "\n".join(f"  {p}" for p in outcome.problems))
        importing.write(outcome)
        for path in outcome.written:
            print(("ditulis" if lang == "id" else "written"), path)
        return next(iter(outcome.files))  # the cluster's own file comes first

    @property
    def params(self) -> ClusterParams:
        return self.loaded.params

    def _context(self, kind: str, lang: str) -> tuple[dict, i18n.Labels]:
        if kind not in self.documents:
            raise ParameterError(f"{kind!r} is not among this notebook's documents {self.documents}")
        labels = i18n.labels(self.templates, lang)
        return composer.make_context(self.loaded, kind, self.peers, labels), labels

    def tables(self, lang: str = "en", kind: str | None = None) -> dict[str, pd.DataFrame]:
        """A document's key tables, with the document's labels as column names."""
        kind = kind or self.documents[0]
        context, labels = self._context(kind, lang)
        return registry.KINDS[kind].tables(context, labels)

    def charts(self, lang: str = "en", kind: str | None = None) -> dict[str, ShownChart]:
        """A document's charts, which Jupyter draws inline (see ``ShownChart``)."""
        kind = kind or self.documents[0]
        context, labels = self._context(kind, lang)
        fmt = i18n.Formatter(lang)
        specs = registry.KINDS[kind].charts(context, labels, fmt)
        return {name: ShownChart(chart, alt, fmt.locale) for name, (chart, alt) in specs.items()}

    def _publication(self):
        """The covers' defaults of a general edition: the publication.yaml above the params root."""
        try:
            defaults = publication.for_params(self.params_root)
        except params_io.ParamsError as exc:
            raise ParameterError(
                "the publication file is invalid:\n" + "\n".join(f"  {p}" for p in exc.problems)
            ) from None
        return defaults.publication if defaults else None

    def render(self) -> list[Path]:
        if self.loaded is None:
            outcome = render.render_general(
                self.documents, self.languages, self.formats, self.output_dir, self.templates,
                self._publication(),
            )
        else:
            outcome = render.render_cluster(
                self.loaded, self.documents, self.languages, self.formats, self.output_dir,
                self.peers, self.templates,
            )
        from cluster_reports.review.outcome import CONFLICT
        from cluster_reports.review.report import review_summary

        if outcome.error and all(line.startswith(CONFLICT) for line in outcome.error.splitlines()):
            raise ReviewConflictError(outcome.error)  # the reviewer's file is left alone
        if outcome.error:
            raise ParameterError(f"rendering {outcome.cluster_id} failed: {outcome.error}")
        for review in outcome.reviews:  # what became of a reviewer's work, as the console says it
            print(f"reviewed: {review.path}: {review_summary(review)}; report {review.report}")
        for stale in outcome.stale:  # shown in the executed notebook, the run's audit trail
            print(f"warning: {stale.message()}")
        # The pages link back to the list of the output folder's documents (a batch writes its own).
        from cluster_reports.batch import index_page

        names = {item.id: f"{item.name_en} / {item.name_id}" for item in self.peers}
        index_page.write_folder(self.output_dir, self.templates, self.languages[0], names,
                                only_refresh="html" not in self.formats)
        return outcome.written


def links(paths: list[Path]):
    """An HTML list of links to the written files, for display in the notebook."""
    from IPython.display import HTML

    items = "".join(
        f'<li><a href="{html.escape(os.path.relpath(p))}" target="_blank">'
        f"{html.escape(str(p))}</a></li>"
        for p in paths
    )
    return HTML(f"<ul>{items}</ul>")
