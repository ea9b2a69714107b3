"""The batch's index page (OUT/index.html): every province, cluster and document with its status and
links, the roll-ups, and every failure with its message. Made from the manifest, so it lists what
earlier runs rendered as well as this run's work."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import jinja2

from cluster_reports import __version__, render
from cluster_reports.atomic import write_text_atomic
from cluster_reports.documents import i18n, registry
from cluster_reports.documents.markdown_text import remove_controls
from cluster_reports.inputs import regions

from .engines import notebook_html_path
from .manifest import FAILED, FILENAME, RENDERED, UNAVAILABLE, DocumentRow, Manifest, rollup_subject

TEMPLATE = "html/index.html.j2"
NATIONAL = "national"


@dataclass
class Link:
    label: str  # e.g. "id docx"
    href: str | None
    status: str  # rendered | up to date | failed | not available | missing
    error: str | None = None


@dataclass
class DocumentEntry:
    kind: str
    links: list[Link]


@dataclass
class ClusterEntry:
    source: str
    cluster_id: str
    name: str
    status: str
    documents: list[DocumentEntry]
    notebooks: list[Link] = field(default_factory=list)


@dataclass
class ProvinceEntry:
    slug: str
    name: str
    rollups: list[DocumentEntry] = field(default_factory=list)
    clusters: list[ClusterEntry] = field(default_factory=list)


@dataclass
class Failure:
    subject: str
    what: str
    message: str


@dataclass
class Index:
    generated: str
    run_id: int
    counts: dict[str, int]
    national: list[DocumentEntry]
    provinces: list[ProvinceEntry]
    failures: list[Failure]
    general: list[DocumentEntry] = field(default_factory=list)  # editions for no particular cluster


def _href(path: str) -> str:
    return "/".join(quote(part) for part in Path(path).parts)


def _link(row: DocumentRow | None, lang: str, fmt: str, run_id: int) -> Link:
    label = f"{lang} {fmt}"
    if row is None:
        return Link(label, None, "missing")
    if row.status == RENDERED:
        return Link(label, _href(row.path), "rendered" if row.run_id == run_id else "up to date")
    return Link(label, None, row.status, row.error)


def _entries(
    subject: str, kinds: list[str], langs: list[str], formats: list[str], docs: dict, run_id: int
) -> list[DocumentEntry]:
    return [
        DocumentEntry(
            kind,
            [
                _link(docs.get((subject, kind, lang, fmt)), lang, fmt, run_id)
                for lang in langs
                for fmt in formats
            ],
        )
        for kind in kinds
    ]


def build(
    manifest: Manifest,
    run_id: int,
    kinds: list[str],
    langs: list[str],
    formats: list[str],
    sources: list[str],
    out: Path,
    notebooks: bool = False,
) -> Index:
    clusters = manifest.clusters()
    docs = manifest.documents()
    cluster_kinds = [k for k in kinds if k in registry.KINDS]
    provinces: dict[str, ProvinceEntry] = {}
    failures: list[Failure] = []
    counts = {"clusters": 0, "rendered": 0, "up to date": 0, "failed": 0, "not available": 0}
    for source in sorted(sources):
        row = clusters.get(source)
        summary = row.summary if row else None
        # A file that could not be read is listed under its folder (clusters are filed by province).
        slug = summary["province_slug"] if summary else Path(source).parent.name or "(top)"
        province = provinces.setdefault(slug, ProvinceEntry(slug, summary["province"] if summary else slug))
        entries = _entries(source, cluster_kinds, langs, formats, docs, run_id)
        statuses = {link.status for e in entries for link in e.links}
        if row is not None and row.status == FAILED:
            status = FAILED
            failures.append(Failure(source, "params", row.error or ""))
        elif FAILED in statuses or "missing" in statuses:
            status = FAILED
        elif "rendered" in statuses:
            status = "rendered"
        elif "up to date" in statuses:
            status = "up to date"
        else:
            status = UNAVAILABLE
        if row is None or row.status != FAILED:
            failures += _doc_failures(source, entries)
        name = f"{summary['name_en']} / {summary['name_id']}" if summary else Path(source).stem
        entry = ClusterEntry(source, summary["id"] if summary else Path(source).stem, name, status, entries)
        if notebooks and summary:
            entry.notebooks = _notebooks(out, slug, summary["id"], cluster_kinds)
        province.clusters.append(entry)
        counts["clusters"] += 1
        for link in (x for e in entries for x in e.links):
            counts[link.status if link.status != "missing" else FAILED] += 1
    national: list[DocumentEntry] = []
    for kind in (k for k in kinds if k in registry.ROLLUPS):
        if registry.ROLLUPS[kind].per_province:
            for province in provinces.values():
                subject = rollup_subject(province.slug)
                if any(key[0] == subject and key[1] == kind for key in docs):
                    province.rollups += _entries(subject, [kind], langs, formats, docs, run_id)
                    failures += _doc_failures(subject, province.rollups[-1:])
        elif any(key[0] == NATIONAL and key[1] == kind for key in docs):
            national += _entries(NATIONAL, [kind], langs, formats, docs, run_id)
            failures += _doc_failures(NATIONAL, national[-1:])
    return Index(
        time.strftime("%Y-%m-%d %H:%M"),
        run_id,
        counts,
        national,
        sorted(provinces.values(), key=lambda p: p.name),
        failures,
    )


def _doc_failures(subject: str, entries: list[DocumentEntry]) -> list[Failure]:
    """One line per distinct message of a document kind (its languages and formats share one)."""
    found: dict[tuple[str, str], list[str]] = {}
    for entry in entries:
        for link in entry.links:
            if link.status in (FAILED, "missing"):
                message = link.error or "not rendered"
                found.setdefault((entry.kind, message), []).append(link.label)
    return [
        Failure(subject, f"{kind} ({', '.join(labels)})", message)
        for (kind, message), labels in found.items()
    ]


def _notebooks(out: Path, slug: str, cluster_id: str, kinds: list[str]) -> list[Link]:
    """Each kind's executed notebook and its HTML copy (for a browser), labelled by format as the
    documents' links are."""
    links = []
    for kind in kinds:
        executed = Path(slug, cluster_id, f"{kind}.ipynb")
        for fmt, rel in (("ipynb", executed), ("html", notebook_html_path(executed))):
            if (out / rel).is_file():
                links.append(Link(f"{kind} {fmt}", _href(str(rel)), "rendered"))
    return links


def _environment(templates: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _write_page(out: Path, index: Index, lang: str, templates: Path) -> Path:
    html = _environment(templates).get_template(TEMPLATE).render(
        index=index,
        lang=lang,
        t=i18n.labels(templates, lang),
        generator=f"cluster-reports {__version__}",
    )
    path = out / "index.html"
    write_text_atomic(path, remove_controls(html))  # an error message may quote a control character
    return path


def write(
    out: Path,
    manifest: Manifest,
    run_id: int,
    kinds: list[str],
    langs: list[str],
    formats: list[str],
    sources: list[str],
    templates: Path,
    notebooks: bool = False,
) -> Path:
    index = build(manifest, run_id, kinds, langs, formats, sources, out, notebooks)
    lang = next((lang for lang in langs if lang in i18n.LANGUAGES), "en")  # the operator's first choice
    return _write_page(out, index, lang, templates)


# --- the index of an output folder that `render` (not the batch) writes into ------------------


def _folder_entries(folder: Path, out: Path, kinds) -> list[DocumentEntry]:
    """The documents in ``folder`` of the given kinds, each with a link per language and format."""
    entries = []
    for kind in kinds:
        links = [
            Link(f"{lang} {fmt}", _href(str((folder / f"{kind}.{lang}.{fmt}").relative_to(out))), "rendered")
            for lang in i18n.LANGUAGES
            for fmt in render.FORMATS
            if (folder / f"{kind}.{lang}.{fmt}").is_file()
        ]
        if links:
            entries.append(DocumentEntry(kind, links))
    return entries


def build_folder(out: Path, names: dict[str, str] | None = None) -> Index:
    """What is in an output folder, found on disk: the layout ``render`` writes (see render.py)."""
    names = names or {}
    province_names = {p.slug: p.name for p in regions.provinces().values()}
    rollup_kinds = [k for k, spec in registry.ROLLUPS.items() if spec.per_province]
    national_kinds = [k for k, spec in registry.ROLLUPS.items() if not spec.per_province]
    provinces = []
    files = 0
    clusters = 0
    for folder in sorted(p for p in out.iterdir() if p.is_dir() and p.name != render.GENERAL):
        province = ProvinceEntry(folder.name, province_names.get(folder.name, folder.name),
                                 _folder_entries(folder, out, rollup_kinds))
        for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
            documents = _folder_entries(sub, out, registry.KINDS)
            if documents:
                province.clusters.append(ClusterEntry(f"{folder.name}/{sub.name}", sub.name,
                                                      names.get(sub.name, sub.name), "rendered", documents))
        if province.clusters or province.rollups:
            provinces.append(province)
            clusters += len(province.clusters)
            files += sum(len(e.links) for c in province.clusters for e in c.documents)
            files += sum(len(e.links) for e in province.rollups)
    national = _folder_entries(out, out, national_kinds)
    general = _folder_entries(out / render.GENERAL, out, [k for k, s in registry.KINDS.items() if s.general])
    files += sum(len(e.links) for e in [*national, *general])
    counts = {"clusters": clusters, "files": files}
    return Index(time.strftime("%Y-%m-%d %H:%M"), 0, counts, national,
                 sorted(provinces, key=lambda p: p.name), [], general)


def write_folder(out: Path, templates: Path, lang: str, names: dict[str, str] | None = None,
                 only_refresh: bool = False) -> Path | None:
    """Write or refresh ``OUT/index.html``, the list of every document in the output folder, which
    the HTML pages link to. A batch's folder (it has the batch's manifest) keeps the batch's index:
    the batch writes it from its manifest. ``only_refresh``: write it only where one is already there
    (a run that wrote no HTML page keeps an existing list true and adds none)."""
    path = out / "index.html"
    if (out / FILENAME).exists() or not out.is_dir() or (only_refresh and not path.is_file()):
        return None
    return _write_page(out, build_folder(out, names), lang, templates)
