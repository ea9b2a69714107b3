"""What the notebooks call: the same code as the CLI, with inline tables, charts and file links.

Notebooks stay thin: a parameters cell, then a few calls here. A wrong parameter raises
``ParameterError``, which Jupyter shows as one clear message instead of a traceback.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import pandas as pd

from . import compose, firms, i18n, params_io, profile, render, templating
from .params_io import LoadedParams
from .schema import ClusterParams


class ParameterError(Exception):
    """A notebook parameter is wrong; the message says which and why."""

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of a traceback
        return [f"\x1b[31mParameterError\x1b[0m: {self}"]


def _as_list(value: str | list[str], name: str, allowed: tuple[str, ...]) -> list[str]:
    items = [v.strip() for v in value.split(",")] if isinstance(value, str) else list(value)
    bad = [v for v in items if v not in allowed]
    if bad or not items:
        raise ParameterError(
            f"{name} = {value!r}: use one or more of {', '.join(allowed)} (e.g. {list(allowed)!r})"
        )
    return items


class Session:
    """One cluster, as a notebook works with it."""

    def __init__(self, cluster: str, params_root: str | Path, languages: str | list[str],
                 formats: str | list[str], output_dir: str | Path, documents: str | list[str]):
        self.languages = _as_list(languages, "languages", i18n.LANGUAGES)
        self.formats = _as_list(formats, "formats", render.FORMATS)
        self.documents = _as_list(documents, "documents", tuple(compose.KINDS))
        self.params_root = Path(params_root)
        self.output_dir = Path(output_dir)
        self.loaded = self._load(cluster)
        peers, _ = params_io.load_many([self.params_root]) if self.params_root.is_dir() else ([], [])
        by_id = {p.params.id: p.params for p in peers}
        by_id[self.params.id] = self.params
        self.peers: list[ClusterParams] = list(by_id.values())
        self.templates = templating.templates_dir()

    def _load(self, cluster: str) -> LoadedParams:
        path = Path(cluster)
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
            return params_io.load_file(path)
        except params_io.ParamsError as exc:
            raise ParameterError(
                "the params file is invalid:\n" + "\n".join(f"  {p}" for p in exc.problems)
            ) from exc

    @property
    def params(self) -> ClusterParams:
        return self.loaded.params

    def tables(self, lang: str = "en") -> dict[str, pd.DataFrame]:
        """The key tables of the profile, with the document's labels as column names."""
        labels = i18n.labels(self.templates, lang)
        structure = firms.structure(self.params)
        sizes = pd.DataFrame(
            [(labels(f"size.{r.size}"), r.firms, r.share_pct) for r in structure.rows],
            columns=[labels("head.size_class"), labels("head.firms"), labels("head.share")],
        )
        conditions = pd.DataFrame(
            [(r.label, r.score, r.note) for r in profile.assessment_rows(self.params, labels)],
            columns=[labels("head.condition"), labels("head.score"), labels("head.assessment")],
        )
        selection = pd.DataFrame(
            [(r.name, r.growth, r.action, r.percentage, r.rank)
             for r in profile.peer_rows(self.params, self.peers, lang)],
            columns=[labels("head.cluster"), labels("head.growth"), labels("head.action"),
                     labels("head.percentage"), labels("head.rank")],
        )
        return {"firm_sizes": sizes, "conditions": conditions, "selection": selection}

    def charts(self, lang: str = "en") -> dict:
        """The profile's charts as Altair objects, which Jupyter draws inline."""
        labels = i18n.labels(self.templates, lang)
        context = profile.context(self.params, self.peers, labels)
        specs = profile.chart_specs(context, labels, i18n.Formatter(lang))
        return {name: chart for name, (chart, _alt) in specs.items()}

    def render(self) -> list[Path]:
        outcome = render.render_cluster(
            self.loaded, self.documents, self.languages, self.formats, self.output_dir,
            self.peers, self.templates,
        )
        if outcome.error:
            raise ParameterError(f"rendering {self.params.id} failed: {outcome.error}")
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
