"""Composition: a cluster's params, a document kind and a language become a Document tree.

One way for every kind: the kind's context (plain data) goes through its template to Markdown,
the Markdown is parsed into the tree, and the charts the template uses are rendered.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import __version__, charts, i18n, markdown, profile, templating
from .document import Document, Figure, Properties
from .params_io import LoadedParams
from .schema import ClusterParams


@dataclass(frozen=True)
class Kind:
    name: str
    context: Callable[[ClusterParams, list[ClusterParams], i18n.Labels], dict]
    charts: Callable[[dict, i18n.Labels, i18n.Formatter], dict]


KINDS: dict[str, Kind] = {
    "profile": Kind("profile", profile.context, profile.chart_specs),
}


class ComposeError(ValueError):
    pass


def generation_date() -> dt.date:
    """Today, or SOURCE_DATE_EPOCH's day for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def compose(loaded: LoadedParams, kind: str, lang: str, peers: list[ClusterParams],
            templates: Path) -> Document:
    spec = KINDS.get(kind)
    if spec is None:
        raise ComposeError(f"unknown document kind {kind!r}: choose from {', '.join(KINDS)}")
    params = loaded.params
    labels = i18n.labels(templates, lang)
    fmt = i18n.Formatter(lang)
    context = spec.context(params, peers, labels)
    context.update(generated=generation_date(), version=__version__, kind=kind)
    source = templating.render(templates, f"{kind}/{lang}.md.j2", lang, context)
    nodes = markdown.parse(source)
    specs = spec.charts(context, labels, fmt)
    rendered = {}
    for node in nodes:
        if isinstance(node, Figure):
            if node.chart not in specs:
                raise ComposeError(f"template uses chart '{node.chart}', which {kind} does not make")
            chart, alt_text = specs[node.chart]
            rendered[node.chart] = charts.render(chart, alt_text, fmt.locale)
            node.alt = node.alt or alt_text
    title = f"{labels(f'document.{kind}')}: {params.name.get(lang)}"
    properties = Properties(
        title=title,
        subject=labels(f"group.{params.group.value}"),
        lang=lang,
        cluster_id=params.id,
        params_hash=loaded.sha256,
        generator_version=__version__,
        document_kind=kind,
        keywords=[
            params.name.get(lang),
            params.location.regency_record.name,
            params.location.province_record.name,
            *(p.name.get(lang) for p in params.products),
        ],
    )
    writer_words = {k: labels(f"writer.{k}") for k in ("table", "figure", "contents")}
    return Document(nodes, rendered, properties, writer_words)
