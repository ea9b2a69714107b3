"""Rendering: documents of clusters written to their places in the output folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cluster_reports import storage
from cluster_reports.compose import composer
from cluster_reports.compose.tree import Document, StaleWording
from cluster_reports.documents import i18n, province_summary, registry
from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.inputs.params_io import LoadedParams
from cluster_reports.inputs.schema import ClusterParams, Publication
from cluster_reports.review.outcome import Review, ReviewConflict

if TYPE_CHECKING:
    from cluster_reports.writers.html import Navigation

FORMATS = ("docx", "html")
GENERAL = "general"  # output folder of the editions written for no particular cluster


@dataclass
class Outcome:
    cluster_id: str
    source: Path | None
    written: list[Path] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)  # reasons, one per document kind skipped
    error: str | None = None
    reviews: list[Review] = field(default_factory=list)  # reviewed .docx files regenerated
    stale: list[StaleWording] = field(default_factory=list)  # reviewed wording quoting old figures


def output_path(out: Path, params: ClusterParams | None, kind: str, lang: str, fmt: str) -> Path:
    if params is None:
        return out / GENERAL / f"{kind}.{lang}.{fmt}"
    province = params.location.province_record.slug
    return out / province / params.id / f"{kind}.{lang}.{fmt}"


def rollup_path(out: Path, kind: str, province_slug: str | None, lang: str, fmt: str) -> Path:
    """A province's roll-up beside its clusters' folders; the national one at the top."""
    folder = out / province_slug if province_slug else out
    return folder / f"{kind}.{lang}.{fmt}"


def check_choices(kinds: list[str], langs: list[str], formats: list[str]) -> list[str]:
    problems = []
    known = [*registry.KINDS, *registry.ROLLUPS]
    for kind in kinds:
        if kind not in known:
            problems.append(f"--doc: unknown document {kind!r} (choose from {', '.join(known)})")
    for lang in langs:
        if lang not in i18n.LANGUAGES:
            problems.append(f"--lang: unknown language {lang!r} (choose from {', '.join(i18n.LANGUAGES)})")
    for fmt in formats:
        if fmt not in FORMATS:
            problems.append(f"--format: unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return problems


def output_root(path: Path, doc: Document) -> Path:
    """The output folder a document's page was written under (where ``index.html`` lies)."""
    kind = doc.properties.document_kind
    if kind in registry.ROLLUPS:
        return path.parent.parent if registry.ROLLUPS[kind].per_province else path.parent
    return path.parents[2] if doc.properties.cluster_id else path.parent.parent


def write(doc: Document, path: Path, fmt: str, templates: Path, nav: Navigation | None = None,
          planned: frozenset[Path] = frozenset()) -> Review | None:
    """Write one document; for a .docx already there, what was kept of a reviewer's work (raises
    ``ReviewConflict`` when their edits and the new data collide: the file is left alone).

    An HTML page gets ``nav`` or the bar of a cluster's page: links to the pages beside it (on disk
    or in ``planned``, the pages this call writes); the pages beside it are given bars that link to
    the new one."""
    # Imported here so that `validate` and `schema` do not pay for python-docx and the writers.
    from cluster_reports import navigation
    from cluster_reports.review import merge
    from cluster_reports.writers import html as html_writer

    if fmt == "docx":
        return merge.write_docx(doc, path, templates / "reference.docx")
    root = output_root(path, doc)
    kind, lang = doc.properties.document_kind, doc.properties.lang
    if nav is None:
        nav = navigation.for_page(path, root, kind, lang, templates, planned)
    html_writer.write_html(doc, path, templates, nav=nav)
    if kind in registry.KINDS:
        navigation.refresh_siblings(path, root, templates)
    return None


def _write_all(documents: list[tuple[str, str, Document]], formats: list[str], templates: Path,
               outcome: Outcome, path_of, nav_of=None) -> None:
    """Write every document in every format; a conflicting .docx fails alone, the rest are written.

    ``nav_of(kind, lang, path, planned)`` gives an HTML page's navigation bar (default: a cluster's)."""
    conflicts = []
    planned = frozenset(path_of(kind, lang, "html") for kind, lang, _ in documents if "html" in formats)
    for kind, lang, doc in documents:
        for fmt in formats:
            path = path_of(kind, lang, fmt)
            nav = nav_of(kind, lang, path, planned) if nav_of and fmt == "html" else None
            try:
                review = write(doc, path, fmt, templates, nav, planned)
            except ReviewConflict as exc:
                outcome.reviews.append(exc.review)
                conflicts.append(str(exc))
                continue
            outcome.written.append(path)
            if review is not None and (review.worth_reporting or review.trail_closed):
                outcome.reviews.append(review)
    if conflicts:
        outcome.error = "\n".join(conflicts)


def render_cluster(loaded: LoadedParams, kinds: list[str], langs: list[str], formats: list[str],
                   out: Path, peers: list[ClusterSummary], templates: Path) -> Outcome:
    """Compose every document first, then write: a cluster whose composition fails writes nothing.

    A kind the cluster has no data for (no plan for the action plan) is skipped with its reason.
    """
    outcome = Outcome(loaded.params.id, loaded.path)
    try:
        documents = []
        for kind in kinds:
            reason = registry.unavailable_reason(loaded, kind)
            if reason:
                outcome.unavailable.append(reason)
                continue
            for lang in langs:
                documents.append((kind, lang, composer.compose(loaded, kind, lang, peers, templates)))
                outcome.stale += documents[-1][2].stale
        _write_all(documents, formats, templates, outcome,
                   lambda kind, lang, fmt: output_path(out, loaded.params, kind, lang, fmt))
    except Exception as exc:  # noqa: BLE001 - reported per cluster, the others go on
        storage.stop_on(exc, out)  # a full or read-only disk fails every cluster after: it ends the run
        outcome.error = f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc)
    return outcome


def render_general(kinds: list[str], langs: list[str], formats: list[str], out: Path,
                   templates: Path, publication: Publication | None = None) -> Outcome:
    """The general editions (for no particular cluster) of the kinds that have one; their covers
    take ``publication``, the project's defaults."""
    outcome = Outcome(GENERAL, None)
    try:
        documents = [
            (kind, lang, composer.compose(None, kind, lang, [], templates, publication))
            for kind in kinds
            if registry.KINDS[kind].general
            for lang in langs
        ]
        _write_all(documents, formats, templates, outcome,
                   lambda kind, lang, fmt: output_path(out, None, kind, lang, fmt))
    except Exception as exc:  # noqa: BLE001 - reported, like a cluster's failure
        storage.stop_on(exc, out)
        outcome.error = f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc)
    return outcome


def render_rollups(kinds: list[str], summaries: list[ClusterSummary], langs: list[str],
                   formats: list[str], out: Path, templates: Path,
                   publication: Publication | None = None,
                   programmes: Path | None = None) -> list[Outcome]:
    """Every province's roll-up and the national one, as asked for in ``kinds``; one outcome each."""
    jobs: list[tuple[str, str | None, list[ClusterSummary]]] = []
    for kind in (k for k in kinds if k in registry.ROLLUPS):
        if registry.ROLLUPS[kind].per_province:
            provinces: dict[str, list[ClusterSummary]] = {}
            for item in summaries:
                provinces.setdefault(item.province_slug, []).append(item)
            # Each with the clusters of other provinces in its selection rounds, for the round ranks.
            jobs += [(kind, slug, province_summary.members(summaries, slug)) for slug in sorted(provinces)]
        else:
            jobs.append((kind, None, summaries))
    # Each roll-up's page links to the others this call writes (a province's to the national one).
    planned = frozenset(rollup_path(out, kind, key, lang, "html")
                        for kind, key, _ in jobs for lang in langs if "html" in formats)
    return [render_rollup(kind, members, key, langs, formats, out, templates, planned,
                          publication, programmes)
            for kind, key, members in jobs]


def render_rollup(kind: str, summaries: list[ClusterSummary], key: str | None, langs: list[str],
                  formats: list[str], out: Path, templates: Path,
                  also_planned: frozenset[Path] = frozenset(),
                  publication: Publication | None = None,
                  programmes: Path | None = None) -> Outcome:
    """``programmes``: the library whose national programmes the roll-up presents (None: shipped)."""
    outcome = Outcome(f"{kind}:{key or 'national'}", None)
    try:
        from cluster_reports import navigation

        documents = [(kind, lang, composer.compose_rollup(kind, summaries, key, lang, templates,
                                                          publication, programmes))
                     for lang in langs]
        _write_all(documents, formats, templates, outcome,
                   lambda kind, lang, fmt: rollup_path(out, kind, key, lang, fmt),
                   lambda kind, lang, path, planned: navigation.for_rollup(
                       path, out, kind, lang, templates, summaries, planned | also_planned))
    except Exception as exc:  # noqa: BLE001 - reported like a cluster's failure; the others go on
        storage.stop_on(exc, out)
        outcome.error = f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc)
    return outcome
