"""Form tables (``::: table ID form``): forms filled in by hand. In Word, every body row at least
1 cm tall, every border drawn, the header repeated, and the table kept on one page where it fits;
in HTML, the form class with tall rows on screen and in print. Empty cells are fine in both."""

from __future__ import annotations

import re
from pathlib import Path

import clients  # tests/clients.py
import docx
import docx_sample  # tests/writers/docx_sample.py
import pytest
from docx.oxml.ns import qn

from cluster_reports.compose import markdown, templating
from cluster_reports.writers.docx import write_docx
from cluster_reports.writers.docx.tables import FORM_BLANK_TWIPS, FORM_ROW_TWIPS
from cluster_reports.writers.html import render_html

REFERENCE = Path(docx_sample.__file__).parents[2] / "templates" / "reference.docx"


def _source(ident: str, rows: int, form: bool, cells: str = "|  |  |  |") -> str:
    head = f"::: table {ident}{' form' if form else ''}\nMinutes, part 2\n\n"
    return (head + "| No. | Decision | Who |\n| --- | --- | --- |\n"
            + "".join(cells.replace("|  |", f"| {n} |", 1) + "\n" for n in range(1, rows + 1)) + ":::\n")


def _word(tmp_path: Path, source: str) -> docx.document.Document:
    doc = docx_sample.document("en")
    doc.nodes = markdown.parse("# Forms\n\n" + source)
    path = tmp_path / "forms.docx"
    write_docx(doc, path, REFERENCE)
    return docx.Document(str(path))


def test_the_dialect_marks_a_form_and_refuses_other_options():
    form, plain = markdown.parse(_source("tbl-a", 2, True) + "\n" + _source("tbl-b", 2, False))
    assert form.form and not plain.form
    # empty cells parse as empty cells, not as missing ones
    assert [len(r) for r in form.rows] == [3, 3] and form.rows[0][1:] == [[], []]
    with pytest.raises(markdown.MarkdownError, match="takes only the options 'form', 'landscape'"):
        markdown.parse("::: table tbl-c wide\nCaption\n\n| a |\n| --- |\n| 1 |\n:::\n")


def test_the_table_macro_writes_a_form_only_when_asked(templates):
    env = templating.environment(templates, "en")
    source = env.from_string(
        '{% import "markdown/macros.md.j2" as m %}'
        '{{ m.table("tbl-x", "Caption", ["A", "B"], [["1", ""]], form=true) }}\n'
        '{{ m.table("tbl-y", "Caption", ["A", "B"], [["1", "2"]]) }}'
    ).render()
    first, second = markdown.parse(source)
    assert first.form and markdown.d.plain(first.rows[0][0]) == "1" and first.rows[0][1] == []
    assert not second.form and markdown.d.plain(second.rows[0][1]) == "2"


def test_word_form_rows_are_tall_bordered_and_kept_together(tmp_path):
    word = _word(tmp_path, _source("tbl-form", 12, True) + "\n" + _source("tbl-plain", 12, False))
    form, plain = (t._tbl for t in word.tables)
    rows = form.findall(qn("w:tr"))
    heights = [r.find(f"{qn('w:trPr')}/{qn('w:trHeight')}") for r in rows]
    # the header row keeps its own height and repeats on every page; each of the 12 rows to write
    # in is at least 1 cm
    assert heights[0] is None and rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert [(h.get(qn("w:val")), h.get(qn("w:hRule"))) for h in heights[1:]] == [
        (str(FORM_ROW_TWIPS), "atLeast")] * 12
    assert FORM_ROW_TWIPS >= 567  # 1 cm
    borders = form.tblPr.find(qn("w:tblBorders"))
    assert {b.tag.split("}")[1]: b.get(qn("w:val")) for b in borders} == {
        side: "single" for side in ("top", "left", "bottom", "right", "insideH", "insideV")}
    # 13 rows of at least 1 cm fit on a page: every row but the last keeps with the next one,
    # no row splits across pages
    keeps = [r.find(f".//{qn('w:keepNext')}") is not None for r in rows]
    assert keeps == [True] * 12 + [False]
    assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
    # an ordinary table of the same rows: no row height, the style's open sides, free to break
    plain_rows = plain.findall(qn("w:tr"))
    assert all(r.find(f"{qn('w:trPr')}/{qn('w:trHeight')}") is None for r in plain_rows)
    assert plain.tblPr.find(qn("w:tblBorders")) is None


def test_word_gives_empty_form_columns_room_to_write(tmp_path):
    word = _word(tmp_path, _source("tbl-form", 3, True) + "\n" + _source("tbl-plain", 3, False))
    form, plain = ([int(c.get(qn("w:w"))) for c in t._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
                   for t in word.tables)
    # the number column stays narrow; the two empty columns share the rest, each wider than
    # the blank width a hand needs, and wider than in the ordinary table
    assert form[1] >= FORM_BLANK_TWIPS and form[2] >= FORM_BLANK_TWIPS
    assert form[0] < form[1] and form[0] < plain[0]


def test_word_form_taller_than_a_page_breaks_between_rows(tmp_path):
    word = _word(tmp_path, _source("tbl-long", 40, True))
    rows = word.tables[0]._tbl.findall(qn("w:tr"))
    keeps = [r.find(f".//{qn('w:keepNext')}") is not None for r in rows]
    # 40 rows of 1 cm cannot share one page: the header keeps with two rows, the last two stay
    # together, and the rows between may break; the header repeats on the next page
    assert keeps[:3] == [True, True, False] and keeps[-3:] == [False, True, False]
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def test_html_form_has_its_class_tall_rows_and_empty_cells(templates):
    doc = docx_sample.document("en")
    doc.nodes = markdown.parse("# Forms\n\n" + _source("tbl-form", 2, True) + "\n"
                               + _source("tbl-plain", 2, False))
    page = render_html(doc, templates)
    wraps = re.findall(r'<div class="(table-wrap[^"]*)"[^>]*>\s*<table id="([^"]+)">', page)
    assert wraps == [("table-wrap form", "tbl-form"), ("table-wrap", "tbl-plain")]
    form = page.split('<table id="tbl-form">', 1)[1].split("</table>", 1)[0]
    assert form.count("<td></td>") == 4  # the cells to write in stay cells
    css = (templates / "html" / "style.css").read_text(encoding="utf-8")
    screen, print_rules = css.split("@media print", 1)
    assert re.search(r"\.table-wrap\.form tbody td \{[^}]*height: 2\.4rem", screen)
    assert re.search(r"\.table-wrap\.form th, \.table-wrap\.form td \{ border: 1px solid", screen)
    assert re.search(r"\.table-wrap\.form \{ break-inside: avoid; \}", print_rules)
    assert re.search(r"\.table-wrap\.form tbody td \{ height: 1cm; \}", print_rules)


@pytest.mark.clients
def test_libreoffice_reads_the_form_and_keeps_it_on_one_page(tmp_path):
    """LibreOffice opens the form (valid WordprocessingML), sets it on one page after a page
    already half full, and keeps the rows' minimum height when it saves the file again."""
    filler = "\n\n".join(f"Paragraph {n} of the text before the form, long enough to fill its line "
                         "and push the form towards the end of the page." for n in range(1, 13))
    doc = docx_sample.document("en")
    doc.nodes = markdown.parse("# Forms\n\n" + filler + "\n\n" + _source("tbl-form", 12, True))
    path = tmp_path / "forms.docx"
    write_docx(doc, path, REFERENCE)
    pages = clients.pdf_text(clients.docx_to_pdf(path, tmp_path / "pdf")).split("\f")
    # the header row repeats on every page a table runs over: printed once, the form did not split
    form_pages = [n for n, page in enumerate(pages) if "Decision" in page]
    assert len(form_pages) == 1
    page = pages[form_pages[0]]
    assert "Minutes, part 2" in page and "Paragraph 12" not in page  # moved whole to a new page
    numbers = re.findall(r"^\s*(\d{1,2})\s*$", page, re.M)
    assert [int(n) for n in numbers][:12] == list(range(1, 13))
    resaved = docx.Document(str(clients.docx_resave(path, tmp_path / "resaved")))
    rows = resaved.tables[0]._tbl.findall(qn("w:tr"))
    heights = [r.find(f"{qn('w:trPr')}/{qn('w:trHeight')}") for r in rows[1:]]
    assert all(h is not None and int(h.get(qn("w:val"))) >= FORM_ROW_TWIPS - 2 for h in heights)
