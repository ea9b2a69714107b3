"""The body of the Word file: the tree's nodes as paragraphs, runs, links, lists, tables, figures and
captions, with a TOC field, a bookmark on each heading (the TOC's, its page numbers' and links'
anchor) and on each paragraph of a narrative block, of a caption and of a narrative table cell, and
section breaks after the cover and around the landscape pages."""

from __future__ import annotations

import re
from copy import deepcopy
from io import BytesIO
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, Twips
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run as WordRun
from lxml import etree

from cluster_reports.compose import tree as d

from . import sections
from .blocks import bookmark_prefix
from .elements import add_text_run, clean_text, sub
from .fields import (
    TOC_INSTRUCTION,
    add_field,
    begin_field,
    end_field,
    page_ref_instruction,
    seq_instruction,
)
from .numbering import Numbering
from .styles import Styles
from .tables import (
    FORM_ROW_TWIPS,
    TABLE_PT,
    add_row,
    add_table,
    column_widths,
    columns,
    font_size,
    form_borders,
    set_font_size,
    table_height,
)

DEFAULT_LABELS = {"table": "Table", "figure": "Figure", "contents": "Contents"}
FIGURE_WIDTH = Cm(15)
FIGURE_MAX_HEIGHT = Cm(20)
AFTER_TABLE = Pt(9)
# A table up to this share of the page's height does not break across pages (moved whole to the
# next page, it leaves at most this much blank); a taller one may.
KEEP_WHOLE_SHARE = 0.45
COVER_LOGO_HEIGHT = Cm(2.5)
COVER_LOGO_MAX_WIDTH = Cm(6)
COVER_GAP = Pt(36)  # between the cluster's lines and the status below them


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


def _keep_lead_in(paragraph: WordParagraph, runs: d.Inline) -> None:
    """A paragraph that introduces what follows (it ends with a colon) stays on its page."""
    if d.plain(runs).rstrip().endswith(":"):
        paragraph.paragraph_format.keep_with_next = True


class BodyWriter:
    """Writes ``doc``'s nodes into ``word`` (opened on ``reference``), whose body it empties first:
    the reference's specimen goes, its last section's properties (page, header, footer) stay."""

    def __init__(self, doc: d.Document, word: docx.document.Document, reference: Path):
        self.doc = doc
        self.labels = {**DEFAULT_LABELS, **{k: v for k, v in doc.labels.items() if v}}
        self.word = word
        self.body = word.element.body
        for child in list(self.body):
            if child.tag != qn("w:sectPr"):
                self.body.remove(child)
        self.styles = Styles(reference, word.styles.element)
        self.numbering = Numbering(word, self.styles)
        self.pending_break = False
        self.after_table = False  # the next paragraph keeps a little distance from the table
        self.landscape = False
        self.next_bookmark = 1
        self.tables = 0
        self.figures = 0
        self.block_prefixes: dict[str, str] = {}  # bookmark prefix -> block id
        # TOC anchors of headings, known before the TOC (which comes first) is written.
        self.toc_anchor: dict[int, str] = {}
        self.heading_anchor_by_id: dict[str, str] = {}
        for n, heading in enumerate(doc.headings(), start=1):
            name = f"_Toc_cr_{n}"
            self.toc_anchor[id(heading)] = name
            if heading.id:
                self.heading_anchor_by_id[heading.id] = name

    # paragraphs and runs

    def paragraph(self, *style_names: str, spaced: bool = True) -> WordParagraph:
        """A new paragraph in the first of the styles found (Normal if none is).

        It takes a pending page break, and (if ``spaced``; headings bring their own space) a
        little space when it follows a table.
        """
        paragraph = self.word.add_paragraph()
        sid = self.styles.id(*style_names) if style_names else None
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
        element = sub(parent, "w:r")
        char_style = None
        if run.code:
            char_style = self.styles.id("Code", "Verbatim Char", "HTML Code")
        elif linked:
            char_style = self.styles.id("Hyperlink")
        if char_style or run.code or run.bold or run.italic or run.lang:
            r_pr = sub(element, "w:rPr")
            if char_style:
                sub(r_pr, "w:rStyle", {"w:val": char_style})
            elif run.code:
                sub(r_pr, "w:rFonts", {"w:ascii": "Courier New", "w:hAnsi": "Courier New"})
            if run.bold:
                sub(r_pr, "w:b")
            if run.italic:
                sub(r_pr, "w:i")
            if run.lang:  # a text in the other language (not yet translated): its own, for spelling
                sub(r_pr, "w:lang", {"w:val": d.LANGUAGE_TAGS[run.lang]})
        text = clean_text(run.text)
        if "\t" in text or "\n" in text:
            WordRun(element, paragraph).text = text  # tabs and breaks become w:tab and w:br
        elif text:
            t = sub(element, "w:t")
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

    def write(self) -> None:
        nodes = self.doc.nodes
        flags = sections.landscape_flags(nodes, sections.page_of(self.word))
        for node, landscape in zip(nodes, flags, strict=True):
            if not isinstance(node, d.PageBreak) and landscape != self.landscape:
                self.section_break(landscape)
            self.node(node)
            if isinstance(node, d.Cover):  # the cover is a section of its own, unnumbered
                self.section_break(False, restart_numbering=True)
        sections.finish(self.word, any(isinstance(n, d.Cover) for n in nodes))

    def node(self, node: d.Node) -> None:
        if isinstance(node, d.Cover):
            self.cover(node)
        elif isinstance(node, d.Toc):
            self.toc()
        elif isinstance(node, d.Heading):
            self.heading(node)
        elif isinstance(node, d.Paragraph):
            paragraph = self.paragraph("Normal")
            _keep_lead_in(paragraph, node.runs)
            self.runs(paragraph, node.runs)
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
        """The cover page: logo and agency at the top, the title, the cluster's lines, then the
        status and version and the mark, set apart below them."""
        if cover.logo is not None and cover.logo.data:
            self.cover_logo(cover.logo)
        if cover.agency:
            agency = self.paragraph("Subtitle")
            self.runs(agency, [d.Run(r.text, True, r.italic, r.code, r.href) for r in cover.agency])
        self.runs(self.paragraph("Title"), cover.title)
        for line in cover.lines:
            self.runs(self.paragraph("Subtitle"), line)
        for n, part in enumerate(p for p in (cover.status, cover.mark) if p):
            paragraph = self.paragraph("Subtitle")
            if n == 0:
                paragraph.paragraph_format.space_before = COVER_GAP
            self.runs(paragraph, part)
        self.pending_break = True

    def cover_logo(self, logo: d.Logo) -> None:
        image = Image.from_blob(logo.data)
        height = COVER_LOGO_HEIGHT
        width = int(height * image.px_width / image.px_height)
        if width > COVER_LOGO_MAX_WIDTH:
            width = COVER_LOGO_MAX_WIDTH
            height = int(width * image.px_height / image.px_width)
        paragraph = self.paragraph("Normal")
        paragraph.paragraph_format.space_after = Pt(12)
        run = paragraph.add_run()
        run.add_picture(BytesIO(logo.data), width=Emu(width), height=Emu(height))
        for tag in ("wp:docPr", "pic:cNvPr"):
            element = run._r.find(f".//{qn(tag)}")
            if element is not None:
                element.set("descr", clean_text(logo.alt))
                element.set("title", clean_text(logo.alt))

    def toc(self) -> None:
        heading = self.paragraph("TOC Heading", "heading 1")
        add_text_run(heading._p, self.labels["contents"])
        entries = [h for h in self.doc.headings() if h.level <= 3]
        first = True
        for entry in entries:
            paragraph = self.paragraph(f"toc {entry.level}")
            if first:
                begin_field(paragraph._p, TOC_INSTRUCTION, dirty=True)
                first = False
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), self.toc_anchor[id(entry)])
            link.set(qn("w:history"), "1")
            paragraph._p.append(link)
            add_text_run(link, d.heading_text(entry).replace("\n", " "))
            # The page number, as Word writes it: a tab to the dotted right tab stop of the TOC
            # styles, then a PAGEREF to the heading's bookmark (its result filled in by Word on
            # update, or by ``toc_pages`` from LibreOffice's layout).
            sub(sub(link, "w:r"), "w:tab")
            add_field(link, page_ref_instruction(self.toc_anchor[id(entry)]), "")
        end = self.paragraph("toc 1") if entries else self.paragraph()
        if first:
            begin_field(end._p, TOC_INSTRUCTION, dirty=True)
        end_field(end._p)
        self.pending_break = True

    def heading(self, heading: d.Heading) -> None:
        level = min(max(heading.level, 1), 9)
        paragraph = self.paragraph(f"heading {level}", spaced=False)
        ident = self.bookmark(paragraph, self.toc_anchor[id(heading)])
        if heading.number:  # plain text, so a TOC field rebuilt by Word or LibreOffice keeps it
            add_text_run(paragraph._p, f"{heading.number} ")
        self.runs(paragraph, heading.runs)
        self.close_bookmark(paragraph, ident)

    def list_items(self, items: list[d.Inline], ordered: bool, style: str | None = None,
                   bookmark: str | None = None, counter: int = 0) -> int:
        """Write list items; returns the block paragraph counter after them."""
        list_style = "List Number" if ordered else "List Bullet"
        num_id = self.numbering.new_list(ordered, style) if (ordered or style) else None
        for item in items:
            paragraph = self.paragraph(style, list_style) if style else self.paragraph(list_style)
            if num_id is not None:
                num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = num_id
            counter = self.flow_runs(paragraph, item, bookmark, counter)
        return counter

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
                _keep_lead_in(paragraph, child.runs)
                counter = self.flow_runs(paragraph, child.runs, bookmark, counter)
            else:
                counter = self.list_items(child.items, child.ordered, style, bookmark, counter)

    def block_prefix(self, block_id: str) -> str:
        """The bookmark prefix of a block (a narrative block, a caption, a narrative cell),
        registered for ``cr_blocks``."""
        prefix = bookmark_prefix(block_id, self.block_prefixes)
        self.block_prefixes[prefix] = block_id
        return prefix

    def block(self, block: d.Block) -> None:
        # A block boxed as a note looks like one: the Note style, whatever its kind.
        self.flow(block.children, style="Note" if block.note else None, bookmark=self.block_prefix(block.id))

    def note(self, note: d.Note) -> None:
        self.flow(note.children, style="Note")

    def caption(self, label: str, sequence: str, number: int, caption: d.Inline,
                keep_with_next: bool, block_id: str) -> None:
        """A caption paragraph, a block of its own: its bookmark spans the whole paragraph, label
        and number field too (a reviewer retyping the caption's words keeps it); the block's text
        is the words after the number (``captions.caption_text``)."""
        paragraph = self.paragraph("caption")
        if keep_with_next:
            paragraph.paragraph_format.keep_with_next = True
        ident = self.bookmark(paragraph, f"{self.block_prefix(block_id)}_1")
        add_text_run(paragraph._p, f"{label} ")
        add_field(paragraph._p, seq_instruction(sequence), str(number))
        add_text_run(paragraph._p, ": ")
        self.runs(paragraph, caption)
        self.close_bookmark(paragraph, ident)

    def cell_block(self, p: etree._Element, runs: d.Inline, block_id: str) -> None:
        """A narrative cell's text, a block: each of its lines a paragraph of the cell (as a
        reviewer's Enter makes one), each with its bookmark ``<prefix>_<n>``."""
        prefix = self.block_prefix(block_id)
        lines: list[d.Inline] = [[]]
        for run in runs:
            if run.text == "\n":
                lines.append([])
            else:
                lines[-1].append(run)
        for n, line in enumerate(lines, start=1):
            if n > 1:
                following = deepcopy(p)
                for child in list(following):
                    if child.tag != qn("w:pPr"):
                        following.remove(child)
                p.addnext(following)
                p = following
            self.flow_runs(WordParagraph(p, None), line, prefix, n - 1)

    def table(self, node: d.Table) -> None:
        self.tables += 1
        self.caption(self.labels["table"], "Table", self.tables, node.caption, keep_with_next=True,
                     block_id=node.caption_block)
        count = columns(node)
        width = sections.text_width(self.word)
        size = font_size(node, width)
        widths = column_widths(node, count, width, size)
        tbl = add_table(self.word, widths, self.styles.id("Cluster Table", "Table Grid"))
        align = [node.align[i] if i < len(node.align) else None for i in range(count)]
        text_style = self.styles.id("Table Text")
        rows = [(node.header, True), *((row, False) for row in node.rows)]
        last = len(rows) - 1
        # A form stays on one page wherever it fits on one (it is printed and filled in by hand).
        share = 1.0 if node.form else KEEP_WHOLE_SHARE
        whole = table_height(node, widths, size) <= share * sections.text_height(self.word)
        if node.form:
            form_borders(tbl)
        for n, (cells, header) in enumerate(rows):
            # A short table stays whole; a long one keeps its header with two rows and its last
            # two rows together, so that no page holds a single row of it.
            keep = n < last and (whole or n <= 1 or n == last - 1)
            height = FORM_ROW_TWIPS if node.form and not header else None
            paragraphs = add_row(tbl, widths, align, header, text_style, keep, height)
            # a short row leaves cells empty
            for column, (p, cell) in enumerate(zip(paragraphs, cells, strict=False)):
                block_id = None if header else node.cell_blocks.get((n - 1, column))
                if block_id is not None:
                    self.cell_block(p, cell, block_id)
                else:
                    self.runs(WordParagraph(p, None), cell)
        if size != TABLE_PT:
            set_font_size(tbl, size)
        self.after_table = True

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
        width = min(FIGURE_WIDTH, Twips(sections.text_width(self.word)))
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
                     keep_with_next=False, block_id=node.caption_block)

    def section_break(self, landscape: bool, restart_numbering: bool = False) -> None:
        sections.add_section_break(self.word, landscape, restart_numbering)
        self.landscape = landscape
        self.pending_break = False  # a section break starts a new page anyway
        self.after_table = False
