"""Composition: a cluster's params, a document kind and a language become a Document tree.

One way for every kind: the kind's context (plain data) goes through its template to Markdown,
the Markdown is parsed into the tree, and the charts the template uses are rendered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from cluster_reports import __version__
from cluster_reports.documents import cover, facilitation, i18n, national_programmes
from cluster_reports.documents.markdown_text import inert, inert_model, marking
from cluster_reports.documents.registry import (
    KINDS,
    ROLLUPS,
    Charts,
    ComposeError,
    NotAvailable,
    unavailable_reason,
)
from cluster_reports.domain import figures
from cluster_reports.domain.summary import ClusterSummary
from cluster_reports.inputs import files, untranslated
from cluster_reports.inputs.params_io import LoadedParams
from cluster_reports.inputs.schema import Publication
from cluster_reports.inputs.schema.overrides import Span, Wording
from cluster_reports.inputs.schema.publication import image_type

from . import charts, markdown, templating
from .tree import (
    Block,
    BulletList,
    Cover,
    Document,
    Figure,
    Heading,
    Paragraph,
    Properties,
    Run,
    StaleWording,
    Table,
    number_headings,
    plain,
)


def generation_date() -> dt.date:
    """Today, or SOURCE_DATE_EPOCH's day for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def compose(loaded: LoadedParams | None, kind: str, lang: str, peers: list[ClusterSummary],
            templates: Path, publication: Publication | None = None) -> Document:
    """The document of a kind for a cluster; ``loaded=None`` composes a kind's general edition, whose
    cover takes ``publication`` (the project's defaults; a cluster's document takes its own)."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ComposeError(f"unknown document kind {kind!r}: choose from {', '.join(KINDS)}")
    if loaded is None and not spec.general:
        raise ComposeError(f"{kind} is written for a cluster: name one")
    if loaded is not None:
        reason = unavailable_reason(loaded, kind)
        if reason:
            raise NotAvailable(reason)
        loaded = inert_inputs(loaded)
    labels = i18n.labels(templates, lang)
    with marking(labels("untranslated.mark")):
        context = make_context(loaded, kind, peers, labels, publication)
        context["untranslated"] = loaded is not None and untranslated_in(loaded, lang)
        document = _document(kind, lang, context, spec.charts, _properties(loaded, kind, lang, labels),
                             templates, cover_publication(loaded, publication))
    overrides = loaded.parts.get("overrides") if loaded is not None else None
    if overrides is not None:
        stale = apply_overrides(document.nodes, overrides.wording(kind, lang),
                                f"{loaded.path.stem}.overrides.yaml: documents.{kind}", lang)
        document.stale = [StaleWording(kind, block, lang, heading, found)
                          for block, heading, found in stale]
    return document


def inert_inputs(loaded: LoadedParams) -> LoadedParams:
    """The cluster's files with every text value ``inert`` on its own (no control characters, its
    bidirectional controls isolated), before builders and templates join values to other words; the
    Markdown escape does the same for every printed value, but by then a value may be part of a
    longer text that it could reorder. The same object when no text needed it."""
    params = inert_model(loaded.params)
    parts = {name: inert_model(part) for name, part in loaded.parts.items()}
    publication = inert_model(loaded.publication)
    library = loaded.library
    if library is not None and (programmes := inert_model(library.programmes)) is not library.programmes:
        library = dataclasses.replace(library, programmes=programmes)
    if params is loaded.params and publication is loaded.publication and library is loaded.library and all(
            parts[name] is part for name, part in loaded.parts.items()):
        return loaded
    return dataclasses.replace(loaded, params=params, parts=parts, publication=publication, library=library)


def apply_overrides(nodes: list, reviewed: dict[str, Wording | list[str]], where: str,
                    lang: str = "en") -> list[tuple[str, str, tuple[tuple[str, str | None], ...]]]:
    """Blocks take a reviewer's wording (from ``harvest``) in place of the generated text. It is
    plain text, with the bold, italic and links of its spans: a line break stays a line break, and
    nothing is read as markup. Captions and narrative table cells are blocks too: a caption takes
    the words after its number (its paragraphs joined by a space), a cell its paragraphs as lines.

    Returns the blocks whose wording still quotes figures that the text generated when it was
    harvested gave and the one generated now (about to be replaced) no longer gives: (block, its
    heading, ((old figure, new figure or None), ...))."""
    blocks = _reviewable(nodes)
    stale = []
    for block_id, wording in reviewed.items():
        if block_id not in blocks:
            raise ComposeError(
                f"{where}.{block_id}: the document has no such block (its blocks: {', '.join(blocks)})"
            )
        node, texts, replace = blocks[block_id]
        if isinstance(wording, list):  # plain paragraphs, as the first overrides files gave them
            replace([_lines(text) for text in wording])
            continue
        if wording.generated is not None:
            changed = figures.stale(wording.generated, texts(), wording.plain(), lang)
            if changed:
                stale.append((block_id, _heading_of(nodes, node), tuple(changed)))
        replace([_runs(spans) for spans in wording.text])
    return stale


Reviewable = tuple[object, Callable[[], list[str]], Callable[[list[list[Run]]], None]]


def _reviewable(nodes: list) -> dict[str, Reviewable]:
    """Every block of the document, by id: its node, its generated text, and how a reviewer's
    paragraphs replace it."""
    blocks: dict[str, Reviewable] = {}
    for node in nodes:
        if isinstance(node, Block):
            blocks[node.id] = (node, partial(block_texts, node), partial(_set_children, node))
        elif isinstance(node, Table | Figure):
            blocks[node.caption_block] = (node, partial(lambda n: [plain(n.caption)], node),
                                          partial(_set_caption, node))
            for (row, column), block_id in getattr(node, "cell_blocks", {}).items():
                blocks[block_id] = (node, partial(lambda t, r, c: plain(t.rows[r][c]).split("\n"),
                                                  node, row, column),
                                    partial(_set_cell, node, row, column))
    return blocks


def _set_children(block: Block, paragraphs: list[list[Run]]) -> None:
    block.children = _shaped(block, paragraphs)


def _set_caption(node: Table | Figure, paragraphs: list[list[Run]]) -> None:
    runs: list[Run] = []
    for i, paragraph in enumerate(paragraphs):
        if i:
            runs.append(Run(" "))
        runs += [Run(" ", r.bold, r.italic, href=r.href) if r.text == "\n" else r for r in paragraph]
    node.caption = runs


def _set_cell(table: Table, row: int, column: int, paragraphs: list[list[Run]]) -> None:
    runs: list[Run] = []
    for i, paragraph in enumerate(paragraphs):
        if i:
            runs.append(Run("\n"))
        runs += paragraph
    table.rows[row][column] = runs


def _shaped(block: Block, paragraphs: list[list[Run]]) -> list:
    """The reviewer's paragraphs in the shape the block was generated in: the paragraphs before
    its list and after it stay paragraphs, those between are the list's items (a reviewer adds or
    removes items, rarely the sentences around a list)."""
    children = block.children
    lists = [i for i, child in enumerate(children) if isinstance(child, BulletList)]
    if not lists:
        return [Paragraph(runs) for runs in paragraphs]
    lead = sum(isinstance(child, Paragraph) for child in children[:lists[0]])
    trail = sum(isinstance(child, Paragraph) for child in children[lists[-1] + 1:])
    if len(paragraphs) < lead + trail:
        return [Paragraph(runs) for runs in paragraphs]
    end = len(paragraphs) - trail
    items = paragraphs[lead:end]
    return ([Paragraph(runs) for runs in paragraphs[:lead]]
            + ([BulletList(items, ordered=children[lists[0]].ordered)] if items else [])
            + [Paragraph(runs) for runs in paragraphs[end:]])


def block_texts(block: Block) -> list[str]:
    """A block's paragraphs and list items as plain text, as the Word record gives them."""
    texts = []
    for child in block.children:
        if isinstance(child, Paragraph):
            texts.append(plain(child.runs))
        else:
            texts += [plain(item) for item in child.items]
    return texts


def _heading_of(nodes: list, block) -> str:
    heading = ""
    for node in nodes:
        if node is block:
            return heading
        if isinstance(node, Heading):
            heading = plain(node.runs).replace("\n", " ")
    return heading


def _runs(spans: list[Span]) -> list[Run]:
    return [Run(run.text, span.bold, span.italic, href=span.href)
            for span in spans for run in _lines(span.text)]


def _lines(text: str) -> list[Run]:
    runs: list[Run] = []
    # Wording that skips the Markdown still loses its control characters and is isolated.
    for i, line in enumerate(inert(text).split("\n")):
        if i:
            runs.append(Run("\n"))
        if line:
            runs.append(Run(line))
    return runs


def compose_rollup(kind: str, summaries: list[ClusterSummary], key: str | None, lang: str,
                   templates: Path, publication: Publication | None = None,
                   programmes: Path | None = None) -> Document:
    """A roll-up over clusters: a province's (``key`` its slug) or the nation's (``key`` None); its
    cover takes ``publication``, the project's defaults; its national programmes come from the
    library ``programmes`` (None: the shipped one)."""
    spec = ROLLUPS.get(kind)
    if spec is None:
        raise ComposeError(f"unknown roll-up {kind!r}: choose from {', '.join(ROLLUPS)}")
    labels = i18n.labels(templates, lang)
    context = spec.context(summaries, key, labels, library=national_programmes.library_for(programmes))
    context.update(generated=generation_date(), version=__version__, kind=kind)
    context["cover"] = cover.facts(publication or Publication(), cover.mark_of_summaries(summaries),
                                   labels)
    # Hashed a summary at a time: one JSON text of 9,800 summaries cost a worker about 90 MB.
    hasher = hashlib.sha256()
    for item in sorted(summaries, key=lambda s: s.id):
        hasher.update(json.dumps(item.to_dict(), sort_keys=True).encode())
    digest = hasher.hexdigest()
    where = context.get("title_suffix")
    properties = Properties(
        title=labels(f"document.{kind}") + (f": {where}" if where else ""),
        subject=labels(f"document.{kind}"),
        lang=lang,
        cluster_id=key or "national",
        params_hash=digest,
        generator_version=__version__,
        document_kind=kind,
    )
    context["untranslated"] = False  # a summary's names are shown as given, unmarked (not known)
    with marking(labels("untranslated.mark")):
        return _document(kind, lang, context, spec.charts, properties, templates, publication)


def untranslated_in(loaded: LoadedParams, lang: str) -> bool:
    """Whether the cluster's files (or the library programmes its plan draws on) give a text without
    ``lang``: the document then says what its mark of an untranslated text means."""
    programmes = loaded.library.programmes if loaded.library is not None else []
    return any(text.missing == lang for model in (loaded.params, *loaded.parts.values(), programmes)
               for _, text in untranslated.texts(model))


def _document(kind: str, lang: str, context: dict, make_charts: Charts, properties: Properties,
              templates: Path, publication: Publication | None = None) -> Document:
    """The one way from a context to a document: template to Markdown, Markdown to the tree, charts."""
    labels = i18n.labels(templates, lang)
    fmt = i18n.Formatter(lang)
    source = templating.render(templates, f"{kind}/{lang}.md.j2", lang, context)
    nodes = markdown.parse(source)
    number_headings(nodes)
    for node in nodes:
        if isinstance(node, Cover) and node.logo is not None:
            node.logo.data, node.logo.mime = _logo(publication, kind)
    specs = make_charts(context, labels, fmt)
    rendered = {}
    for node in nodes:
        if isinstance(node, Figure):
            if node.chart not in specs:
                raise ComposeError(f"template uses chart '{node.chart}', which {kind} does not make")
            chart, alt_text = specs[node.chart]
            rendered[node.chart] = charts.render(chart, alt_text, fmt.locale)
            node.alt = inert(node.alt or alt_text)
    writer_words = {k: labels(f"writer.{k}") for k in ("table", "figure", "contents")}
    return Document(nodes, rendered, _inert_properties(properties), writer_words)


def _inert_properties(properties: Properties) -> Properties:
    """The properties (titles and keywords hold user text) without control characters, isolated."""
    texts = {f.name: inert(getattr(properties, f.name)) for f in dataclasses.fields(properties)
             if isinstance(getattr(properties, f.name), str)}
    return dataclasses.replace(properties, **texts,
                               keywords=[inert(k) for k in properties.keywords])


def _logo(publication: Publication | None, kind: str) -> tuple[bytes, str]:
    """The logo's bytes and type; the params were checked, but the file may have gone since."""
    if publication is None or publication.logo is None:
        raise ComposeError(f"the {kind} template shows a logo, but the publication details name none")
    path = Path(publication.logo)
    try:  # read as validate read it: a regular file, within the size limit
        data = files.read_limited(path, files.IMAGE_LIMIT)
    except files.Refused as exc:
        raise ComposeError(f"logo {path}: {exc.reason}") from None
    except OSError as exc:
        raise ComposeError(f"logo {path}: cannot be read ({exc.strerror or exc})") from None
    mime = image_type(data)
    if mime is None:
        raise ComposeError(f"logo {path}: not a PNG or JPEG image")
    return data, mime


def make_context(loaded: LoadedParams | None, kind: str, peers: list[ClusterSummary],
                 labels: i18n.Labels, publication: Publication | None = None) -> dict:
    context = KINDS[kind].context(loaded, peers, labels)
    # Every cluster document words who does what by the facilitation approach (a general edition: none).
    context["fa"] = facilitation.wording(loaded.params, labels) if loaded is not None else None
    context.update(generated=generation_date(), version=__version__, kind=kind)
    synthetic = loaded is not None and loaded.params.synthetic
    context["cover"] = cover.facts(
        cover_publication(loaded, publication),
        cover.mark_of_rows(synthetic, context.get("sources", ())), labels,
    )
    return context


def cover_publication(loaded: LoadedParams | None, publication: Publication | None) -> Publication:
    """A cluster's own publication details (its block over the project's), else those given."""
    if loaded is not None:
        return loaded.publication
    return publication or Publication()


def input_hash(loaded: LoadedParams, kind: str) -> str:
    """Hash of what a cluster's document is made from: its params file, plus the sidecars it uses.

    For the profile (the params file alone) it is the file's own SHA-256.
    """
    extras = [
        f"{part}:{digest}" for part, digest in sorted(loaded.part_hashes.items())
        if part in KINDS[kind].requires or part == "overrides" or kind == "guideline"
    ]
    if "plan" in KINDS[kind].requires and loaded.library is not None:
        extras.append(f"library:{loaded.library.sha256}")
    if not extras:
        return loaded.sha256
    return hashlib.sha256("\n".join([loaded.sha256, *extras]).encode()).hexdigest()


def _properties(loaded: LoadedParams | None, kind: str, lang: str, labels: i18n.Labels) -> Properties:
    if loaded is None:
        return Properties(
            title=labels(f"document.{kind}"),
            subject=labels(f"document.{kind}"),
            lang=lang,
            cluster_id="",
            params_hash="",
            generator_version=__version__,
            document_kind=kind,
        )
    params = loaded.params
    return Properties(
        title=f"{labels(f'document.{kind}')}: {params.name.get(lang)}",
        subject=labels(f"group.{params.group.value}"),
        lang=lang,
        cluster_id=params.id,
        params_hash=input_hash(loaded, kind),
        generator_version=__version__,
        document_kind=kind,
        keywords=[
            params.name.get(lang),
            params.location.regency_record.name,
            params.location.province_record.name,
            *(p.name.get(lang) for p in params.products),
        ],
    )
