"""Sections: which nodes go on landscape pages (tables too wide for a portrait page, and the headings
that open them), the section breaks between portrait and landscape, the cover's section of its own
(the pages after it are numbered from 1), and the width the text has between the margins."""

from __future__ import annotations

from dataclasses import dataclass

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Emu

from cluster_reports.compose import tree as d

from .tables import TABLE_PT, column_widths, columns, font_size, table_height

UPRIGHT_SMALLEST_PT = 8.5  # a table that fits a portrait page at this size may stay upright
# ... unless, set smaller in narrow columns, it would fill more than this share of the page and be
# this many times as tall as on a landscape page.
TALL_SHARE, TALLER = 0.6, 1.5


@dataclass(frozen=True)
class Page:
    """A portrait page's text area and a landscape page's text width, in twips."""

    width: int
    height: int
    landscape_width: int


def landscape_flags(nodes: list[d.Node], page: Page) -> list[bool]:
    """For each node, whether it goes on a landscape page (a table, and the heading opening it).

    A table goes if it cannot fit the portrait page's width without breaking words even set a
    little smaller (down to ``UPRIGHT_SMALLEST_PT``), or if set smaller it would stand most of
    a page tall in narrow columns where a landscape page sets it in far fewer lines.
    """
    wide = [isinstance(n, d.Table) and _needs_landscape(n, page) for n in nodes]
    for i in range(len(nodes) - 2, -1, -1):  # a heading goes with the wide table it opens
        if isinstance(nodes[i], d.Heading) and wide[i + 1]:
            wide[i] = True
    return wide


# Elements that follow w:pgNumType in a w:sectPr (schema order).
_AFTER_PG_NUM = tuple(qn(f"w:{t}") for t in (
    "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter",
    "docGrid", "printerSettings", "sectPrChange"))


def _needs_landscape(table: d.Table, page: Page) -> bool:
    if table.landscape:
        return True
    size = font_size(table, page.width)
    if size < UPRIGHT_SMALLEST_PT:
        return True
    if size == TABLE_PT:
        return False
    count = columns(table)
    upright = table_height(table, column_widths(table, count, page.width, size), size)
    turned_size = font_size(table, page.landscape_width)
    turned = table_height(table, column_widths(table, count, page.landscape_width, turned_size),
                          turned_size)
    return upright > TALL_SHARE * page.height and upright >= TALLER * turned


def page_of(word: docx.document.Document) -> Page:
    """The page of the current (last, portrait) section."""
    section = Section(word.element.body.sectPr, word.part)
    width = section.page_width - section.left_margin - section.right_margin
    height = section.page_height - section.top_margin - section.bottom_margin
    turned = section.page_height - section.left_margin - section.right_margin
    return Page(int(Emu(width).twips), int(Emu(height).twips), int(Emu(turned).twips))


def add_section_break(word: docx.document.Document, landscape: bool,
                      restart_numbering: bool = False) -> None:
    """End the current section; the next one is landscape or portrait, and its pages are
    numbered from 1 if ``restart_numbering`` (the section after the cover), else on from the
    previous section's.

    The first break keeps the header and footer references (and the cover's first-page
    setting) on the first section; later sections have none, so they are linked to the
    previous one and show the same header and footer.
    """
    body = word.element.body
    body.add_section_break()
    holder = body.findall(qn("w:p"))[-1]  # the new, empty paragraph with the sectPr
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
    sentinel = body.sectPr
    title_pg = sentinel.find(qn("w:titlePg"))
    if title_pg is not None:
        sentinel.remove(title_pg)
    for old in sentinel.findall(qn("w:pgNumType")):
        sentinel.remove(old)
    if restart_numbering:
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:start"), "1")
        after = next((el for el in sentinel if el.tag in _AFTER_PG_NUM), None)
        if after is not None:
            after.addprevious(numbering)
        else:
            sentinel.append(numbering)
    section = Section(sentinel, word.part)
    width, height = section.page_width, section.page_height
    if landscape != (width > height):
        section.page_width, section.page_height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT


def finish(word: docx.document.Document, has_cover: bool) -> None:
    """Without a cover the first page shows the header and footer too."""
    if not has_cover:
        first = word.element.body.find(f".//{qn('w:sectPr')}")
        title_pg = first.find(qn("w:titlePg")) if first is not None else None
        if title_pg is not None:
            title_pg.getparent().remove(title_pg)


def text_width(word: docx.document.Document) -> int:
    """Width between the margins of the current (last) section, in twips."""
    section = Section(word.element.body.sectPr, word.part)
    width = section.page_width - section.left_margin - section.right_margin
    return int(Emu(width).twips)


def text_height(word: docx.document.Document) -> int:
    """Height between the margins of the current (last) section, in twips."""
    section = Section(word.element.body.sectPr, word.part)
    height = section.page_height - section.top_margin - section.bottom_margin
    return int(Emu(height).twips)


def portrait_text_width(word: docx.document.Document) -> int:
    """The narrowest width between the margins of any section (a portrait page's), in twips:
    the header, shared by every section, has to fit it."""
    widths = []
    for sect_pr in word.element.body.iter(qn("w:sectPr")):
        section = Section(sect_pr, word.part)
        widths.append(int(Emu(section.page_width - section.left_margin - section.right_margin).twips))
    return min(widths)
