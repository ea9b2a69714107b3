"""A reviewed .docx read by its narrative blocks: which block owns each paragraph the reviewer left.

The writer marks every paragraph of a block with a bookmark ``<prefix>_<n>`` (``cr_blocks`` maps
prefixes to blocks) and every other body element it wrote with ``cx_<n>`` (its place in the
``cr_layout`` record: see ``recording``). Reading a reviewed file:

- the generated elements that outside marks still identify cut the body into *regions*; each
  block was generated in one region, the region's *own* blocks;
- in a region, a paragraph carrying an own block's mark starts or continues that block; what follows
  it unmarked (a paragraph the reviewer added, a list, a table, the second half of a split) belongs
  to it; a paragraph carrying another block's mark (moved there by the reviewer), or a block's
  paragraph put after the next block began, belongs to the block it now stands in, and the move is
  recorded; what stands before the region's first block paragraph goes with that block; unmarked
  paragraphs in a region whose own blocks lost every mark (a paragraph retyped whole) belong to its
  first block; paragraphs in a region with no block of its own are not carried (reported);
- a paragraph carrying marks of two blocks (the reviewer joined them) is the first block's; one
  that carries a block's mark and a generated outside element's (joined with a heading, a note) is
  the block's, and the join is recorded so the merge can take the outside text out again;
- a table cell that holds a cell block's mark, or that held one when generated, is that block's
  own region.

Every element thus has one owner or none: nothing can be read twice, and a block never takes
headings or tables that were generated outside it. A file without ``cr_layout`` (made by an older
version) is read with every unmarked element as a region boundary, as it was then.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.oxml.ns import qn
from lxml import etree

from .blocks import (
    BOOKMARK,
    OUTSIDE_MARK,
    annotations,
    is_contents,
    is_heading,
    is_layout,
    paragraph_text,
    paragraphs,
)
from .captions import caption_text, is_caption


@dataclass
class Span:
    """A block's elements as the reviewer left them: top-level body elements, or the paragraphs of
    a table cell, in order."""

    block_id: str
    elements: list[etree._Element]
    heading: str = ""  # the heading the block stands under, as the reviewer sees it

    def texts(self) -> list[str]:
        # A caption's text is its own words, without the label and number the writer puts first.
        return [caption_text(p) if is_caption(p) else paragraph_text(p)
                for top in self.elements for p in paragraphs(top)]


@dataclass
class Outside:
    """A body element outside the blocks, as the reviewer left it: a generated one (``number``, its
    place in the layout) or one the reviewer added that no block can hold (``number`` None)."""

    element: etree._Element
    number: int | None
    heading: str
    moved_from: str | None = None  # a block's paragraph moved to where no block can hold it


@dataclass
class Reading:
    blocks: dict[str, Span] = field(default_factory=dict)  # in document order
    outside: list[Outside] = field(default_factory=list)
    moved_in: dict[str, list[str]] = field(default_factory=dict)  # block -> blocks it took text from
    joined: dict[str, list[int]] = field(default_factory=dict)  # block -> outside elements joined to it
    annotated_outside: list[tuple[str, str]] = field(default_factory=list)  # (heading, what)
    recorded: bool = True  # False: no layout record (an older file); outside elements unnumbered

    def outside_texts(self) -> list[tuple[str, str]]:
        """(heading, text) of every paragraph outside the blocks, in order (older files' reading)."""
        return [(o.heading, paragraph_text(p)) for o in self.outside for p in paragraphs(o.element)]


@dataclass
class _Label:
    element: etree._Element
    blocks: list[str]  # blocks whose marks start in it, in order
    outside: list[int]  # generated outside elements whose marks are in it, in order
    first_is_block: bool  # which mark comes first (a joined paragraph belongs to the first)


def label_of(top: etree._Element, prefixes: dict[str, str]) -> _Label:
    """The marks of one element: the blocks and the generated outside elements it carries."""
    blocks: list[str] = []
    outside: list[int] = []
    first_is_block: bool | None = None
    # A table's cells hold cell blocks, which are not the table's: only its outside mark counts.
    cells = top.tag == qn("w:tbl")
    for mark in top.iter(qn("w:bookmarkStart")):
        match = BOOKMARK.match(mark.get(qn("w:name"), ""))
        if not match:
            continue
        if match["prefix"] == OUTSIDE_MARK:
            outside.append(int(match["n"]))
            first_is_block = False if first_is_block is None else first_is_block
        elif match["prefix"] in prefixes and not cells:
            block = prefixes[match["prefix"]]
            if block not in blocks:
                blocks.append(block)
            first_is_block = True if first_is_block is None else first_is_block
    return _Label(top, blocks, outside, bool(first_is_block))


def read(body: etree._Element, prefixes: dict[str, str], layout: dict | None = None,
         annotated: bool = True) -> Reading:
    """The blocks and the outside of a document body, given the ``cr_blocks`` prefix map and the
    ``cr_layout`` record (None for an older file); if ``annotated``, the tracked changes and
    comments outside the blocks too."""
    tops = [el for el in body if el.tag != qn("w:sectPr") and not is_contents(el) and not is_layout(el)]
    labels = [label_of(top, prefixes) for top in tops]
    reading = Reading(recorded=layout is not None)
    if layout is None:  # an older file: every unmarked element is generated and bounds a region
        layout = _layout_of(labels)
    region_of = _regions_of(layout["body"])
    owner: list[str | None] = [None] * len(tops)
    number: list[int | None] = [None] * len(tops)
    for i, label in enumerate(labels):
        if label.outside and not (label.blocks and label.first_is_block):
            number[i] = label.outside[0]
        elif label.blocks and label.outside:
            reading.joined.setdefault(label.blocks[0], []).extend(label.outside)
    if not reading.recorded:  # the boundaries are the unmarked elements themselves
        number = [None if label.blocks else i for i, label in enumerate(labels)]
    start = 0
    previous = -1
    for i in [*range(len(tops)), len(tops)]:
        if i < len(tops) and number[i] is None:
            continue
        following = number[i] if i < len(tops) else len(layout["body"])
        own = [b for b, (after, before) in region_of.items() if previous <= after and before <= following]
        _own_region(labels, range(start, i), own, owner, reading)
        if i < len(tops):
            previous = number[i]
        start = i + 1
    heading = ""
    for i, top in enumerate(tops):
        if top.tag == qn("w:p") and is_heading(top):
            heading = paragraph_text(top)
        block = owner[i]
        if block is not None:
            span = reading.blocks.setdefault(block, Span(block, [], heading))
            span.elements.append(top)
            continue
        moved = labels[i].blocks[0] if labels[i].blocks else None
        reading.outside.append(Outside(top, number[i] if reading.recorded else None, heading, moved))
        if annotated:
            reading.annotated_outside += [(heading, what) for what in annotations([top])]
        if top.tag == qn("w:tbl"):
            caption = paragraph_text(tops[i - 1]) if i and tops[i - 1].tag == qn("w:p") else ""
            _cells(top, prefixes, layout, number[i] if reading.recorded else None,
                   caption or heading, reading)
    for block, sources in reading.moved_in.items():
        reading.moved_in[block] = [s for s in dict.fromkeys(sources) if s != block]
    reading.moved_in = {b: s for b, s in reading.moved_in.items() if s}
    return reading


def _own_region(labels: list[_Label], indices: range, own: list[str], owner: list[str | None],
                reading: Reading) -> None:
    """Give each element of one region (between two generated outside elements) its block."""
    marked = {labels[i].blocks[0] for i in indices if labels[i].blocks}
    lost = [b for b in own if b not in marked]  # own blocks whose every mark went (retyped whole)
    current: str | None = None
    closed: set[str] = set()
    tail: list[int] = []  # unmarked elements since the last marked one
    for i in indices:
        blocks = labels[i].blocks
        first = blocks[0] if blocks else None
        if first is not None and first in own and first not in closed:
            if current != first:
                # Unmarked text just before a block, where a block generated between the two
                # lost its marks, is that block's text retyped; else, before the region's first
                # block paragraph, it goes with that block.
                between = [b for b in lost
                           if own.index(b) < own.index(first)
                           and (current is None or own.index(b) > own.index(current))]
                target = between[0] if between else (first if current is None else None)
                for j in tail if target is not None else ():
                    owner[j] = target
                if current is not None:
                    closed.add(current)
                current = first
            tail = []
            owner[i] = current
        elif first is not None:  # another block's paragraph, moved here
            tail = [i] if current is None else []
            owner[i] = current
        else:
            owner[i] = current
            tail.append(i)
    if current is None and own:  # the region's blocks lost every mark: the reviewer retyped them
        current = (lost or own)[0]
        for j in tail:
            owner[j] = current
    for i in indices:  # paragraphs moved in, or joined with another block's
        if owner[i] is not None:
            _moved(reading, owner[i], labels[i])


def _moved(reading: Reading, block: str, label: _Label) -> None:
    for other in label.blocks:
        if other != block:
            reading.moved_in.setdefault(block, []).append(other)


def _regions_of(entries: list) -> dict[str, tuple[int, int]]:
    """Block -> (the generated outside element before it, the one after it); -1 and the number of
    entries at the ends."""
    regions: dict[str, tuple[int, int]] = {}
    before = -1
    pending: list[str] = []
    for entry in entries:
        if isinstance(entry, int):
            for block in pending:
                regions[block] = (before, entry)
            pending, before = [], entry
        elif entry not in regions and entry not in pending:
            pending.append(entry)
    for block in pending:
        regions[block] = (before, len(entries))
    return regions


def _layout_of(labels: list[_Label]) -> dict:
    """An older file's layout, read from its own marks: unmarked elements numbered in order."""
    return {"body": [label.blocks[0] if label.blocks else i for i, label in enumerate(labels)],
            "outside": [], "tables": {}}


def _cells(table: etree._Element, prefixes: dict[str, str], layout: dict, number: int | None,
           heading: str, reading: Reading) -> None:
    """Cell blocks of a table outside the blocks: a cell whose paragraphs carry a block's mark, or
    that was generated holding one, is that block's."""
    tables = layout.get("tables") or {}
    generated = tables.get(str(number), {}).get("blocks", {}) if number is not None else {}
    rows = table.findall(qn("w:tr"))
    header = [_cell_text(cell) for cell in rows[0].findall(qn("w:tc"))] if rows else []
    for r, row in enumerate(rows):
        cells = row.findall(qn("w:tc"))
        for c, cell in enumerate(cells):
            cell_paragraphs = [p for p in cell if p.tag == qn("w:p")]
            found = [lab.blocks[0] for lab in (label_of(p, prefixes) for p in cell_paragraphs) if lab.blocks]
            block = found[0] if found else generated.get(f"{r}.{c}")
            if block is None or block in reading.blocks:
                continue
            # Named as the reviewer finds it: the table's caption, the row's first cell, the column.
            where = [_short(_cell_text(cells[0])) if c else "", header[c] if c < len(header) and r else ""]
            name = f"{heading} ({'; '.join(w for w in where if w)})" if any(where) else heading
            reading.blocks[block] = Span(block, [el for el in cell if el.tag in (qn("w:p"), qn("w:tbl"))],
                                         name)
            if any(f != block for f in found):
                reading.moved_in.setdefault(block, []).extend(f for f in found if f != block)


def _cell_text(cell: etree._Element) -> str:
    return " ".join(paragraph_text(p) for p in cell.findall(qn("w:p"))).strip()


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
