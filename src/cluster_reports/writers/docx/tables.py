"""Tables: column widths shared out as browsers share them, and the Word table around the cells (the
table style, full width, a fixed layout, a header row repeated on every page, rows kept whole)."""

from __future__ import annotations

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Twips
from lxml import etree

from cluster_reports.compose import tree as d

from .elements import sub

CHAR_TWIPS = 105  # a character of 9.5 pt table text, generously (Arial averages about 95)
CELL_PAD_TWIPS = 200  # the cell margins of the table style and a little slack
SHORT_CELL = 16  # cells up to this long (numbers, amounts) are kept on one line if they can be
_JUSTIFIED = {"right", "center"}  # w:jc values; left is the default and needs none


def columns(table: d.Table) -> int:
    return max([len(table.header), *(len(r) for r in table.rows), 1])


def column_widths(node: d.Table, columns: int, width: int) -> list[int]:
    """Column widths (twips) filling ``width``, shared out as browsers do for tables.

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


def add_table(word: docx.document.Document, widths: list[int], style_id: str | None) -> CT_Tbl:
    """A new table at the end of the body, with no rows yet: full width, its columns ``widths``."""
    tbl = word.add_table(rows=0, cols=len(widths))._tbl
    if style_id:
        tbl.tblPr.style = style_id
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
    for grid_col, width in zip(tbl.tblGrid.iterchildren(qn("w:gridCol")), widths, strict=True):
        grid_col.w = Twips(width)
    return tbl


def add_row(tbl: CT_Tbl, widths: list[int], align: list[str | None], header: bool,
            text_style: str | None) -> list[etree._Element]:
    """Append a row of empty cells (a repeated header row if ``header``); returns the cells'
    paragraphs, for their text."""
    tr = sub(tbl, "w:tr")
    tr_pr = sub(tr, "w:trPr")
    sub(tr_pr, "w:cantSplit")
    if header:
        sub(tr_pr, "w:tblHeader")
    paragraphs = []
    for i, width in enumerate(widths):
        tc = sub(tr, "w:tc")
        tc_pr = sub(tc, "w:tcPr")
        sub(tc_pr, "w:tcW", {"w:w": str(width), "w:type": "dxa"})
        p = sub(tc, "w:p")
        # The cell paragraph's properties in schema order: pStyle, keepNext, jc.
        jc = align[i] if align[i] in _JUSTIFIED else None
        if text_style or header or jc:
            p_pr = sub(p, "w:pPr")
            if text_style:
                sub(p_pr, "w:pStyle", {"w:val": text_style})
            if header:
                sub(p_pr, "w:keepNext")
            if jc:
                sub(p_pr, "w:jc", {"w:val": jc})
        paragraphs.append(p)
    return paragraphs
