"""The Word writer: a written document's structure checked with python-docx (cover, contents and its
TOC field, headings, runs and links, lists, tables and their SEQ captions, landscape sections, the
header's TITLE, pictures), and a round trip through LibreOffice. Blocks, properties, field results
and the reference document have their own test_docx_*.py."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import clients  # tests/clients.py (tests/ is on sys.path through its conftest)
import docx
import docx_sample as sample  # tests/writers/docx_sample.py
import pytest
from docx.oxml.ns import qn

from cluster_reports.compose import markdown
from cluster_reports.review.reviewed import block_texts
from cluster_reports.writers.docx import write_docx
from cluster_reports.writers.docx.properties import read_custom_properties


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    return sample.reference(tmp_path_factory)


@pytest.fixture(scope="module")
def written(reference, tmp_path_factory) -> Path:
    return sample.written(reference, tmp_path_factory)


def test_cover_toc_and_headings(written):
    word = docx.Document(str(written))
    paragraphs = word.paragraphs
    assert paragraphs[0].style.name == "Title"
    assert paragraphs[0].text == "Laporan Profil Klaster"
    assert [p.style.name for p in paragraphs[1:3]] == ["Subtitle", "Subtitle"]
    assert paragraphs[1].text == "Sentra Logam Tegal" and paragraphs[1].runs[0].bold
    # the cover is a section of its own; the next one's pages are numbered from 1
    cover_end = paragraphs[3]._p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
    assert cover_end is not None and cover_end.find(qn("w:titlePg")) is not None
    numbering = word.sections[1]._sectPr.find(qn("w:pgNumType"))
    assert numbering is not None and numbering.get(qn("w:start")) == "1"
    assert all(s._sectPr.find(qn("w:pgNumType")) is None for s in word.sections[2:])
    toc_heading = paragraphs[4]
    assert toc_heading.style.name == "TOC Heading" and toc_heading.text == "Daftar Isi"
    # a TOC field spanning the entry paragraphs: begin in the first, end after the last
    instructions = [t.text.strip() for t in word.element.body.iter(qn("w:instrText"))]
    assert [i for i in instructions if i.startswith("TOC")] == ['TOC \\o "1-3" \\h \\z \\u']
    chars = [(i, c.get(qn("w:fldCharType"))) for i, p in enumerate(paragraphs)
             for c in p._p.iter(qn("w:fldChar"))]
    assert chars[:2] == [(5, "begin"), (5, "separate")] and (10, "end") in chars
    # each entry ends with a tab and the page of its heading: a PAGEREF to the heading's bookmark
    page_refs = [i.split()[1] for i in instructions if i.startswith("PAGEREF")]
    bookmarks = [p._p.find(qn("w:bookmarkStart")).get(qn("w:name")) for p in paragraphs
                 if p.style.name.startswith("Heading")]
    assert page_refs == bookmarks
    # the TOC's result is pre-filled with the headings (levels 1-3), as links to them
    entries = [(p.style.name, p.text.rstrip("\t")) for p in paragraphs
               if p.style.name.startswith("toc")]
    assert entries[:5] == [
        ("toc 1", "Ringkasan"), ("toc 2", "Data dasar"), ("toc 3", "Rincian"),
        ("toc 1", "Lampiran lebar"), ("toc 1", "Penutup"),
    ]
    heading_styles = [(p.style.name, p.text) for p in paragraphs
                      if p.style.name.startswith("Heading")]
    assert heading_styles == [
        ("Heading 1", "Ringkasan"), ("Heading 2", "Data dasar"), ("Heading 3", "Rincian"),
        ("Heading 1", "Lampiran lebar"), ("Heading 1", "Penutup"),
    ]
    first_heading = next(p for p in paragraphs if p.style.name == "Heading 1")
    assert first_heading.paragraph_format.page_break_before  # the TOC gets a page of its own


def test_table_captions_and_styles(written):
    word = docx.Document(str(written))
    captions = [p for p in word.paragraphs if p.style.name == "Caption"]
    assert [p.text for p in captions] == [
        "Tabel 1: Jumlah unit usaha menurut ukuran",
        "Gambar 1: Unit usaha menurut ukuran",
        "Tabel 2: Tabel lebar dengan tujuh kolom",
    ]
    assert [sample.fields(p) for p in captions] == [
        [("SEQ Table \\* ARABIC", "1")], [("SEQ Figure \\* ARABIC", "1")],
        [("SEQ Table \\* ARABIC", "2")],
    ]
    # the table caption is above its table, the figure caption below its picture
    body = list(word.element.body)
    first_caption = body.index(captions[0]._p)
    assert body[first_caption + 1].tag == qn("w:tbl")
    assert captions[0].paragraph_format.keep_with_next
    figure_caption = body.index(captions[1]._p)
    assert body[figure_caption - 1].find(f".//{qn('wp:inline')}") is not None

    small, wide = word.tables
    assert small.style.name == "Cluster Table"
    header_tr = small.rows[0]._tr
    assert header_tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert small.rows[1]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
    width = small._tbl.tblPr.find(qn("w:tblW"))
    assert (width.get(qn("w:type")), width.get(qn("w:w"))) == ("pct", "5000")
    assert [c.text for c in small.rows[1].cells] == ["Mikro", "95", "1.234"]
    alignments = [c.paragraphs[0].alignment for c in small.rows[1].cells]
    assert alignments == [None, 2, 2]  # numbers right-aligned
    assert small.rows[0].cells[1].paragraphs[0].alignment == 2
    assert len(wide.columns) == 7
    # cells never split across pages; the short tables stay whole (each row kept with the next)
    for table in (small, wide):
        rows = [r._tr for r in table.rows]
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
        keeps = [r.find(f".//{qn('w:keepNext')}") is not None for r in rows]
        assert keeps == [True] * (len(rows) - 1) + [False]


def test_wide_table_has_a_landscape_section(written):
    word = docx.Document(str(written))
    sections = word.sections
    # cover, portrait pages, the landscape table, portrait again
    assert [s.orientation for s in sections] == [0, 0, 1, 0]
    landscape = sections[2]
    assert landscape.page_width > landscape.page_height
    # header and footer: defined on the first section, linked (inherited) after it
    assert not sections[0].header.is_linked_to_previous
    assert all(s.header.is_linked_to_previous and s.footer.is_linked_to_previous
               for s in sections[1:])
    assert sections[0].different_first_page_header_footer  # no header on the cover
    assert not any(s.different_first_page_header_footer for s in sections[1:])
    # the wide table and the heading that opens it are inside the landscape section
    body = list(word.element.body)
    breaks = [i for i, el in enumerate(body) if el.find(f".//{qn('w:sectPr')}") is not None]
    wide_table = [i for i, el in enumerate(body) if el.tag == qn("w:tbl")][1]
    heading = max(i for i, el in enumerate(body)
                   if el.tag == qn("w:p") and sample.text(el) == "Lampiran lebar")
    assert breaks[1] < heading < wide_table < breaks[2]
    # the header shows the document title as the TITLE field's cached result
    header = sections[0].header.paragraphs[0]
    assert sample.fields(header) == [("TITLE \\* MERGEFORMAT", sample.TITLE)]


def test_picture_alt_text(written):
    word = docx.Document(str(written))
    doc_prs = word.element.body.findall(f".//{qn('wp:docPr')}")
    assert len(doc_prs) == 1
    assert doc_prs[0].get("descr") == "Diagram batang: 95 unit mikro dan 25 unit kecil"
    assert doc_prs[0].get("title") == "Unit usaha menurut ukuran"
    picture = word.inline_shapes[0]
    assert 14.5 < picture.width.cm < 15.5
    paragraph = next(p for p in word.paragraphs if p._p.find(f".//{qn('wp:inline')}") is not None)
    assert paragraph.alignment == 1  # centred


def test_runs_links_and_user_text(written):
    word = docx.Document(str(written))
    intro = next(p for p in word.paragraphs if p.text.startswith("Sentra ini"))
    bold = [r.text for r in intro.runs if r.bold]
    italic = [r.text for r in intro.runs if r.italic]
    assert bold == ["120 unit usaha"] and italic == ["pemasaran"]
    code = next(r for r in intro.runs if r.text == "ISIC 2599")
    assert code.style.name == "Code"
    user = next(p for p in word.paragraphs if p.text.startswith("Teks pengguna"))
    assert user.text == "Teks pengguna tetap teks: <b>tebal</b> & {{ x }} tidak diolah."
    item = next(p for p in word.paragraphs if p.text.startswith("Butir kedua"))
    assert item.style.name == "List Bullet"
    link = item._p.find(qn("w:hyperlink"))
    rel = word.part.rels[link.get(qn("r:id"))]
    assert rel.is_external and rel.target_ref == "https://example.org/a?b=1&c=2"
    note = next(p for p in word.paragraphs if p.text.startswith("Angka dalam"))
    assert note.style.name == "Note"
    numbered = [p for p in word.paragraphs if p.text.startswith("Langkah")]
    assert [p.style.name for p in numbered] == ["List Number", "List Number"]


WIDE = """::: table {id}
Wide

| Perindustrian | Ketenagakerjaan | Perdagangan | Kewirausahaan | Pemberdayaan | Standardisasi | Koperasi |
| --- | --- | --- | --- | --- | --- | --- |
| Penganggarannya | Pemberdayaannya | Pendampingannya | Pemasarannya | Permodalannya | 6 | 7 |
:::
"""

NARROW = """::: table narrow
Seven short columns

| Period | Firms | Q1 | Q2 | Q3 | Q4 | Share |
| --- | --- | --: | --: | --: | --: | --: |
| 2003 | 12 | 1 | 2 | 3 | 4 | 12.5 % |
:::
"""


def test_a_table_that_fits_upright_stays_upright(reference, tmp_path):
    """Many columns alone do not make a table wide: these seven fit a portrait page."""
    doc = sample.document()
    doc.nodes = markdown.parse("# Start\n\n" + NARROW)
    path = tmp_path / "narrow.docx"
    write_docx(doc, path, reference)
    word = docx.Document(str(path))
    assert [s.orientation for s in word.sections] == [0]
    widths = [int(c.get(qn("w:w"))) for c in word.tables[0]._tbl.tblGrid.iterchildren()]
    assert sum(widths) <= 9070 and min(widths) > 500  # within the margins, no squeezed column


def test_adjacent_wide_tables_share_a_landscape_section_to_the_end(reference, tmp_path):
    source = (
        "# Start\n\nText.\n\n[back to start](#sec-start) and [elsewhere](other.html)\n\n"
        + WIDE.format(id="w1") + "\n" + WIDE.format(id="w2")
    )
    doc = sample.document()
    doc.nodes = markdown.parse("{#sec-start}\n" + source)
    path = tmp_path / "wide.docx"
    write_docx(doc, path, reference)
    word = docx.Document(str(path))
    assert [s.orientation for s in word.sections] == [0, 1]  # no empty portrait page at the end
    assert not word.sections[0].different_first_page_header_footer  # no cover: header on page 1
    link_paragraph = next(p for p in word.paragraphs if p.text.startswith("back to start"))
    links = link_paragraph._p.findall(qn("w:hyperlink"))
    assert len(links) == 1  # a relative link to a file has no meaning in Word: text only
    heading = next(p for p in word.paragraphs if p.style.name == "Heading 1")
    start = heading._p.find(qn("w:bookmarkStart"))
    assert links[0].get(qn("w:anchor")) == start.get(qn("w:name"))
    assert link_paragraph.text == "back to start and elsewhere"


def test_english_labels_and_fallback(reference, tmp_path):
    doc = sample.document("en")
    doc.labels = {}
    path = tmp_path / "profile.en.docx"
    write_docx(doc, path, reference)
    word = docx.Document(str(path))
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert captions[0].startswith("Table 1: ") and captions[1].startswith("Figure 1: ")
    assert any(p.text == "Contents" and p.style.name == "TOC Heading" for p in word.paragraphs)
    assert word.core_properties.language == "en-US"
    assert read_custom_properties(path)["language"] == "en"


def test_write_is_atomic(reference, tmp_path):
    path = tmp_path / "out.docx"
    path.write_bytes(b"old")
    doc = sample.document()
    doc.charts = {}  # the figure's chart is missing: the write fails
    with pytest.raises(ValueError, match="chart 'size'"):
        write_docx(doc, path, reference)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]


# --- real clients ---------------------------------------------------------------------------------


def _soffice(args: list[str], timeout: float = 180) -> None:
    clients.require_soffice()
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = ["soffice", "--headless", f"-env:UserInstallation={Path(profile).as_uri()}", *args]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(cmd)} failed:\n{result.stderr[-2000:]}"


@pytest.mark.clients
def test_libreoffice_pdf_and_resave(written, tmp_path):
    pdf = clients.docx_to_pdf(written, tmp_path / "pdf")
    text = clients.pdf_text(pdf)
    assert "Laporan Profil Klaster" in text
    assert "Tabel 1" in text and "Tabel 2" in text and "Gambar 1" in text
    assert "1.234" in text
    assert "Daftar Isi" in text
    assert sample.TITLE in text  # the header's TITLE field
    assert "{{" not in text.replace("{{ x }}", "")  # only the user's literal text
    assert "<b>tebal</b>" in text

    docx_dir = tmp_path / "docx"  # re-saved by LibreOffice, as a reviewer using it would
    _soffice(["--convert-to", "docx", "--outdir", str(docx_dir), str(written)])
    resaved = docx_dir / written.name
    assert resaved.is_file()
    texts = block_texts(resaved)
    assert texts == block_texts(written)  # captions are blocks too: read alike after the re-save
    assert {b: t for b, t in texts.items() if not b.startswith("caption-")} == sample.expected_blocks()
    assert read_custom_properties(resaved) == read_custom_properties(written)
