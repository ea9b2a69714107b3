"""The HTML writer: one self-contained page per document, rendered through Jinja2 templates.

The page works offline: the CSS is inlined in a ``<style>`` element and charts are inlined as
``data:`` SVG images, so nothing is fetched from anywhere. The templates live in
``templates/html/``: ``base.html.j2`` is the page skeleton (head, meta, style, body blocks),
``layout.html.j2`` extends it with the document's content, and ``nodes.html.j2`` holds one macro
per node of the tree. A document kind may have its own ``html/<kind>.html.j2`` extending the layout
and overriding blocks; ``write_html`` picks it up when it exists.

Safety: the environment autoescapes, and the document's text only ever reaches templates as
values, never as template source, so every character of user text arrives as text; no control
character is written (removed from the page as a last defence). Links keep
their ``href`` only for ``http``, ``https``, ``mailto`` and in-page ``#`` targets.

Chapters show the number compose gave them ("2.1") before their text, in the heading and in the
contents list. The cover's logo, when there is one, is inlined as a ``data:`` image like the charts.

Outline: the cover title is the page's only ``<h1>`` (without a cover, the document title from
the properties takes that place); headings of level n become ``<h(n+1)>``.

Navigation: a page may carry a ``Navigation`` (made by the caller, who knows the output folder): a
``<nav class="doc-nav">`` bar of relative links, rendered by ``html/navigation.html.j2``. The bar of
a page already written can be replaced alone (``replace_navigation``), so that a document written
later is linked from its siblings. Print: wide tables get the class ``wide``, which the print
stylesheet puts on landscape pages.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from cluster_reports.atomic import write_text_atomic
from cluster_reports.compose import tree as d
from cluster_reports.documents.markdown_text import remove_controls

LAYOUT = "html/layout.html.j2"
NAVIGATION = "html/navigation.html.j2"

# The writer's own words when the document brings none (compose normally supplies them).
DEFAULT_LABELS = {
    "id": {"table": "Tabel", "figure": "Gambar", "contents": "Daftar Isi"},
    "en": {"table": "Table", "figure": "Figure", "contents": "Contents"},
}

# Charts are drawn at the size Word shows them (about 460 px of plot); a screen column is wider and
# their 11 px labels read small, so the page shows the (scalable) SVG a quarter larger.
FIGURE_SCALE = 1.25

_SAFE_SCHEMES = {"http", "https", "mailto"}
_BAD_URL_CHARS = re.compile(r"[\s\x00-\x1f\x7f<>\"'`\\]")
_CLASS_UNSAFE = re.compile(r"[^a-z0-9_-]+")
_KIND_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Print: a table of more columns than this prints on a landscape page (as the Word writer puts it on
# one) unless it fits upright: its narrowest layout (each column as wide as its longest word, or its
# whole text where numbers do not wrap) within an upright A4 page's text width, at 9 pt type.
WIDE_TABLE_COLUMNS = 6
UPRIGHT_WIDTH_PT = 482  # 21 cm less 2 x 2 cm of margin
CHAR_PT = 5.8  # a wide font's advance at 9 pt (DejaVu Sans digits 5.7): rather landscape than cut
CELL_PADDING_PT = 18  # 0.75 rem on either side
# The navigation bar as written; user text in it is escaped, so no "</nav>" can occur inside it.
_NAV_ELEMENT = re.compile(r'<nav class="doc-nav"[^>]*>.*?</nav>', re.S)
_SVG_SIZE = re.compile(r"<svg\b[^>]*?\bwidth=\"(\d+(?:\.\d+)?)\"[^>]*?\bheight=\"(\d+(?:\.\d+)?)\"")


class HtmlWriterError(ValueError):
    """The document cannot be written as HTML (e.g. a figure's chart is missing)."""


@dataclass
class TocEntry:
    id: str
    runs: d.Inline
    children: list[TocEntry] = field(default_factory=list)
    number: str | None = None  # the chapter's number, as the heading shows it


@dataclass
class Item:
    """One node as the templates see it: the node plus what the writer worked out for it."""

    kind: str  # cover, toc, heading, paragraph, list, table, figure, block, note, pagebreak
    node: d.Node
    id: str | None = None
    tag: str | None = None  # headings: h2..h6
    number: int | None = None  # tables and figures, counted in document order
    caption_id: str | None = None  # tables: the caption's id, which labels the scroll region
    src: str | None = None  # figures: the chart as a data: URI
    alt: str = ""
    width: int | None = None
    height: int | None = None
    # notes and blocks boxed as notes: note-<kind>; tables: "wide" when printed on a landscape page
    css_class: str = ""
    columns: int = 0  # tables: the number of columns


@dataclass
class NavLink:
    """A link of the navigation bar: ``href`` relative to the page; ``current`` marks the page itself."""

    label: str
    href: str
    current: bool = False
    hreflang: str | None = None  # the other language's version


@dataclass
class NavGroup:
    """A labelled list of links; a roll-up's entry per cluster or province has ``title`` and ``links``."""

    label: str
    links: list[NavLink] = field(default_factory=list)
    entries: list[NavEntry] = field(default_factory=list)


@dataclass
class NavEntry:
    title: str
    links: list[NavLink]


@dataclass
class Navigation:
    """What a page links to: its siblings and the other language, the index, and (roll-ups) members."""

    label: str  # names the bar for screen readers
    index: NavLink | None = None
    other_languages: list[NavLink] = field(default_factory=list)
    above: list[NavLink] = field(default_factory=list)  # the roll-up a roll-up belongs to
    groups: list[NavGroup] = field(default_factory=list)


def safe_href(href: str | None) -> str | None:
    """The href if it is an http(s), mailto or in-page link that is safe to emit, else None."""
    if not href or _BAD_URL_CHARS.search(href):
        return None
    if href.startswith("#"):
        return href if len(href) > 1 else None
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _SAFE_SCHEMES:
        return None
    if scheme in ("http", "https") and not parts.hostname:
        return None
    if scheme == "mailto" and not parts.path:
        return None
    return href


def image_data_uri(data: bytes, mime: str) -> str:
    """A PNG or JPEG inlined, so the page needs no file beside it."""
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _svg_size(svg: str) -> tuple[int | None, int | None]:
    """The size to show the SVG at (its own size times FIGURE_SCALE), if it states one."""
    match = _SVG_SIZE.search(svg)
    if not match:
        return None, None
    width, height = (float(match.group(i)) * FIGURE_SCALE for i in (1, 2))
    return round(width), round(height)


class _Ids:
    """Element ids: the document's own, checked for duplicates, and fresh ones that avoid them."""

    def __init__(self, nodes: list[d.Node]):
        self.used: set[str] = set()
        for node in nodes:
            ident = getattr(node, "id", None)
            if ident:
                if any(c.isspace() for c in ident):
                    raise HtmlWriterError(f"id {ident!r} holds white space, which HTML ids cannot")
                if ident in self.used:
                    raise HtmlWriterError(f"id '{ident}' is used twice in one document")
                self.used.add(ident)

    def fresh(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate


def _labels(doc: d.Document) -> dict[str, str]:
    words = dict(DEFAULT_LABELS.get(doc.properties.lang, DEFAULT_LABELS["en"]))
    words.update({k: v for k, v in doc.labels.items() if v})
    return words


def build_items(doc: d.Document) -> tuple[list[Item], list[TocEntry]]:
    """The nodes with their ids, tags, numbers and images, and the table of contents' tree."""
    ids = _Ids(doc.nodes)
    items: list[Item] = []
    toc: list[TocEntry] = []
    stack: list[tuple[int, TocEntry]] = []
    tables = figures = headings = 0
    for node in doc.nodes:
        if isinstance(node, d.Heading):
            headings += 1
            ident = node.id or ids.fresh(f"h-{headings}")
            level = min(max(node.level, 1), 5)
            items.append(Item("heading", node, id=ident, tag=f"h{level + 1}"))
            entry = TocEntry(ident, node.runs, number=node.number)
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1].children if stack else toc).append(entry)
            stack.append((level, entry))
        elif isinstance(node, d.Table):
            tables += 1
            caption_id = ids.fresh(f"{node.id}-caption")
            columns = max([len(node.header), *(len(row) for row in node.rows)])
            items.append(Item("table", node, id=node.id, number=tables, caption_id=caption_id,
                              css_class="wide" if _prints_wide(node, columns) else "",
                              columns=columns))
        elif isinstance(node, d.Figure):
            figures += 1
            chart = doc.charts.get(node.chart)
            if chart is None:
                raise HtmlWriterError(
                    f"figure '{node.id}' shows chart '{node.chart}', which the document does not"
                    f" hold (charts: {', '.join(sorted(doc.charts)) or 'none'})"
                )
            width, height = _svg_size(chart.svg)
            items.append(Item(
                "figure", node, id=node.id, number=figures, src=svg_data_uri(chart.svg),
                alt=node.alt or chart.alt, width=width, height=height,
            ))
        elif isinstance(node, d.Block):
            # A block boxed as a note takes the note's classes, so it looks like that note.
            note = _CLASS_UNSAFE.sub("-", node.note.lower()).strip("-") if node.note else ""
            items.append(Item("block", node, id=node.id,
                              css_class=f"note note-{note or 'note'}" if node.note else ""))
        elif isinstance(node, d.Note):
            kind = _CLASS_UNSAFE.sub("-", node.kind.lower()).strip("-") or "note"
            items.append(Item("note", node, css_class=f"note-{kind}"))
        elif isinstance(node, d.Cover):
            logo = node.logo if node.logo is not None and node.logo.data else None
            items.append(Item("cover", node, src=image_data_uri(logo.data, logo.mime) if logo else None,
                              alt=logo.alt if logo else ""))
        elif isinstance(node, d.Toc):
            items.append(Item("toc", node, id=ids.fresh("toc-title")))
        elif isinstance(node, d.PageBreak):
            items.append(Item("pagebreak", node))
        elif isinstance(node, d.Paragraph):
            items.append(Item("paragraph", node))
        elif isinstance(node, d.BulletList):
            items.append(Item("list", node))
        else:
            raise HtmlWriterError(f"the HTML writer does not know the node {type(node).__name__}")
    return items, toc


def _narrowest_width(node: d.Table, columns: int) -> float:
    """The table's narrowest printed width in points (see UPRIGHT_WIDTH_PT)."""
    need = [0] * columns
    for r, row in enumerate([node.header, *node.rows]):
        for i, cell in enumerate(row):
            text = _plain(cell)
            keeps_whole = r > 0 and i < len(node.align) and node.align[i] == "right"  # td.num: nowrap
            need[i] = max(need[i], len(text) if keeps_whole else max(map(len, text.split()), default=0))
    return sum(n * CHAR_PT + CELL_PADDING_PT for n in need)


def _prints_wide(node: d.Table, columns: int) -> bool:
    if node.landscape:
        return True
    return columns > WIDE_TABLE_COLUMNS and _narrowest_width(node, columns) > UPRIGHT_WIDTH_PT


def _plain(runs: d.Inline) -> str:
    """Inline text without its emphasis or links; line breaks become spaces."""
    return "".join(" " if r.text == "\n" else r.text for r in runs)


def _cell_class(align: list[str | None], index: int) -> str:
    value = align[index] if index < len(align) else None
    return {"right": "num", "center": "center"}.get(value or "", "")


@lru_cache(maxsize=8)
def _environment(templates: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_href"] = safe_href
    env.filters["plain"] = _plain
    env.globals["cell_class"] = _cell_class
    return env


def _layout_for(doc: d.Document, templates: Path) -> str:
    kind = doc.properties.document_kind
    if _KIND_NAME.match(kind or "") and (templates / "html" / f"{kind}.html.j2").is_file():
        return f"html/{kind}.html.j2"
    return LAYOUT


def render_html(doc: d.Document, templates: Path, layout: str | None = None,
                nav: Navigation | None = None) -> str:
    """The page as a string. ``layout`` defaults to ``html/<kind>.html.j2`` or the shared layout."""
    items, toc = build_items(doc)
    props = doc.properties
    version = props.generator_version
    generator = version if version.startswith("cluster-reports") else f"cluster-reports {version}"
    env = _environment(str(Path(templates).resolve()))
    template = env.get_template(layout or _layout_for(doc, Path(templates)))
    # Control characters are invalid in XML and errors in HTML: none is written, wherever it came from.
    return remove_controls(template.render(
        doc=doc,
        properties=props,
        lang=props.lang,
        language_tag=props.language_tag,
        labels=_labels(doc),
        items=items,
        toc=toc,
        has_cover=any(i.kind == "cover" for i in items),
        generator=generator,
        nav=nav,
    ))


def write_html(doc: d.Document, path: Path, templates: Path, layout: str | None = None,
               nav: Navigation | None = None) -> None:
    """Write the document as one self-contained HTML page, atomically.

    ``templates`` is the repository's ``templates/`` folder (the writer reads ``templates/html/``).
    """
    write_text_atomic(Path(path), render_html(doc, Path(templates), layout, nav))


def render_navigation(nav: Navigation, templates: Path) -> str:
    """The navigation bar alone, as ``render_html`` writes it into a page."""
    env = _environment(str(Path(templates).resolve()))
    # str(): the macro returns Markup, and Markup + str would escape the page around the bar.
    return remove_controls(str(env.get_template(NAVIGATION).module.bar(nav)).strip())


def replace_navigation(path: Path, nav: Navigation, templates: Path) -> bool:
    """Give a page written earlier a new navigation bar; True when the page changed.

    A page without a bar (written by an older version, or by a template without one) is left alone.
    """
    page = Path(path).read_text(encoding="utf-8")
    bar = render_navigation(nav, templates)
    match = _NAV_ELEMENT.search(page)
    if match is None or match.group(0) == bar:
        return False
    write_text_atomic(Path(path), page[:match.start()] + bar + page[match.end():])
    return True
