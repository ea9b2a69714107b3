"""The composed document: a small tree that both writers (Word and HTML) consume.

Templates produce Markdown; ``markdown.parse`` turns it into this tree. Nothing here knows about
Word or HTML, so the two outputs cannot drift apart in content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGE_TAGS = {"id": "id-ID", "en": "en-US"}


@dataclass(frozen=True)
class Run:
    """A piece of inline text with its emphasis; ``text == "\\n"`` is a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    # The language of a text that is not in the document's (given in one language only): set so on
    # the HTML span and the Word run, for screen readers and the spelling check.
    lang: str | None = None


Inline = list[Run]


def plain(runs: Inline) -> str:
    return "".join(r.text for r in runs)


@dataclass
class Paragraph:
    runs: Inline


@dataclass
class Heading:
    level: int
    runs: Inline
    id: str | None = None
    numbered: bool = True  # False for back matter (references, annexes): ``{#id .unnumbered}``
    number: str | None = None  # "2", "2.1": set once by ``number_headings``, shown by both writers


@dataclass
class BulletList:
    items: list[Inline]
    ordered: bool = False


@dataclass
class Table:
    id: str
    caption: Inline
    header: list[Inline]
    rows: list[list[Inline]]
    align: list[str | None]  # "left", "right", "center" or None per column
    # A matrix read across its rows (the logical framework): on a landscape page even where it
    # would fit upright in narrow columns.
    landscape: bool = False
    # A form filled in by hand: tall rows, every border, kept on one page where it fits.
    form: bool = False
    # The narrative cells, each a block a reviewer edits like a narrative block: (row, column)
    # -> block id, row counted in ``rows`` and column from 0 (see ``cell_block_id``).
    cell_blocks: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def caption_block(self) -> str:
        return caption_block_id(self.id)


@dataclass
class Figure:
    id: str
    caption: Inline
    chart: str  # key into the document's charts
    alt: str

    @property
    def caption_block(self) -> str:
        return caption_block_id(self.id)


def caption_block_id(node_id: str) -> str:
    """The block id of a table's or figure's caption: a reviewer edits a caption as a block."""
    return f"caption-{node_id}"


def cell_block_id(table_id: str, row_key: str, column: int) -> str:
    """The block id of a narrative cell: ``<table id>.<row key>.<column number from 1>``, the row
    key one the template gives (a programme's id, a level of the logframe) or the row's number."""
    return f"{table_id}.{row_key}.{column + 1}"


@dataclass
class Block:
    """A narrative block: the unit a reviewer edits, with a stable id in both outputs."""

    id: str
    children: list[Paragraph | BulletList]
    # Shown boxed as a note of this kind, e.g. the strategy's vision statement: a note's look, a
    # block's review (``::: block ID note KIND``). None: an ordinary block.
    note: str | None = None


@dataclass
class Note:
    """A boxed remark, e.g. that some values are illustrative."""

    kind: str
    children: list[Paragraph | BulletList]


@dataclass
class Logo:
    """The issuing agency's logo on the cover: PNG or JPEG bytes (filled in by compose)."""

    alt: str
    data: bytes = b""
    mime: str = ""  # image/png or image/jpeg


@dataclass
class Cover:
    """The cover page: logo and agency above the title; the cluster and its place, dates, the status
    and version, and the synthetic or illustrative mark below it."""

    title: Inline
    lines: list[Inline]
    agency: Inline | None = None
    status: Inline | None = None
    mark: Inline | None = None
    logo: Logo | None = None


@dataclass
class Toc:
    pass


@dataclass
class PageBreak:
    pass


# Chapters are numbered to this depth ("1.2.3"); deeper headings go unnumbered.
NUMBERED_LEVELS = 3


def number_headings(nodes: list) -> None:
    """Number the chapters "1", "1.1", "1.1.1" in document order: the cover and contents are no
    headings, so front matter stays unnumbered. An unnumbered heading (references, an annex) leaves
    its own sub-headings unnumbered too, and the count of the chapters around it goes on."""
    counters = [0] * NUMBERED_LEVELS
    unnumbered_below: int | None = None  # level of the unnumbered heading we are under
    for node in nodes:
        if not isinstance(node, Heading):
            continue
        level = max(node.level, 1)
        if unnumbered_below is not None and level > unnumbered_below:
            node.number = None
            continue
        unnumbered_below = None
        if not node.numbered or level > NUMBERED_LEVELS:
            node.number = None
            if not node.numbered:
                unnumbered_below = level
            continue
        counters[level - 1] += 1
        counters[level:] = [0] * (NUMBERED_LEVELS - level)
        node.number = ".".join(str(n) for n in counters[:level])


def heading_text(heading: Heading) -> str:
    """A heading as a contents list shows it: its number, then its text on one line."""
    text = plain(heading.runs).replace("\n", " ")
    return f"{heading.number} {text}" if heading.number else text


Node = Paragraph | Heading | BulletList | Table | Figure | Block | Note | Cover | Toc | PageBreak


@dataclass
class Chart:
    """A chart as both writers need it: PNG for Word, SVG for HTML, and its alt text."""

    png: bytes
    svg: str
    alt: str


@dataclass
class Properties:
    """Document metadata: Word core and custom properties, HTML meta elements."""

    title: str
    subject: str
    lang: str  # "id" or "en"
    cluster_id: str
    params_hash: str
    generator_version: str
    document_kind: str
    author: str = "cluster-reports"
    keywords: list[str] = field(default_factory=list)

    @property
    def language_tag(self) -> str:
        return LANGUAGE_TAGS[self.lang]


@dataclass(frozen=True)
class StaleWording:
    """A block whose reviewed wording (harvested) still quotes figures the data no longer gives."""

    kind: str
    block: str
    lang: str
    heading: str  # the heading the block is under, as the reader sees it ("" before the first)
    figures: tuple[tuple[str, str | None], ...]  # (old figure, the one in its place now or None)

    def message(self) -> str:
        old = " and ".join(o for o, _n in self.figures)
        new = " and ".join(n or "nothing" for _o, n in self.figures)
        where = f"'{self.heading}' " if self.heading else ""
        return (
            f"the reviewed wording of {where}({self.kind}, {self.lang}, block {self.block}) still says "
            f"{old} where the data now gives {new}: update it in Word and harvest again, or release it"
        )


@dataclass
class Document:
    nodes: list[Node]
    charts: dict[str, Chart]
    properties: Properties
    labels: dict[str, str] = field(default_factory=dict)  # writer words: "Table", "Figure", "Contents"
    stale: list[StaleWording] = field(default_factory=list)  # reviewed wording quoting old figures

    def headings(self) -> list[Heading]:
        return [n for n in self.nodes if isinstance(n, Heading)]

    def block_ids(self) -> list[str]:
        return [n.id for n in self.nodes if isinstance(n, Block)]
