"""Finished pages of the Word documents: page numbers from the first page after the cover, contents
with the pages their headings land on, portrait pages for tables that fit them, rows kept together,
headers on one line. The first tests check the written XML; the ``clients`` ones look at the pages
as LibreOffice lays them out (one conversion for the module: a conversion takes seconds)."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import clients  # tests/clients.py
import docx
import docx_sample  # tests/writers/docx_sample.py
import pytest
from docx.oxml.ns import qn

from cluster_reports.compose import composer, markdown
from cluster_reports.compose import tree as d
from cluster_reports.domain import summary
from cluster_reports.writers.docx import write_docx
from cluster_reports.writers.docx.fields import HEADER_PT, running_head
from cluster_reports.writers.docx.metrics import text_twips
from cluster_reports.writers.docx.sections import Page, landscape_flags
from cluster_reports.writers.docx.tables import TABLE_PT, font_size, needed_width
from cluster_reports.writers.docx.toc_pages import number_contents

PORTRAIT = 9070  # text width of an A4 portrait page with 2.5 cm margins, in twips
LANDSCAPE = 14007
A4 = Page(PORTRAIT, LANDSCAPE, LANDSCAPE)  # portrait text width and height, landscape text width
LONG_TITLE = ("Laporan Pemantauan dan Evaluasi: Sentra IKM kerajinan anyaman rotan, bambu, dan pandan "
              "Desa Sukamaju, Kecamatan Pagerageung, Kabupaten Tasikmalaya")


def _table(source: str) -> d.Table:
    return next(n for n in markdown.parse(source) if isinstance(n, d.Table))


def test_running_head_fits_its_line():
    short = "Cluster Profiling Report: Kebumen roof-tile cluster (Kebumen Sokka)"
    assert running_head(short, PORTRAIT) == short
    head = running_head(LONG_TITLE, PORTRAIT)
    assert head.startswith("Laporan Pemantauan dan Evaluasi: Sentra IKM kerajinan anyaman rotan")
    assert head.endswith("\u2026") and len(head) < len(LONG_TITLE)
    assert LONG_TITLE.startswith(head.removesuffix("\u2026"))  # cut at a word, nothing made up
    assert not head.removesuffix("\u2026").endswith((",", " "))
    for width in (PORTRAIT, 6000, 3600):  # narrower: the document's kind stays, the name goes first
        head = running_head(LONG_TITLE, width)
        assert text_twips(head, HEADER_PT) <= width
        assert head.startswith("Laporan Pemantauan dan Evaluasi:")
        cut = head.removesuffix("\u2026")
        assert LONG_TITLE.startswith(cut) and LONG_TITLE[len(cut)] in " ,"  # at a word
    assert running_head(LONG_TITLE, 3600) == "Laporan Pemantauan dan Evaluasi: Sentra IKM\u2026"


def test_orientation_follows_what_the_table_needs():
    narrow = _table("::: table t\nQuarters\n\n| Period | Firms | Q1 | Q2 | Q3 | Q4 | Share |\n"
                    "| --- | --- | --- | --- | --- | --- | --- |\n"
                    "| 2003 | 12 | 1 | 2 | 3 | 4 | 12.5 % |\n:::\n")
    assert needed_width(narrow) < PORTRAIT
    names = " | ".join(["Disperindag Kebumen", "Dinkop Kebumen", "Disperindag Jateng", "Deperindag (MOIT)",
                        "BB Keramik", "LPM-UGM", "Kop. Genteng Sokka", "Kop. Perajin Pejagoan",
                        "Konsorsium Genteng", "Pokja Sentra Genteng", "BRI Kebumen", "KADIN Kebumen"])
    matrix = _table(f"::: table m\nMatrix\n\n| Bidang tanggung jawab | {names} |\n"
                    f"| {' | '.join(['---'] * 13)} |\n| 2. Penumbuhan benih pertumbuhan dan kewirausahaan |"
                    f"{' ● |' * 12}\n:::\n")
    assert needed_width(matrix) > PORTRAIT
    # too wide even for a landscape page at 9.5 pt: set smaller, so that "Kebumen" is not broken
    assert needed_width(matrix) > LANDSCAPE and font_size(matrix, LANDSCAPE) < TABLE_PT
    assert font_size(narrow, PORTRAIT) == TABLE_PT
    assert landscape_flags([narrow, matrix], A4) == [False, True]
    # a little too wide at 9.5 pt: set a little smaller on the portrait page, not turned
    programmes = _table(
        "::: table p\nProgrammes\n\n| Program | Jadwal | Status | Terlaksana | Anggaran direncanakan "
        "| Anggaran terpakai | Terpakai |\n| --- | --- | --- | --: | --: | --: | --: |\n"
        "| Revitalisasi kegiatan dan layanan koperasi | Mei–Agu 2003 | Berlangsung | 100% "
        "| Rp 14.200.000 | Rp 13.800.000 | 97% |\n:::\n")
    assert needed_width(programmes) > PORTRAIT
    assert landscape_flags([programmes], A4) == [False]
    assert 8.5 <= font_size(programmes, PORTRAIT) < TABLE_PT


LONG_TABLE = "::: table long\nMany rows\n\n| Firm | Sales |\n| --- | --: |\n" + "".join(
    f"| Firm {n} | {n * 10} |\n" for n in range(1, 31)) + ":::\n"


def test_a_long_table_keeps_its_first_and_last_rows_together(tmp_path):
    doc = docx_sample.document()
    doc.nodes = markdown.parse("# Start\n\n" + LONG_TABLE)
    path = tmp_path / "long.docx"
    write_docx(doc, path, Path(docx_sample.__file__).parents[2] / "templates" / "reference.docx")
    rows = [r._tr for r in docx.Document(str(path)).tables[0].rows]
    keeps = [r.find(f".//{qn('w:keepNext')}") is not None for r in rows]
    # header with the first two rows, the last two rows together, the middle free to break
    assert keeps[:3] == [True, True, False] and keeps[-3:] == [False, True, False]
    assert not any(keeps[3:-2])
    assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)


def test_a_lead_in_stays_with_what_it_introduces(tmp_path):
    doc = docx_sample.document()
    doc.nodes = markdown.parse("# Start\n\nThe steps are these:\n\n- one\n- two\n\nA closing line.\n\n"
                               "::: block steps\nIn a block, too:\n\n1. first\n:::\n")
    path = tmp_path / "lead-in.docx"
    write_docx(doc, path, Path(docx_sample.__file__).parents[2] / "templates" / "reference.docx")
    kept = {p.text: bool(p.paragraph_format.keep_with_next) for p in docx.Document(str(path)).paragraphs}
    assert kept["The steps are these:"] and kept["In a block, too:"]
    assert not kept["A closing line."] and not kept["one"]


# --- the pages as LibreOffice lays them out -------------------------------------------------------


def _pdfs(paths: list[Path], outdir: Path) -> dict[str, Path]:
    """All the files converted by one LibreOffice run."""
    soffice = clients.require_soffice()
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [soffice, "--headless", f"-env:UserInstallation={Path(profile).as_uri()}",
               "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return {p.stem: outdir / f"{p.stem}.pdf" for p in paths}


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    clients.require_pdftotext()
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True,
                          text=True, timeout=60, check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory, sample_by_id, sample, templates):
    """Kebumen's profile (id), strategy (en) and monitoring report (en), and the writer's sample
    under a long title, written, their contents numbered and converted to PDF: per document, its
    docx, its pages' text and their sizes."""
    folder = tmp_path_factory.mktemp("pages")
    kebumen = sample_by_id["kebumen-roof-tile"]
    peers = [summary.summarise(item) for item in sample]
    docs = {f"{kind}.{lang}": composer.compose(kebumen, kind, lang, peers, templates)
            for kind, lang in (("profile", "id"), ("strategy", "en"), ("monitoring", "en"))}
    long_title = docx_sample.document()
    long_title.properties.title = LONG_TITLE
    docs["long-title.id"] = long_title
    paths = []
    for name, doc in docs.items():
        paths.append(folder / f"{name}.docx")
        write_docx(doc, paths[-1], templates / "reference.docx")
    assert number_contents(paths) == []
    pdfs = _pdfs(paths, folder / "pdf")
    return {
        name: (folder / f"{name}.docx", clients.pdf_text(pdf).split("\f")[:-1], _page_sizes(pdf))
        for name, pdf in pdfs.items()
    }


def _lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def _contents(pages: list[str]) -> list[tuple[str, int]]:
    """(entry, page number) of the contents list (its entries end with a dotted leader)."""
    entries = []
    for page in pages[1:3]:
        for line in _lines(page):
            match = re.match(r"(.+?)\.{3,}\s*(\d+)$", line)
            if match:
                entries.append((match[1].strip(), int(match[2])))
    return entries


@pytest.mark.clients
@pytest.mark.parametrize("name", ["profile.id", "strategy.en", "monitoring.en"])
def test_contents_give_the_pages_the_headings_are_on(laid_out, name):
    path, pages, _sizes = laid_out[name]
    headings = [d.plain(h.runs) for h in _headings(path)]
    entries = _contents(pages)
    assert [e for e, _n in entries] == headings  # every heading, each with a number
    for entry, number in entries:
        # page n is the n-th after the cover: index n of the PDF's pages
        assert any(_is_heading_line(line, entry) for line in _lines(pages[number])), \
            f"{name}: '{entry}' is not on page {number}"
        assert _footer(pages[number]) == str(number)


def _is_heading_line(line: str, heading: str) -> bool:
    """Whether a line of the page is the heading (its number, if numbered, before it)."""
    return re.fullmatch(r"(\d+(\.\d+)*\.?\s+)?" + re.escape(heading), line) is not None


def _headings(path: Path) -> list[d.Heading]:
    word = docx.Document(str(path))
    return [d.Heading(level=int(p.style.name.split()[-1]), runs=[d.Run(p.text)])
            for p in word.paragraphs if p.style.name.startswith("Heading") and p.text]


def _footer(page: str) -> str:
    return _lines(page)[-1]


@pytest.mark.clients
@pytest.mark.parametrize("name", ["profile.id", "strategy.en", "monitoring.en", "long-title.id"])
def test_pages_are_numbered_from_the_first_after_the_cover(laid_out, name):
    path, pages, _sizes = laid_out[name]
    cover = _lines(pages[0])
    title = docx.Document(str(path)).core_properties.title
    assert not any(line == title or line.isdigit() for line in cover)  # no header, no number
    assert [_footer(p) for p in pages[1:]] == [str(n) for n in range(1, len(pages))]


@pytest.mark.clients
@pytest.mark.parametrize("name", ["profile.id", "strategy.en", "monitoring.en", "long-title.id"])
def test_every_header_is_one_line(laid_out, name):
    path, pages, _sizes = laid_out[name]
    title = docx.Document(str(path)).core_properties.title
    head = running_head(title, PORTRAIT)
    for n, page in enumerate(pages[1:], start=1):
        lines = _lines(page)
        assert lines[0] == head, f"{name}, page {n}: header reads {lines[0]!r}"
        assert not title.startswith(lines[1])  # the header's words do not run on to a second line
    if name == "long-title.id":
        assert head.endswith("\u2026")


@pytest.mark.clients
def test_only_the_table_that_needs_it_is_on_a_landscape_page(laid_out):
    landscape = {name: [n for n, (w, h) in enumerate(sizes) if w > h]
                 for name, (_path, _pages, sizes) in laid_out.items()}
    assert landscape["profile.id"] == [] and landscape["monitoring.en"] == []
    _path, pages, _sizes = laid_out["strategy.en"]
    assert landscape["strategy.en"], "the responsibility matrix needs a landscape page"
    for n in landscape["strategy.en"]:
        assert "Responsibilities of the stakeholders" in pages[n] or "Table" not in pages[n]
    matrix = pages[landscape["strategy.en"][0]]
    assert re.search(r"\bKebum\b", matrix) is None  # no name broken inside a column
    assert "Kebumen" in matrix


@pytest.mark.clients
def test_no_heading_or_caption_ends_a_page(laid_out):
    for name in ("profile.id", "strategy.en", "monitoring.en"):
        path, pages, _sizes = laid_out[name]
        headings = {d.plain(h.runs) for h in _headings(path)}
        for n, page in enumerate(pages[2:], start=2):
            body = _lines(page)[1:-1]  # without header and footer
            assert body, f"{name}: page {n} is empty"
            assert not any(_is_heading_line(body[-1], h) for h in headings), \
                f"{name}: page {n} ends with the heading {body[-1]!r}"
            # a table's caption is above it (a figure's, below, may end a page)
            assert not re.match(r"(Table|Tabel) \d+:", body[-1]), \
                f"{name}: page {n} ends with a table's caption"


def test_page_numbers_without_libreoffice_say_what_to_install(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from cluster_reports.cli import app
    from cluster_reports.writers.docx import toc_pages

    monkeypatch.setattr(toc_pages.shutil, "which", lambda program: None)
    cluster = Path(docx_sample.__file__).parents[2] / "params/clusters/jawa-tengah/kebumen-roof-tile.yaml"
    result = CliRunner().invoke(app, ["render", str(cluster), "--format", "docx", "--lang", "id",
                                      "--page-numbers", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "--page-numbers needs LibreOffice (apt-get install libreoffice-writer) and poppler" \
        in result.stderr
    assert not list(tmp_path.rglob("*.docx"))  # said before anything is rendered


def test_a_form_that_would_stand_a_page_tall_in_narrow_columns_is_turned(sample_by_id, templates):
    """The guideline's progress form (part 2) fits upright only at 8.5 pt in narrow columns, a
    page tall: it goes landscape. The monitoring report's programme table, as wide but short,
    stays upright (set smaller where its words need it)."""
    kebumen = sample_by_id["kebumen-roof-tile"]
    guideline = composer.compose(kebumen, "guideline", "en", [], templates)
    monitoring = composer.compose(kebumen, "monitoring", "id", [], templates)

    def turned(doc, caption):
        tables = [n for n in doc.nodes if isinstance(n, d.Table)]
        table = next(t for t in tables if d.plain(t.caption).startswith(caption))
        return landscape_flags([table], A4) == [True], font_size(table, PORTRAIT)

    assert turned(guideline, "Progress monitoring report, part 2") == (True, 8.5)
    upright_turned, size = turned(monitoring, "Program yang direncanakan dan yang terlaksana")
    assert not upright_turned and size <= 9.0  # upright, at most the body size
