"""Tables: column widths shared out as browsers share them, measured from the text at the table's
size (smaller for a table too wide for its page), its height estimated, and the Word table around
the cells (the table style, full width, a fixed layout, a header row repeated on every page, rows
kept whole and kept with the next where the writer asks)."""

from __future__ import annotations

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Twips
from lxml import etree

from cluster_reports.compose import tree as d

from .elements import sub
from .metrics import text_twips

TABLE_PT = 9.5  # the Table Text style's size; the header row is bold
SMALLEST_PT = 7.0  # a table too wide for its page is set smaller, down to this
CELL_PAD_TWIPS = 230  # the table style's cell margins (2 x 85) and a little slack
SHORT_CELL = 16  # cells up to this long (numbers, amounts) are kept on one line if they can be
_JUSTIFIED = {"right", "center"}  # w:jc values; left is the default and needs none
# A form filled in by hand: each body row at least 1 cm tall (567 twips), room for a line of
# handwriting; a column of empty cells wants at least this width (2.5 cm) to write in.
FORM_ROW_TWIPS = 567
FORM_BLANK_TWIPS = 1417
FORM_BORDER = {"w:val": "single", "w:sz": "6", "w:space": "0", "w:color": "4D4D4D"}


def columns(table: d.Table) -> int:
    return max([len(table.header), *(len(r) for r in table.rows), 1])


def _measure(node: d.Table, columns: int, size: float = TABLE_PT) -> tuple[list[int], list[int]]:
    """Per column, the width it needs (twips: its longest word, and the whole of short cells
    such as numbers, which should not wrap) and the width it would like (its longest cell on
    one line), measured at the table's font, the header in bold."""
    need, want = [], []
    for i in range(columns):
        texts = [d.plain(r[i]) for r in node.rows if i < len(r)]
        head = d.plain(node.header[i]) if i < len(node.header) else ""
        words = [text_twips(w, size, bold=True) for w in head.split()]
        words += [text_twips(w, size) for t in texts for w in t.split()]
        words += [text_twips(t, size) for t in texts if len(t) <= SHORT_CELL]
        need.append(max([*words, text_twips("00", size)]) + CELL_PAD_TWIPS)
        lines = [text_twips(head, size, bold=True), *(text_twips(t, size) for t in texts)]
        if node.form and any(not t.strip() for t in texts):  # a hand needs the room, not only likes it
            need[-1] = max(need[-1], FORM_BLANK_TWIPS)
            lines.append(FORM_BLANK_TWIPS)
        want.append(max(max(lines) + CELL_PAD_TWIPS, need[-1]))
    return need, want


def needed_width(node: d.Table) -> int:
    """The narrowest the table can be (twips) with no word broken inside its cells."""
    return sum(_measure(node, columns(node))[0])


def font_size(node: d.Table, width: int) -> float:
    """The table's text size (points): the style's, unless the table needs more than ``width``
    so; then smaller, in half points (down to ``SMALLEST_PT``), so that no word breaks."""
    size = TABLE_PT
    while size > SMALLEST_PT and sum(_measure(node, columns(node), size)[0]) > width:
        size -= 0.5
    return size


def column_widths(node: d.Table, columns: int, width: int, size: float = TABLE_PT) -> list[int]:
    """Column widths (twips) filling ``width``, shared out as browsers do for tables.

    Each column gets at least what it needs (``_measure``, at ``size`` points); the width
    beyond the needs goes to the columns in proportion to what more they would like.
    """
    need, want = _measure(node, columns, size)
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


def form_borders(tbl: CT_Tbl) -> None:
    """Every border of the table drawn (the table style leaves the outer sides open): a form's
    boxes to write in, on screen and on paper."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        sub(borders, f"w:{side}", FORM_BORDER)
    # tblBorders follows tblW, jc, tblCellSpacing and tblInd, and precedes tblLayout, in schema order
    tbl.tblPr.find(qn("w:tblLayout")).addprevious(borders)


def add_row(tbl: CT_Tbl, widths: list[int], align: list[str | None], header: bool,
            text_style: str | None, keep_with_next: bool = False,
            min_height: int | None = None) -> list[etree._Element]:
    """Append a row of empty cells (a repeated header row if ``header``), kept on the page of
    the next row if ``keep_with_next``, at least ``min_height`` twips tall if given (a form's
    row to write in); returns the cells' paragraphs, for their text."""
    tr = sub(tbl, "w:tr")
    tr_pr = sub(tr, "w:trPr")
    sub(tr_pr, "w:cantSplit")
    if min_height:
        sub(tr_pr, "w:trHeight", {"w:val": str(min_height), "w:hRule": "atLeast"})
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
        if text_style or header or keep_with_next or jc:
            p_pr = sub(p, "w:pPr")
            if text_style:
                sub(p_pr, "w:pStyle", {"w:val": text_style})
            if header or keep_with_next:
                sub(p_pr, "w:keepNext")
            if jc:
                sub(p_pr, "w:jc", {"w:val": jc})
        paragraphs.append(p)
    return paragraphs


def table_height(node: d.Table, widths: list[int], size: float = TABLE_PT) -> int:
    """About how tall the table is set in columns ``widths`` (twips): each row as tall as its
    cell of most lines, a cell's lines estimated from its text's width."""
    line = round(size * 1.15 * 20)  # Arial's line height, single spacing
    row_extra = 2 * 30 + 2 * 28  # the Table Text style's spacing and the cell margins, top and bottom
    total = 0
    for row, bold in [(node.header, True), *((r, False) for r in node.rows)]:
        lines = 1
        for cell, width in zip(row, widths, strict=False):
            room = max(width - CELL_PAD_TWIPS, 1)
            words = d.plain(cell).split()
            count, used = 1, 0
            space = text_twips(" ", size, bold)
            for word in words:  # greedy line filling, as the clients fill lines
                w = text_twips(word, size, bold)
                if used and used + space + w > room:
                    count, used = count + 1, w
                else:
                    used += (space if used else 0) + w
            lines = max(lines, count)
        height = lines * line + row_extra
        total += max(height, FORM_ROW_TWIPS) if node.form and not bold else height
    return total


def set_font_size(tbl: CT_Tbl, size: float) -> None:
    """Every run and paragraph mark of the table at ``size`` points (the style's size otherwise)."""
    half_points = str(round(size * 2))
    for p in tbl.iter(qn("w:p")):
        p_pr = p.find(qn("w:pPr"))
        if p_pr is None:
            p_pr = OxmlElement("w:pPr")
            p.insert(0, p_pr)
        targets = [p_pr]
        targets += [r for r in p.iter(qn("w:r"))]
        for target in targets:
            r_pr = target.find(qn("w:rPr"))
            if r_pr is None:
                r_pr = OxmlElement("w:rPr")
                if target is p_pr:
                    p_pr.append(r_pr)  # the paragraph mark's rPr comes last in pPr
                else:
                    target.insert(0, r_pr)
            # rStyle, rFonts, b and i come before sz in schema order; nothing after them here
            sub(r_pr, "w:sz", {"w:val": half_points})
            sub(r_pr, "w:szCs", {"w:val": half_points})
