"""The Word writer: structure checked with python-docx, and a round trip through LibreOffice."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import altair as alt
import clients  # tests/clients.py (tests/ is on sys.path through its conftest)
import docx
import pytest
import vl_convert
from conftest import ROOT
from docx.oxml.ns import qn

from cluster_reports.compose import markdown
from cluster_reports.compose.tree import Chart, Document, Properties
from cluster_reports.review.reviewed import block_texts
from cluster_reports.writers.docx import write_docx
from cluster_reports.writers.docx.blocks import BOOKMARK_MAX, bookmark_prefix
from cluster_reports.writers.docx.properties import read_custom_properties
from cluster_reports.writers.docx.reference import build_reference

SHIPPED_REFERENCE = ROOT / "templates" / "reference.docx"

SOURCE = r"""
::: cover
# Laporan Profil Klaster

**Sentra Logam Tegal**

Kabupaten Tegal, Jawa Tengah
:::

::: toc
:::

# Ringkasan

::: block summary.intro
Sentra ini memiliki **120 unit usaha** dengan *pemasaran* yang kuat dan kode `ISIC 2599`.

Teks pengguna tetap teks: \<b\>tebal\</b\> \& \{\{ x \}\} tidak diolah.

- Butir pertama
- Butir kedua dengan [tautan](https://example.org/a?b=1&c=2)
:::

## Data dasar

::: table tbl-basic
Jumlah unit usaha menurut ukuran

| Ukuran | Unit | Pekerja |
| --- | --: | --: |
| Mikro | 95 | 1.234 |
| Kecil | 25 | 310 |
:::

::: note synthetic
Angka dalam laporan ini bersifat ilustratif.
:::

### Rincian

::: block basic-data
1. Langkah satu
2. Langkah dua

Paragraf penutup blok.
:::

::: figure fig-size
Unit usaha menurut ukuran

![Diagram batang: 95 unit mikro dan 25 unit kecil](chart:size)
:::

# Lampiran lebar

::: table tbl-wide
Tabel lebar dengan tujuh kolom

| Kode | Nama | A | B | C | D | E |
| --- | --- | --: | --: | --: | --: | --: |
| 01 | Satu | 1 | 2 | 3 | 4 | 5 |
| 02 | Dua | 6 | 7 | 8 | 9 | 10 |
:::

# Penutup

::: block closing
Terima kasih.
:::
"""

TITLE = "Laporan Profil Klaster: Sentra Logam Tegal"


def _chart_png() -> bytes:
    chart = (
        alt.Chart(alt.Data(values=[{"size": "Mikro", "n": 95}, {"size": "Kecil", "n": 25}]))
        .mark_bar()
        .encode(y="size:N", x="n:Q")
        .properties(width=300, height=80)
    )
    return vl_convert.vegalite_to_png(chart.to_json(), scale=1)


def _document(lang: str = "id") -> Document:
    labels = {
        "id": {"table": "Tabel", "figure": "Gambar", "contents": "Daftar Isi"},
        "en": {"table": "Table", "figure": "Figure", "contents": "Contents"},
    }[lang]
    properties = Properties(
        title=TITLE,
        subject="Logam dan komponen mesin",
        lang=lang,
        cluster_id="jateng-tegal-logam",
        params_hash="sha256:" + "ab" * 32,
        generator_version="0.1.0",
        document_kind="profile",
        keywords=["Sentra Logam Tegal", "Kabupaten Tegal", "Jawa Tengah"],
    )
    charts = {"size": Chart(png=_chart_png(), svg="<svg/>", alt="chart alt")}
    return Document(markdown.parse(SOURCE), charts, properties, labels)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reference") / "reference.docx"
    build_reference(path)
    return path


@pytest.fixture(scope="module")
def written(reference, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "profile.id.docx"
    write_docx(_document(), path, reference)
    return path


def _fields(paragraph) -> list[tuple[str, str]]:
    """(instruction, cached result) of the complex fields in a paragraph."""
    found, state, instr, result = [], None, "", ""
    for run in paragraph._p.iter(qn("w:r")):
        fld = run.find(qn("w:fldChar"))
        kind = fld.get(qn("w:fldCharType")) if fld is not None else None
        if kind == "begin":
            state, instr, result = "instr", "", ""
        elif kind == "separate":
            state = "result"
        elif kind == "end":
            found.append((instr.strip(), result))
            state = None
        elif state == "instr":
            instr += "".join(t.text or "" for t in run.iter(qn("w:instrText")))
        elif state == "result":
            result += "".join(t.text or "" for t in run.iter(qn("w:t")))
    return found


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def test_reference_is_shipped_with_the_writers_styles(reference):
    """templates/reference.docx exists and has the styles the writer uses."""
    assert SHIPPED_REFERENCE.is_file(), "run: python -m cluster_reports.writers.docx.reference " \
                                        "templates/reference.docx"
    for path in (reference, SHIPPED_REFERENCE):
        names = {s.name for s in docx.Document(str(path)).styles}
        for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "TOC Heading",
                     "List Bullet", "List Number", "Caption", "Note", "Cluster Table",
                     "Table Text", "Hyperlink", "Code"):
            assert name in names, f"{path}: style {name!r} missing"


def test_reference_page_header_and_footer(reference):
    word = docx.Document(str(reference))
    section = word.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    for margin in (section.left_margin, section.right_margin, section.top_margin,
                   section.bottom_margin):
        assert round(margin.cm, 2) == 2.5
    header = section.header.paragraphs[0]
    assert [f[0].split()[0] for f in _fields(header)] == ["TITLE"]
    assert header.alignment is None and header.style.name == "Header"
    assert header.style.paragraph_format.alignment == 2  # right
    footer = section.footer.paragraphs[0]
    assert [f[0].split()[0] for f in _fields(footer)] == ["PAGE", "NUMPAGES"]
    assert footer.text.strip().replace(" ", "") == "1/1"
    note = word.styles["Note"].element
    assert note.find(f".//{qn('w:shd')}") is not None
    assert note.find(f".//{qn('w:pBdr')}/{qn('w:left')}") is not None


def test_cover_toc_and_headings(written):
    word = docx.Document(str(written))
    paragraphs = word.paragraphs
    assert paragraphs[0].style.name == "Title"
    assert paragraphs[0].text == "Laporan Profil Klaster"
    assert [p.style.name for p in paragraphs[1:3]] == ["Subtitle", "Subtitle"]
    assert paragraphs[1].text == "Sentra Logam Tegal" and paragraphs[1].runs[0].bold
    toc_heading = paragraphs[3]
    assert toc_heading.style.name == "TOC Heading" and toc_heading.text == "Daftar Isi"
    assert toc_heading.paragraph_format.page_break_before  # the cover ends with a page break
    # a TOC field spanning the entry paragraphs: begin in the first, end after the last
    instructions = [t.text.strip() for t in word.element.body.iter(qn("w:instrText"))]
    assert [i for i in instructions if i.startswith("TOC")] == ['TOC \\o "1-3" \\h \\z \\u']
    chars = [(i, c.get(qn("w:fldCharType"))) for i, p in enumerate(paragraphs)
             for c in p._p.iter(qn("w:fldChar"))]
    assert chars[:3] == [(4, "begin"), (4, "separate"), (9, "end")]
    # the TOC's result is pre-filled with the headings (levels 1-3), as links to them
    entries = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("toc")]
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


def test_update_fields_and_language(written):
    word = docx.Document(str(written))
    update = word.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    lang = word.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "id-ID"
    assert word.core_properties.language == "id-ID"


def test_core_and_custom_properties(written):
    core = docx.Document(str(written)).core_properties
    assert core.title == TITLE
    assert core.subject == "Logam dan komponen mesin"
    assert core.author == "cluster-reports"
    assert core.keywords == "Sentra Logam Tegal, Kabupaten Tegal, Jawa Tengah"
    assert core.category == "profile"
    assert core.created is not None and core.modified is not None
    custom = read_custom_properties(written)
    # What was generated, in the blocks and outside them: a reviewer's edits are told from it.
    assert json.loads(custom.pop("cr_generated")) == _expected_blocks()
    outside = json.loads(custom.pop("cr_outside"))
    assert "Laporan Profil Klaster" in outside and not any("Terima kasih" in t for t in outside)
    assert custom == {
        "cluster_id": "jateng-tegal-logam",
        "params_hash": "sha256:" + "ab" * 32,
        "generator_version": "0.1.0",
        "document_kind": "profile",
        "language": "id",
        "cr_blocks": json.dumps({"cr_summary_intro": "summary.intro",
                                 "cr_basic_data": "basic-data", "cr_closing": "closing"},
                                separators=(",", ":")),
    }
    with zipfile.ZipFile(written) as archive:
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("_rels/.rels").decode()
        custom_xml = archive.read("docProps/custom.xml").decode()
    assert 'PartName="/docProps/custom.xml"' in types
    assert "application/vnd.openxmlformats-officedocument.custom-properties+xml" in types
    assert "relationships/custom-properties" in rels
    assert 'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="cluster_id"' \
        in custom_xml


def test_table_captions_and_styles(written):
    word = docx.Document(str(written))
    captions = [p for p in word.paragraphs if p.style.name == "Caption"]
    assert [p.text for p in captions] == [
        "Tabel 1: Jumlah unit usaha menurut ukuran",
        "Gambar 1: Unit usaha menurut ukuran",
        "Tabel 2: Tabel lebar dengan tujuh kolom",
    ]
    assert [_fields(p) for p in captions] == [
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


def test_wide_table_has_a_landscape_section(written):
    word = docx.Document(str(written))
    sections = word.sections
    assert [s.orientation for s in sections] == [0, 1, 0]  # portrait, landscape, portrait
    landscape = sections[1]
    assert landscape.page_width > landscape.page_height
    # header and footer: defined on the first section, linked (inherited) after it
    assert not sections[0].header.is_linked_to_previous
    assert sections[1].header.is_linked_to_previous and sections[2].footer.is_linked_to_previous
    assert sections[0].different_first_page_header_footer  # no header on the cover
    assert not sections[1].different_first_page_header_footer
    # the wide table and the heading that opens it are inside the landscape section
    body = list(word.element.body)
    breaks = [i for i, el in enumerate(body) if el.find(f".//{qn('w:sectPr')}") is not None]
    wide_table = [i for i, el in enumerate(body) if el.tag == qn("w:tbl")][1]
    heading = max(i for i, el in enumerate(body)
                   if el.tag == qn("w:p") and _text(el) == "Lampiran lebar")
    assert breaks[0] < heading < wide_table < breaks[1]
    # the header shows the document title as the TITLE field's cached result
    header = sections[0].header.paragraphs[0]
    assert _fields(header) == [("TITLE \\* MERGEFORMAT", TITLE)]


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


def test_block_bookmarks_one_per_paragraph(written):
    word = docx.Document(str(written))
    names = {}
    for p in word.element.body.iter(qn("w:p")):
        starts = p.findall(qn("w:bookmarkStart"))
        ends = p.findall(qn("w:bookmarkEnd"))
        cr = [s.get(qn("w:name")) for s in starts if s.get(qn("w:name")).startswith("cr_")]
        if cr:
            assert len(cr) == 1, "one block bookmark per paragraph"
            start_id = starts[0].get(qn("w:id"))
            assert [e.get(qn("w:id")) for e in ends] == [start_id], "closed in the same paragraph"
            names[cr[0]] = _text(p)
    assert names == {
        "cr_summary_intro_1": "Sentra ini memiliki 120 unit usaha dengan pemasaran yang kuat "
                              "dan kode ISIC 2599.",
        "cr_summary_intro_2": "Teks pengguna tetap teks: <b>tebal</b> & {{ x }} tidak diolah.",
        "cr_summary_intro_3": "Butir pertama",
        "cr_summary_intro_4": "Butir kedua dengan tautan",
        "cr_basic_data_1": "Langkah satu",
        "cr_basic_data_2": "Langkah dua",
        "cr_basic_data_3": "Paragraf penutup blok.",
        "cr_closing_1": "Terima kasih.",
    }
    assert block_texts(written) == _expected_blocks()


def _expected_blocks() -> dict[str, list[str]]:
    return {
        "summary.intro": [
            "Sentra ini memiliki 120 unit usaha dengan pemasaran yang kuat dan kode ISIC 2599.",
            "Teks pengguna tetap teks: <b>tebal</b> & {{ x }} tidak diolah.",
            "Butir pertama",
            "Butir kedua dengan tautan",
        ],
        "basic-data": ["Langkah satu", "Langkah dua", "Paragraf penutup blok."],
        "closing": ["Terima kasih."],
    }


def test_bookmark_prefixes_are_valid_word_names():
    long_id = "a-very-long-block-identifier.with.many.parts-and-more-words"
    prefix = bookmark_prefix(long_id)
    assert prefix == bookmark_prefix(long_id)  # stable
    assert len(f"{prefix}_99999") <= BOOKMARK_MAX
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", prefix)
    assert bookmark_prefix("x-1") == "cr_x_1"
    # two ids that read alike get distinct prefixes
    taken = {"cr_x_1": "x-1"}
    assert bookmark_prefix("x.1", taken) not in taken


def test_long_and_clashing_block_ids_read_back(reference, tmp_path):
    long_id = "a-very-long-block-identifier.with.many.parts-and-more-words"
    source = f"::: block x-1\nOne.\n:::\n\n::: block x.1\nTwo.\n:::\n\n::: block {long_id}\nThree.\n:::\n"
    doc = _document()
    doc.nodes = markdown.parse(source)
    path = tmp_path / "blocks.docx"
    write_docx(doc, path, reference)
    assert block_texts(path) == {"x-1": ["One."], "x.1": ["Two."], long_id: ["Three."]}
    word = docx.Document(str(path))
    assert word.sections[0].different_first_page_header_footer is False  # no cover


WIDE = """::: table {id}
Wide

| a | b | c | d | e | f | g |
| --- | --- | --- | --- | --- | --- | --- |
| 1 | 2 | 3 | 4 | 5 | 6 | 7 |
:::
"""


def test_adjacent_wide_tables_share_a_landscape_section_to_the_end(reference, tmp_path):
    source = (
        "# Start\n\nText.\n\n[back to start](#sec-start) and [elsewhere](other.html)\n\n"
        + WIDE.format(id="w1") + "\n" + WIDE.format(id="w2")
    )
    doc = _document()
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
    doc = _document("en")
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
    doc = _document()
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
    assert TITLE in text  # the header's TITLE field
    assert "{{" not in text.replace("{{ x }}", "")  # only the user's literal text
    assert "<b>tebal</b>" in text

    docx_dir = tmp_path / "docx"  # re-saved by LibreOffice, as a reviewer using it would
    _soffice(["--convert-to", "docx", "--outdir", str(docx_dir), str(written)])
    resaved = docx_dir / written.name
    assert resaved.is_file()
    assert block_texts(resaved) == _expected_blocks()
    assert read_custom_properties(resaved) == read_custom_properties(written)
