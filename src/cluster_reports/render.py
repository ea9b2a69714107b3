"""Rendering: documents of clusters written to their places in the output folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import compose, i18n
from .params_io import LoadedParams
from .schema import ClusterParams

FORMATS = ("docx", "html")


@dataclass
class Outcome:
    cluster_id: str
    source: Path
    written: list[Path] = field(default_factory=list)
    error: str | None = None


def output_path(out: Path, params: ClusterParams, kind: str, lang: str, fmt: str) -> Path:
    province = params.location.province_record.slug
    return out / province / params.id / f"{kind}.{lang}.{fmt}"


def check_choices(kinds: list[str], langs: list[str], formats: list[str]) -> list[str]:
    problems = []
    for kind in kinds:
        if kind not in compose.KINDS:
            problems.append(f"--doc: unknown document {kind!r} (choose from {', '.join(compose.KINDS)})")
    for lang in langs:
        if lang not in i18n.LANGUAGES:
            problems.append(f"--lang: unknown language {lang!r} (choose from {', '.join(i18n.LANGUAGES)})")
    for fmt in formats:
        if fmt not in FORMATS:
            problems.append(f"--format: unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return problems


def render_cluster(loaded: LoadedParams, kinds: list[str], langs: list[str], formats: list[str],
                   out: Path, peers: list[ClusterParams], templates: Path) -> Outcome:
    """Compose every document first, then write: a cluster whose composition fails writes nothing."""
    # Imported here so that `validate` and `schema` do not pay for python-docx and the writers.
    from .writers import docx as docx_writer
    from .writers import html as html_writer

    outcome = Outcome(loaded.params.id, loaded.path)
    try:
        documents = [
            (kind, lang, compose.compose(loaded, kind, lang, peers, templates))
            for kind in kinds
            for lang in langs
        ]
        for kind, lang, doc in documents:
            for fmt in formats:
                path = output_path(out, loaded.params, kind, lang, fmt)
                if fmt == "docx":
                    docx_writer.write_docx(doc, path, templates / "reference.docx")
                else:
                    html_writer.write_html(doc, path, templates)
                outcome.written.append(path)
    except Exception as exc:  # noqa: BLE001 - reported per cluster, the others go on
        outcome.error = f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc)
    return outcome
