"""The Word writer: a composed ``Document`` tree onto the reference document, as a .docx.

``build`` opens the reference (``templates/reference.docx``, built by ``reference.py``),
empties its body but keeps its styles, page setup, header and footer, and writes the tree with real
Word structures: heading styles, a TOC field, captions numbered by SEQ fields, a table style with a
repeating header row, landscape sections for wide tables, pictures with alt text, the document
language, and core and custom document properties.

Narrative blocks carry one bookmark per paragraph, ``cr_<block id>_<n>``: bookmarks inside one
paragraph survive a round trip through LibreOffice, bookmarks spanning paragraphs do not (see
DESIGN.md). The custom property ``cr_blocks`` maps each bookmark prefix back to its block id, and
``cr_generated`` / ``cr_outside`` record the text generated in and outside the blocks, so that
``docx_blocks`` can read a reviewed file exactly and ``review`` tell the reviewer's edits.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from functools import cache
from io import BytesIO
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.parser import oxml_parser
from docx.section import Section
from docx.shared import Cm, Emu, Pt, Twips
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run as WordRun
from lxml import etree

from cluster_reports.atomic import write_atomic
from cluster_reports.compose import tree as d

from .blocks import BLOCKS_PROPERTY, record
from .properties import clean_text, set_custom_properties

DEFAULT_LABELS = {"table": "Table", "figure": "Figure", "contents": "Contents"}
TOC_INSTRUCTION = ' TOC \\o "1-3" \\h \\z \\u '
WIDE_TABLE_COLUMNS = 6  # tables with more columns go on a landscape page
FIGURE_WIDTH = Cm(15)
FIGURE_MAX_HEIGHT = Cm(20)
AFTER_TABLE = Pt(9)
CHAR_TWIPS = 105  # a character of 9.5 pt table text, generously (Arial averages about 95)
CELL_PAD_TWIPS = 200  # the cell margins of the table style and a little slack
SHORT_CELL = 16  # cells up to this long (numbers, amounts) are kept on one line if they can be

BOOKMARK_MAX = 40  # Word's limit on bookmark names
_PREFIX_MAX = BOOKMARK_MAX - 6  # room for "_<n>" with n up to 99999

_ALIGN = {
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
}


# --- small XML helpers, shared with reference.py -------------------------------------------------


def add_text_run(parent: etree._Element, text: str) -> etree._Element:
    """Append ``<w:r><w:t>text</w:t></w:r>`` to ``parent`` (a paragraph or hyperlink)."""
    run = _sub(parent, "w:r")
    t = _sub(run, "w:t", {"xml:space": "preserve"})
    t.text = clean_text(text)
    return run


def _field_char(parent: etree._Element, kind: str, dirty: bool = False) -> None:
    run = OxmlElement("w:r")
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    if dirty:
        fld.set(qn("w:dirty"), "true")
    run.append(fld)
    parent.append(run)


def _field_begin(parent: etree._Element, instruction: str, dirty: bool = False) -> None:
    """The start of a complex field: begin, the instruction, separate (the result follows)."""
    _field_char(parent, "begin", dirty)
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run.append(instr)
    parent.append(run)
    _field_char(parent, "separate")


def add_field(parent: etree._Element, instruction: str, result: str = "",
              dirty: bool = False) -> None:
    """Append a complex field (begin, instruction, separate, cached result, end) to ``parent``."""
    _field_begin(parent, instruction, dirty)
    if result:
        add_text_run(parent, result)
    _field_char(parent, "end")


@cache
def _tag(prefixed: str) -> tuple[str, dict[str, str]]:
    """Clark name and namespace map of a prefixed tag, as ``OxmlElement`` works them out each call."""
    tag = NamespacePrefixedTag(prefixed)
    return tag.clark_name, tag.nsmap


def _sub(parent: etree._Element, tag: str, attrs: dict[str, str] | None = None) -> etree._Element:
    """Append a new ``tag`` element (with ``w:``-style prefixed attributes) to ``parent``.

    The same element ``OxmlElement`` makes (python-docx's element class for the tag), made
    without re-parsing the tag each time: the writer makes tens of thousands per document.
    """
    clark, nsmap = _tag(tag)
    element = oxml_parser.makeelement(clark, nsmap=nsmap)
    for name, value in (attrs or {}).items():
        element.set(_qn(name), value)
    parent.append(element)
    return element


_qn = cache(qn)


def _set_paragraph_style(p: etree._Element, style_id: str) -> None:
    """``w:pPr/w:pStyle`` of a paragraph, as python-docx sets it (both come first), without its search."""
    p_pr = p.find(qn("w:pPr"))
    if p_pr is None:
        p_pr = OxmlElement("w:pPr")
        p.insert(0, p_pr)
    p_style = p_pr.find(qn("w:pStyle"))
    if p_style is None:
        p_style = OxmlElement("w:pStyle")
        p_pr.insert(0, p_style)
    p_style.set(qn("w:val"), style_id)


# --- bookmark names of narrative blocks --------------------------------------------------------


def _short_hash(text: str, length: int = 6) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def bookmark_prefix(block_id: str, taken: dict[str, str] | None = None) -> str:
    """The bookmark prefix of a block: ``cr_`` + the id with '-' and '.' as '_'.

    Bookmark names are ``<prefix>_<n>`` and Word allows 40 characters, letters, digits and '_':
    a long id is cut and given a short stable hash of the whole id; so is an id whose prefix
    another block of the document (``taken``: prefix -> id) already has.
    """
    base = "cr_" + re.sub(r"[^A-Za-z0-9_]", "_", block_id.replace("-", "_").replace(".", "_"))
    taken = taken or {}
    if len(base) <= _PREFIX_MAX and taken.get(base, block_id) == block_id:
        return base
    cut = base[: _PREFIX_MAX - 7].rstrip("_")
    return f"{cut}_{_short_hash(block_id)}"


# --- the writer ----------------------------------------------------------------------------------


_STYLE_NAMES: dict[tuple[str, int, int], dict[str, str]] = {}


def _style_names(reference: Path, styles: etree._Element) -> dict[str, str]:
    """Style ids by lower-case name (the first style of a name wins), read once per reference file
    rather than searched for each style of each document."""
    stat = reference.stat()
    key = (str(reference.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _STYLE_NAMES:
        names: dict[str, str] = {}
        for style in styles.iterchildren(qn("w:style")):
            name_el = style.find(qn("w:name"))
            if name_el is not None:
                names.setdefault(name_el.get(qn("w:val"), "").lower(), style.get(qn("w:styleId")))
        _STYLE_NAMES.clear()  # one reference document in use at a time, in practice
        _STYLE_NAMES[key] = names
    return _STYLE_NAMES[key]


def _columns(table: d.Table) -> int:
    return max([len(table.header), *(len(r) for r in table.rows), 1])


class _Writer:
    def __init__(self, doc: d.Document, reference: Path):
        self.doc = doc
        self.labels = {**DEFAULT_LABELS, **{k: v for k, v in doc.labels.items() if v}}
        self.word = docx.Document(str(reference))
        self.body = self.word.element.body
        for child in list(self.body):
            if child.tag != qn("w:sectPr"):
                self.body.remove(child)
        self.styles = self.word.styles.element
        self.style_names = _style_names(Path(reference), self.styles)
        self._style_cache: dict[tuple[str, ...], str | None] = {}
        self.pending_break = False
        self.after_table = False  # the next paragraph keeps a little distance from the table
        self.landscape = False
        self.next_bookmark = 1
        self.tables = 0
        self.figures = 0
        self.block_prefixes: dict[str, str] = {}  # bookmark prefix -> block id
        self.boxed_abstract: dict[tuple[int, str], int] = {}  # numberings of lists in notes
        self.boxed_bullets: dict[int, int] = {}
        # TOC anchors of headings, known before the TOC (which comes first) is written.
        self.toc_anchor: dict[int, str] = {}
        self.heading_anchor_by_id: dict[str, str] = {}
        for n, heading in enumerate(doc.headings(), start=1):
            name = f"_Toc_cr_{n}"
            self.toc_anchor[id(heading)] = name
            if heading.id:
                self.heading_anchor_by_id[heading.id] = name

    # styles

    def style_id(self, *names: str) -> str | None:
        """The id of the first style found by (case-insensitive) name; None if none is there.

        Styles are found by name, not id: a localised Word writes localised style ids.
        """
        if names in self._style_cache:
            return self._style_cache[names]
        found_id = self._find_style_id(names)
        self._style_cache[names] = found_id
        return found_id

    def _find_style_id(self, names: tuple[str, ...]) -> str | None:
        for name in names:
            found = self.style_names.get(name.lower())
            if found:
                return found
        return None

    def style_num_id(self, *names: str) -> int | None:
        """The numbering (w:numId) a list style carries, if any."""
        sid = self.style_id(*names)
        if sid is None:
            return None
        style = self.styles.get_by_id(sid)
        num = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        return int(num.get(qn("w:val"))) if num is not None else None

    # paragraphs and runs

    def paragraph(self, *style_names: str, spaced: bool = True) -> WordParagraph:
        """A new paragraph in the first of the styles found (Normal if none is).

        It takes a pending page break, and (if ``spaced``; headings bring their own space) a
        little space when it follows a table.
        """
        paragraph = self.word.add_paragraph()
        sid = self.style_id(*style_names) if style_names else None
        if sid:
            _set_paragraph_style(paragraph._p, sid)
        if self.pending_break:
            paragraph.paragraph_format.page_break_before = True
            self.pending_break = False
        if self.after_table and spaced:
            paragraph.paragraph_format.space_before = AFTER_TABLE
        self.after_table = False
        return paragraph

    def runs(self, paragraph: WordParagraph, runs: d.Inline) -> None:
        """Append inline runs to the paragraph, links as w:hyperlink."""
        parent = paragraph._p
        groups: list[tuple[str | None, list[d.Run]]] = []
        for run in runs:
            if groups and groups[-1][0] == run.href:
                groups[-1][1].append(run)
            else:
                groups.append((run.href, [run]))
        for href, group in groups:
            target = parent
            link = self.hyperlink(href) if href else None
            if link is not None:
                parent.append(link)
                target = link
            for run in group:
                self.run(paragraph, target, run, linked=link is not None)

    def hyperlink(self, href: str) -> etree._Element | None:
        link = OxmlElement("w:hyperlink")
        if href.startswith("#"):
            anchor = self.heading_anchor_by_id.get(href[1:])
            if anchor is None:
                return None
            link.set(qn("w:anchor"), anchor)
        elif re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href):
            rel_id = self.word.part.relate_to(href, RT.HYPERLINK, is_external=True)
            link.set(qn("r:id"), rel_id)
        else:
            return None  # a relative link means nothing in a .docx: keep the text only
        link.set(qn("w:history"), "1")
        return link

    def run(self, paragraph: WordParagraph, parent: etree._Element, run: d.Run,
            linked: bool = False) -> None:
        # Built directly rather than through python-docx's setters, which search the schema's
        # successor elements on every insert and add text a character at a time; the XML is the
        # same (rPr children in schema order: rStyle, rFonts, b, i).
        element = _sub(parent, "w:r")
        char_style = None
        if run.code:
            char_style = self.style_id("Code", "Verbatim Char", "HTML Code")
        elif linked:
            char_style = self.style_id("Hyperlink")
        if char_style or run.code or run.bold or run.italic:
            r_pr = _sub(element, "w:rPr")
            if char_style:
                _sub(r_pr, "w:rStyle", {"w:val": char_style})
            elif run.code:
                _sub(r_pr, "w:rFonts", {"w:ascii": "Courier New", "w:hAnsi": "Courier New"})
            if run.bold:
                _sub(r_pr, "w:b")
            if run.italic:
                _sub(r_pr, "w:i")
        text = clean_text(run.text)
        if "\t" in text or "\n" in text:
            WordRun(element, paragraph).text = text  # tabs and breaks become w:tab and w:br
        elif text:
            t = _sub(element, "w:t")
            t.text = text
            if len(text.strip()) < len(text):
                t.set(qn("xml:space"), "preserve")

    def bookmark(self, paragraph: WordParagraph, name: str) -> int:
        """Open a bookmark at the current end of the paragraph; returns its id for ``close``."""
        ident = self.next_bookmark
        self.next_bookmark += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(ident))
        start.set(qn("w:name"), name)
        paragraph._p.append(start)
        return ident

    @staticmethod
    def close_bookmark(paragraph: WordParagraph, ident: int) -> None:
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(ident))
        paragraph._p.append(end)

    # nodes

    def write(self) -> docx.document.Document:
        nodes = self.doc.nodes
        wide = [isinstance(n, d.Table) and _columns(n) > WIDE_TABLE_COLUMNS for n in nodes]
        for i in range(len(nodes) - 2, -1, -1):  # a heading goes with the wide table it opens
            if isinstance(nodes[i], d.Heading) and wide[i + 1]:
                wide[i] = True
        for node, landscape in zip(nodes, wide, strict=True):
            if not isinstance(node, d.PageBreak) and landscape != self.landscape:
                self.section_break(landscape)
            self.node(node)
        self.finish_sections(any(isinstance(n, d.Cover) for n in nodes))
        self.set_language()
        self.set_update_fields()
        self.set_properties()
        self.fill_header_title()
        return self.word

    def node(self, node: d.Node) -> None:
        if isinstance(node, d.Cover):
            self.cover(node)
        elif isinstance(node, d.Toc):
            self.toc()
        elif isinstance(node, d.Heading):
            self.heading(node)
        elif isinstance(node, d.Paragraph):
            self.runs(self.paragraph("Normal"), node.runs)
        elif isinstance(node, d.BulletList):
            self.bullet_list(node)
        elif isinstance(node, d.Table):
            self.table(node)
        elif isinstance(node, d.Figure):
            self.figure(node)
        elif isinstance(node, d.Block):
            self.block(node)
        elif isinstance(node, d.Note):
            self.note(node)
        elif isinstance(node, d.PageBreak):
            self.pending_break = True
        else:  # pragma: no cover - the tree has no other nodes
            raise TypeError(f"the Word writer does not know {type(node).__name__}")

    def cover(self, cover: d.Cover) -> None:
        self.runs(self.paragraph("Title"), cover.title)
        for line in cover.lines:
            self.runs(self.paragraph("Subtitle"), line)
        self.pending_break = True

    def toc(self) -> None:
        heading = self.paragraph("TOC Heading", "heading 1")
        add_text_run(heading._p, self.labels["contents"])
        entries = [h for h in self.doc.headings() if h.level <= 3]
        first = True
        for entry in entries:
            paragraph = self.paragraph(f"toc {entry.level}")
            if first:
                _field_begin(paragraph._p, TOC_INSTRUCTION, dirty=True)
                first = False
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), self.toc_anchor[id(entry)])
            link.set(qn("w:history"), "1")
            paragraph._p.append(link)
            add_text_run(link, d.plain(entry.runs).replace("\n", " "))
        end = self.paragraph("toc 1") if entries else self.paragraph()
        if first:
            _field_begin(end._p, TOC_INSTRUCTION, dirty=True)
        _field_char(end._p, "end")
        self.pending_break = True

    def heading(self, heading: d.Heading) -> None:
        level = min(max(heading.level, 1), 9)
        paragraph = self.paragraph(f"heading {level}", spaced=False)
        ident = self.bookmark(paragraph, self.toc_anchor[id(heading)])
        self.runs(paragraph, heading.runs)
        self.close_bookmark(paragraph, ident)

    def list_num_id(self, ordered: bool, boxed: str | None = None) -> int | None:
        """The numbering of a new list: bullets share one, each numbered list restarts at 1.

        A list in a box (``boxed``: the paragraph style of a note) gets a copy of the list
        style's numbering indented from the box's left edge, so the box stays one box.
        """
        list_style = "List Number" if ordered else "List Bullet"
        num_id = self.style_num_id(list_style)
        if num_id is None or not (ordered or boxed):
            return num_id
        numbering = self.word.part.numbering_part.element
        try:
            abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
        except KeyError:
            return num_id
        if boxed:
            key = (abstract_id, boxed)
            if key not in self.boxed_abstract:
                self.boxed_abstract[key] = self.boxed_numbering(numbering, abstract_id, boxed)
            abstract_id = self.boxed_abstract[key]
            if not ordered and abstract_id in self.boxed_bullets:
                return self.boxed_bullets[abstract_id]
        num = numbering.add_num(abstract_id)
        if ordered:
            num.add_lvlOverride(ilvl=0).add_startOverride(1)
        else:
            self.boxed_bullets[abstract_id] = int(num.numId)
        return int(num.numId)

    def boxed_numbering(self, numbering, abstract_id: int, style: str) -> int:
        """A copy of an abstract numbering, its levels shifted by the style's left indent."""
        abstracts = list(numbering.iterchildren(qn("w:abstractNum")))
        source = next(a for a in abstracts
                      if a.get(qn("w:abstractNumId")) == str(abstract_id))
        copy_ = copy.deepcopy(source)
        new_id = max(int(a.get(qn("w:abstractNumId"))) for a in abstracts) + 1
        copy_.set(qn("w:abstractNumId"), str(new_id))
        nsid = copy_.find(qn("w:nsid"))
        if nsid is not None:  # Word tells lists apart by nsid
            nsid.set(qn("w:val"), _short_hash(f"{style}/{new_id}", 8).upper())
        shift = self.style_indent(style)
        for level in copy_.iterchildren(qn("w:lvl")):
            for link in level.findall(qn("w:pStyle")):
                level.remove(link)
            for tab in level.iter(qn("w:tab")):
                tab.set(qn("w:pos"), str(int(tab.get(qn("w:pos"), "0")) + shift))
            for ind in level.iter(qn("w:ind")):
                for attr in ("w:left", "w:start"):
                    if ind.get(qn(attr)) is not None:
                        ind.set(qn(attr), str(int(ind.get(qn(attr))) + shift))
        abstracts[-1].addnext(copy_)
        return new_id

    def list_items(self, items: list[d.Inline], ordered: bool, style: str | None = None,
                   bookmark: str | None = None, counter: int = 0) -> int:
        """Write list items; returns the block paragraph counter after them."""
        list_style = "List Number" if ordered else "List Bullet"
        num_id = self.list_num_id(ordered, style) if (ordered or style) else None
        for item in items:
            paragraph = self.paragraph(style, list_style) if style else self.paragraph(list_style)
            if num_id is not None:
                num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = num_id
            counter = self.flow_runs(paragraph, item, bookmark, counter)
        return counter

    def style_indent(self, name: str) -> int:
        """The left indent (twips) a paragraph style sets, 0 if none."""
        sid = self.style_id(name)
        style = self.styles.get_by_id(sid) if sid else None
        ind = style.find(f"{qn('w:pPr')}/{qn('w:ind')}") if style is not None else None
        value = (ind.get(qn("w:left")) or ind.get(qn("w:start"))) if ind is not None else None
        return int(value) if value else 0

    def flow_runs(self, paragraph: WordParagraph, runs: d.Inline, bookmark: str | None,
                  counter: int) -> int:
        if bookmark is None:
            self.runs(paragraph, runs)
            return counter
        counter += 1
        ident = self.bookmark(paragraph, f"{bookmark}_{counter}")
        self.runs(paragraph, runs)
        self.close_bookmark(paragraph, ident)
        return counter

    def bullet_list(self, node: d.BulletList) -> None:
        self.list_items(node.items, node.ordered)

    def flow(self, children: list[d.Paragraph | d.BulletList], style: str | None = None,
             bookmark: str | None = None) -> None:
        counter = 0
        for child in children:
            if isinstance(child, d.Paragraph):
                paragraph = self.paragraph(style) if style else self.paragraph("Normal")
                counter = self.flow_runs(paragraph, child.runs, bookmark, counter)
            else:
                counter = self.list_items(child.items, child.ordered, style, bookmark, counter)

    def block(self, block: d.Block) -> None:
        prefix = bookmark_prefix(block.id, self.block_prefixes)
        self.block_prefixes[prefix] = block.id
        self.flow(block.children, bookmark=prefix)

    def note(self, note: d.Note) -> None:
        self.flow(note.children, style="Note")

    def caption(self, label: str, sequence: str, number: int, caption: d.Inline,
                keep_with_next: bool) -> None:
        paragraph = self.paragraph("caption")
        if keep_with_next:
            paragraph.paragraph_format.keep_with_next = True
        add_text_run(paragraph._p, f"{label} ")
        add_field(paragraph._p, f" SEQ {sequence} \\* ARABIC ", str(number))
        add_text_run(paragraph._p, ": ")
        self.runs(paragraph, caption)

    def text_width(self) -> int:
        """Width between the margins of the current section, in twips."""
        section = Section(self.body.sectPr, self.word.part)
        width = section.page_width - section.left_margin - section.right_margin
        return int(Emu(width).twips)

    def table(self, node: d.Table) -> None:
        self.tables += 1
        self.caption(self.labels["table"], "Table", self.tables, node.caption, keep_with_next=True)
        columns = _columns(node)
        table = self.word.add_table(rows=0, cols=columns)
        tbl = table._tbl
        sid = self.style_id("Cluster Table", "Table Grid")
        if sid:
            tbl.tblPr.style = sid
        tbl_w = tbl.tblPr.find(qn("w:tblW"))
        tbl_w.set(qn("w:type"), "pct")
        tbl_w.set(qn("w:w"), "5000")
        layout = OxmlElement("w:tblLayout")  # the widths below, not the clients' own guess
        layout.set(qn("w:type"), "fixed")
        tbl_w.addnext(layout)
        look = tbl.tblPr.find(qn("w:tblLook"))
        if look is not None:
            for attr, value in (("firstRow", "1"), ("lastRow", "0"), ("firstColumn", "0"),
                                ("lastColumn", "0"), ("noHBand", "1"), ("noVBand", "1"),
                                ("val", "0620")):
                look.set(qn(f"w:{attr}"), value)
        widths = self.column_widths(node, columns)
        for grid_col, width in zip(tbl.tblGrid.iterchildren(qn("w:gridCol")), widths, strict=True):
            grid_col.w = Twips(width)
        align = [node.align[i] if i < len(node.align) else None for i in range(columns)]
        self.table_row(table, node.header, widths, align, header=True)
        for row in node.rows:
            self.table_row(table, row, widths, align, header=False)
        self.after_table = True

    def column_widths(self, node: d.Table, columns: int) -> list[int]:
        """Column widths (twips) filling the text width, shared out as browsers do for tables.

        Each column needs at least its longest word (and the whole of short cells, such as
        numbers, which should not wrap) and would like its longest cell on one line; the width
        beyond the needs goes to the columns in proportion to what more they would like.
        """
        need, want = [], []
        for i in range(columns):
            texts = [d.plain(r[i]) for r in node.rows if i < len(r)]
            head = d.plain(node.header[i]) if i < len(node.header) else ""
            longest_word = max((len(w) for t in [head, *texts] for w in t.split()), default=1)
            short = max((len(t) for t in texts if len(t) <= SHORT_CELL), default=0)
            need.append(max(longest_word, short, 2) * CHAR_TWIPS + CELL_PAD_TWIPS)
            longest = max((len(t) for t in [head, *texts]), default=1)
            want.append(max(longest * CHAR_TWIPS + CELL_PAD_TWIPS, need[-1]))
        width = self.text_width()
        if sum(need) >= width:
            shares = need
        elif sum(want) <= width:
            shares = want
        else:
            extra = width - sum(need)
            more = sum(w - n for w, n in zip(want, need, strict=True))
            shares = [n + extra * (w - n) / more for w, n in zip(want, need, strict=True)]
        total = sum(shares)
        return [int(width * share / total) for share in shares]

    def table_row(self, table, cells: list[d.Inline], widths: list[int],
                  align: list[str | None], header: bool) -> None:
        tr = _sub(table._tbl, "w:tr")
        tr_pr = _sub(tr, "w:trPr")
        _sub(tr_pr, "w:cantSplit")
        if header:
            _sub(tr_pr, "w:tblHeader")
        text_style = self.style_id("Table Text")
        for i, width in enumerate(widths):
            tc = _sub(tr, "w:tc")
            tc_pr = _sub(tc, "w:tcPr")
            _sub(tc_pr, "w:tcW", {"w:w": str(width), "w:type": "dxa"})
            p = _sub(tc, "w:p")
            # The cell paragraph's properties in schema order: pStyle, keepNext, jc.
            jc = align[i] if align[i] in _ALIGN and align[i] != "left" else None
            if text_style or header or jc:
                p_pr = _sub(p, "w:pPr")
                if text_style:
                    _sub(p_pr, "w:pStyle", {"w:val": text_style})
                if header:
                    _sub(p_pr, "w:keepNext")
                if jc:
                    _sub(p_pr, "w:jc", {"w:val": jc})
            if i < len(cells):
                self.runs(WordParagraph(p, None), cells[i])

    def figure(self, node: d.Figure) -> None:
        chart = self.doc.charts.get(node.chart)
        if chart is None:
            raise ValueError(f"figure '{node.id}' shows chart '{node.chart}', "
                             "which the document does not have")
        self.figures += 1
        paragraph = self.paragraph("Normal")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        image = Image.from_blob(chart.png)
        width = min(FIGURE_WIDTH, Twips(self.text_width()))
        height = int(width * image.px_height / image.px_width)
        if height > FIGURE_MAX_HEIGHT:
            height = FIGURE_MAX_HEIGHT
            width = int(height * image.px_width / image.px_height)
        run = paragraph.add_run()
        run.add_picture(BytesIO(chart.png), width=Emu(width), height=Emu(height))
        alt = clean_text(node.alt or chart.alt)
        title = clean_text(d.plain(node.caption))
        for tag in ("wp:docPr", "pic:cNvPr"):
            element = run._r.find(f".//{qn(tag)}")
            if element is not None:
                element.set("descr", alt)
                element.set("title", title)
        doc_pr = run._r.find(f".//{qn('wp:docPr')}")
        doc_pr.set("name", f"{self.labels['figure']} {self.figures}")
        self.caption(self.labels["figure"], "Figure", self.figures, node.caption,
                     keep_with_next=False)

    # sections

    def section_break(self, landscape: bool) -> None:
        """End the current section; the next one is landscape or portrait.

        The first break keeps the header and footer references (and the cover's first-page
        setting) on the first section; later sections have none, so they are linked to the
        previous one and show the same header and footer.
        """
        self.body.add_section_break()
        holder = self.body.findall(qn("w:p"))[-1]  # the new, empty paragraph with the sectPr
        p_pr = holder.find(qn("w:pPr"))
        spacing = OxmlElement("w:spacing")
        for attr, value in (("before", "0"), ("after", "0"), ("line", "240"),
                            ("lineRule", "auto")):
            spacing.set(qn(f"w:{attr}"), value)
        p_pr.insert(0, spacing)
        mark = OxmlElement("w:rPr")  # a tiny paragraph mark: no stray blank line
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), "2")
        mark.append(size)
        p_pr.find(qn("w:sectPr")).addprevious(mark)
        sentinel = self.body.sectPr
        title_pg = sentinel.find(qn("w:titlePg"))
        if title_pg is not None:
            sentinel.remove(title_pg)
        section = Section(sentinel, self.word.part)
        width, height = section.page_width, section.page_height
        if landscape != (width > height):
            section.page_width, section.page_height = height, width
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        self.landscape = landscape
        self.pending_break = False  # a section break starts a new page anyway
        self.after_table = False

    def finish_sections(self, has_cover: bool) -> None:
        if not has_cover:  # no cover: the first page shows the header and footer too
            first = self.body.find(f".//{qn('w:sectPr')}")
            title_pg = first.find(qn("w:titlePg")) if first is not None else None
            if title_pg is not None:
                title_pg.getparent().remove(title_pg)

    # document-wide settings and properties

    def set_language(self) -> None:
        tag = self.doc.properties.language_tag
        defaults = self.styles.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = OxmlElement("w:docDefaults")
            self.styles.insert(0, defaults)
        r_default = defaults.find(qn("w:rPrDefault"))
        if r_default is None:
            r_default = OxmlElement("w:rPrDefault")
            defaults.insert(0, r_default)
        r_pr = r_default.find(qn("w:rPr"))
        if r_pr is None:
            r_pr = OxmlElement("w:rPr")
            r_default.append(r_pr)
        for old in r_pr.findall(qn("w:lang")):
            r_pr.remove(old)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), tag)
        lang.set(qn("w:eastAsia"), "en-US")
        lang.set(qn("w:bidi"), "ar-SA")
        later = [r_pr.find(qn(t)) for t in ("w:eastAsianLayout", "w:specVanish", "w:oMath")]
        later = [el for el in later if el is not None]
        if later:
            later[0].addprevious(lang)
        else:
            r_pr.append(lang)
        settings = self.word.settings.element
        theme_lang = settings.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:val"), tag)

    def set_update_fields(self) -> None:
        """``w:updateFields``: Word refreshes the TOC (page numbers) and captions on opening."""
        settings = self.word.settings.element
        for old in settings.findall(qn("w:updateFields")):
            settings.remove(old)
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        successors = (
            "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
            "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
            "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
            "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
            "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
        )
        tags = {qn(t) for t in successors}
        after = next((el for el in settings if el.tag in tags), None)
        if after is not None:
            after.addprevious(update)
        else:
            settings.append(update)

    def set_properties(self) -> None:
        props = self.doc.properties
        now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
        core = self.word.core_properties
        core.title = clean_text(props.title)
        core.subject = clean_text(props.subject)
        core.author = clean_text(props.author)
        core.last_modified_by = clean_text(props.author)
        core.keywords = clean_text(", ".join(k for k in props.keywords if k))
        core.category = props.document_kind
        core.comments = clean_text(
            getattr(props, "comments", None)
            or f"{props.document_kind} · {props.cluster_id} · cluster-reports "
               f"{props.generator_version}"
        )
        core.language = props.language_tag
        core.created = now
        core.modified = now
        core.revision = 1
        core.content_status = ""
        custom = {
            "cluster_id": props.cluster_id,
            "params_hash": props.params_hash,
            "generator_version": props.generator_version,
            "document_kind": props.document_kind,
            "language": props.lang,
            BLOCKS_PROPERTY: json.dumps(self.block_prefixes, ensure_ascii=False,
                                        separators=(",", ":")),
            **record(self.word, self.block_prefixes),
        }
        set_custom_properties(self.word, custom)

    def fill_header_title(self) -> None:
        """Give the TITLE fields of headers and footers the title as their cached result."""
        title = clean_text(self.doc.properties.title)
        for rel in list(self.word.part.rels.values()):
            if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
                _set_field_result(rel.target_part.element, "TITLE", title)


def _set_field_result(root: etree._Element, field: str, value: str) -> None:
    for simple in root.iter(qn("w:fldSimple")):
        if simple.get(qn("w:instr"), "").split()[:1] == [field]:
            runs = simple.findall(qn("w:r"))
            for run in runs:
                simple.remove(run)
            add_text_run(simple, value)
    for paragraph in root.iter(qn("w:p")):
        state = None  # None, "instr", "result"
        instruction = ""
        result_runs: list[etree._Element] = []
        for run in paragraph.iter(qn("w:r")):
            fld = run.find(qn("w:fldChar"))
            kind = fld.get(qn("w:fldCharType")) if fld is not None else None
            if kind == "begin":
                state, instruction, result_runs = "instr", "", []
            elif kind == "separate" and state == "instr":
                state = "result"
            elif kind == "end" and state is not None:
                if instruction.split()[:1] == [field] and result_runs:
                    texts = [t for r in result_runs for t in r.findall(qn("w:t"))]
                    if texts:
                        texts[0].text = value
                        texts[0].set(qn("xml:space"), "preserve")
                        for t in texts[1:]:
                            t.text = ""
                state = None
            elif state == "instr":
                instruction += "".join(t.text or "" for t in run.findall(qn("w:instrText")))
            elif state == "result":
                result_runs.append(run)


# --- entry point ---------------------------------------------------------------------------------


def build(doc: d.Document, reference: Path) -> tuple[docx.document.Document, dict[str, str]]:
    """The python-docx document for ``doc`` on ``reference``, not yet saved, and its blocks' bookmark
    prefixes (prefix -> block id)."""
    writer = _Writer(doc, Path(reference))
    return writer.write(), writer.block_prefixes


def write_docx(doc: d.Document, path: Path, reference: Path) -> None:
    """Write ``doc`` as a new .docx at ``path``, atomically. Over a reviewed file, write through
    ``review.merge.write_docx`` instead, which keeps the reviewer's work."""
    word, _prefixes = build(doc, reference)
    write_atomic(Path(path), lambda tmp: word.save(str(tmp)))
