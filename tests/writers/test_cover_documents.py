"""Finished covers and numbered chapters in every document kind, in Word and HTML, in both languages:
the agency, its logo, the status with its version, the illustrative or synthetic mark, and chapter
numbers that the Word contents list, the HTML page and the two languages share."""

from __future__ import annotations

import base64
import re
import shutil
import struct
import zlib
from pathlib import Path

import clients  # tests/clients.py
import docx
import pytest
from conftest import ROOT
from docx.oxml.ns import qn

from cluster_reports.compose import composer
from cluster_reports.compose import tree as d
from cluster_reports.domain.summary import summarise
from cluster_reports.inputs import params_io
from cluster_reports.inputs.schema import Publication, Text
from cluster_reports.writers.docx import write_docx
from cluster_reports.writers.html import render_html

KEBUMEN = Path("clusters") / "jawa-tengah" / "kebumen-roof-tile.yaml"
AGENCY = {
    "id": "Direktorat Jenderal Industri Kecil, Menengah, dan Aneka, Kementerian Perindustrian",
    "en": "Directorate General of Small, Medium and Miscellaneous Industries, Ministry of Industry",
}
STATUS = {"id": "Draf, versi 0.1", "en": "Draft, version 0.1"}
ILLUSTRATIVE = {"id": "Data ilustratif: sebagian angka bukan data survei",
                "en": "Illustrative data: some figures are not survey data"}
SYNTHETIC = {"id": "Data sintetis: hanya untuk demonstrasi dan uji skala",
             "en": "Synthetic data: for demonstration and scale tests only"}
REFERENCES = {"id": "Daftar Pustaka", "en": "References"}
CLUSTER_KINDS = ("profile", "strategy", "action-plan", "monitoring", "guideline")


def png(width: int = 4, height: int = 2) -> bytes:
    """A real (tiny, grey) PNG, as python-docx and browsers read it."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


LOGO = png()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The shipped sample with the agency's logo named in its publication.yaml."""
    params = tmp_path_factory.mktemp("cover") / "params"
    shutil.copytree(ROOT / "params", params, ignore=shutil.ignore_patterns("*.overrides.yaml"))
    (params / "logo-kemenperin.png").write_bytes(LOGO)
    text = (params / "publication.yaml").read_text(encoding="utf-8")
    (params / "publication.yaml").write_text(text + "logo: logo-kemenperin.png\n", encoding="utf-8")
    return params


@pytest.fixture(scope="module")
def kebumen(project):
    return params_io.load_file(project / KEBUMEN)


@pytest.fixture(scope="module")
def documents(project, kebumen, templates) -> dict[tuple[str, str], d.Document]:
    """Every kind in both languages: the cluster kinds, the general guideline and the roll-ups."""
    loaded, problems = params_io.load_many([project / "clusters"])
    assert not problems
    summaries = [summarise(item) for item in loaded]
    defaults = kebumen.publication  # the project's, as the CLI hands them to roll-ups
    found = {}
    for lang in ("id", "en"):
        for kind in CLUSTER_KINDS:
            found[kind, lang] = composer.compose(kebumen, kind, lang, summaries, templates)
        found["guideline-general", lang] = composer.compose(None, "guideline", lang, [], templates, defaults)
        found["province-summary", lang] = composer.compose_rollup(
            "province-summary", [s for s in summaries if s.province_slug == "jawa-tengah"], "jawa-tengah",
            lang, templates, defaults)
        found["national-summary", lang] = composer.compose_rollup(
            "national-summary", summaries, None, lang, templates, defaults)
    return found


def cover_of(doc: d.Document) -> d.Cover:
    (cover,) = [n for n in doc.nodes if isinstance(n, d.Cover)]
    return cover


KINDS = (*CLUSTER_KINDS, "guideline-general", "province-summary", "national-summary")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_cover_names_agency_status_and_mark(documents, kind, lang):
    cover = cover_of(documents[kind, lang])
    assert d.plain(cover.agency) == AGENCY[lang]
    assert d.plain(cover.status) == STATUS[lang]
    # Every sample cluster has illustrative figures, and so has every roll-up of them and the
    # guideline's step durations.
    assert d.plain(cover.mark) == ILLUSTRATIVE[lang]
    assert cover.logo.data == LOGO and cover.logo.mime == "image/png"
    assert cover.logo.alt == f"Logo {AGENCY['id']}" if lang == "id" else f"Logo of {AGENCY['en']}"


@pytest.mark.parametrize("kind", KINDS)
def test_chapter_numbers_agree_across_languages(documents, kind):
    numbers = {lang: [h.number for h in documents[kind, lang].headings()] for lang in ("id", "en")}
    assert numbers["id"] == numbers["en"]
    chapters = [n for n in numbers["id"] if n and "." not in n]
    assert chapters == [str(i) for i in range(1, len(chapters) + 1)]
    for lang in ("id", "en"):
        last = documents[kind, lang].headings()[-1]
        if d.plain(last.runs) == REFERENCES[lang]:
            assert last.number is None  # back matter


def test_a_synthetic_cluster_is_marked_so(project, templates, tmp_path):
    cluster = tmp_path / "kebumen-roof-tile.yaml"
    text = (project / KEBUMEN).read_text(encoding="utf-8")
    cluster.write_text(text.replace("\nname:", "\nsynthetic: true\nname:", 1), encoding="utf-8")
    loaded = params_io.load_file(cluster)
    assert loaded.params.synthetic
    for lang in ("id", "en"):
        doc = composer.compose(loaded, "profile", lang, [], templates)
        assert d.plain(cover_of(doc).mark) == SYNTHETIC[lang]


def test_a_cluster_of_survey_data_only_has_no_mark(project, templates, tmp_path):
    """Kebumen with its illustrative source declared a survey: nothing on the profile is illustrative."""
    cluster = tmp_path / "kebumen-roof-tile.yaml"
    text = (project / KEBUMEN).read_text(encoding="utf-8")
    cluster.write_text(re.sub(r"(\n    kind: )illustrative\n", r"\1survey\n", text), encoding="utf-8")
    loaded = params_io.load_file(cluster)
    doc = composer.compose(loaded, "profile", "en", [], templates)
    assert cover_of(doc).mark is None
    assert 'class="cover-mark"' not in render_html(doc, templates)


def test_nothing_given_is_a_draft_without_agency_or_version(templates, tmp_path):
    doc = composer.compose(None, "guideline", "id", [], templates)
    cover = cover_of(doc)
    assert (cover.agency, cover.logo) == (None, None)
    assert d.plain(cover.status) == "Draf"
    path = tmp_path / "g.docx"
    write_docx(doc, path, templates / "reference.docx")
    first = docx.Document(str(path)).paragraphs[0]
    assert first.style.name == "Title"  # no agency line, no logo above the title


def test_a_final_version_says_so(kebumen, templates):
    final = Publication(agency=Text(en="Dinas Perindustrian Kebumen", id="Dinas Perindustrian Kebumen"),
                        status="final", version="1.0")
    doc = composer.compose(None, "guideline", "en", [], templates, final)
    assert d.plain(cover_of(doc).status) == "Final, version 1.0"
    assert d.plain(cover_of(doc).agency) == "Dinas Perindustrian Kebumen"


@pytest.fixture(scope="module")
def profile_docx(documents, templates, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "profile.id.docx"
    write_docx(documents["profile", "id"], path, templates / "reference.docx")
    return path


def test_word_cover_holds_logo_agency_title_status_and_mark(profile_docx):
    word = docx.Document(str(profile_docx))
    paragraphs = word.paragraphs
    pictures = paragraphs[0]._p.findall(f".//{qn('pic:pic')}")
    assert len(pictures) == 1, "the logo is the cover's first paragraph"
    doc_pr = paragraphs[0]._p.find(f".//{qn('wp:docPr')}")
    assert doc_pr.get("descr") == f"Logo {AGENCY['id']}"
    blip = paragraphs[0]._p.find(f".//{qn('a:blip')}")
    assert word.part.related_parts[blip.get(qn("r:embed"))].blob == LOGO
    assert paragraphs[1].text == AGENCY["id"] and all(r.bold for r in paragraphs[1].runs)
    assert (paragraphs[2].style.name, paragraphs[2].text) == ("Title", "Laporan Profil Sentra")
    texts = [p.text for p in paragraphs]
    contents = texts.index("Daftar Isi")
    cover = texts[:contents]
    while cover and not cover[-1]:  # the empty paragraph that carries the cover's section break
        cover.pop()
    assert cover[-2:] == [STATUS["id"], ILLUSTRATIVE["id"]]
    assert paragraphs[len(cover) - 1].runs[0].bold, "the mark is bold"


def test_word_headings_and_contents_list_carry_the_numbers(profile_docx, documents):
    word = docx.Document(str(profile_docx))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    # an entry is the heading, a tab and its page number (filled in by Word or toc_pages)
    toc = [p.text.split("\t")[0] for p in word.paragraphs if p.style.name.startswith("toc") and p.text]
    expected = [d.heading_text(h) for h in documents["profile", "id"].headings()]
    assert headings == expected
    assert toc == expected
    assert headings[0] == "1 Ringkasan" and "Daftar Pustaka" in headings


@pytest.mark.parametrize("lang", ["id", "en"])
def test_html_cover_and_numbers(documents, templates, lang):
    page = render_html(documents["profile", lang], templates)
    header = page[page.index('<header class="cover">'):page.index("</header>")]
    logo = re.search(r'<img class="cover-logo" src="data:image/png;base64,([^"]+)" alt="([^"]+)">', header)
    assert logo, header
    assert base64.b64decode(logo.group(1)) == LOGO  # inlined: the page works offline
    assert logo.group(2) == (f"Logo {AGENCY['id']}" if lang == "id" else f"Logo of {AGENCY['en']}")
    assert f'<p class="cover-agency">{AGENCY[lang]}</p>' in header
    assert f'<p class="cover-status">{STATUS[lang]}</p>' in header
    assert f'<p class="cover-mark"><strong>{ILLUSTRATIVE[lang]}</strong></p>' in header
    first = {"id": "Ringkasan", "en": "Summary"}[lang]
    assert f'<h2 id="sec-summary"><span class="heading-number">1</span> {first}</h2>' in page
    assert f'<a href="#sec-summary"><span class="heading-number">1</span> {first}</a>' in page
    assert f'<h2 id="sec-references">{REFERENCES[lang]}</h2>' in page


@pytest.mark.clients
def test_libreoffice_shows_the_cover_page(profile_docx, tmp_path):
    pdf = clients.docx_to_pdf(profile_docx, tmp_path)
    pages = clients.pdf_text(pdf).split("\f")
    cover = " ".join(pages[0].split())
    for words in ("Direktorat Jenderal Industri Kecil, Menengah, dan Aneka, Kementerian",
                  "Laporan Profil Sentra", STATUS["id"], ILLUSTRATIVE["id"],
                  "Kabupaten Kebumen, Jawa Tengah"):
        assert words in cover, cover
    assert "Ringkasan" not in cover
    assert re.search(r"^\s*1 Ringkasan", pages[1], re.M), pages[1]  # the contents list, numbered
