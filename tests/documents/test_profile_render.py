"""The profiling report of every sample cluster, rendered as the README's demo does, checked in
real clients: LibreOffice turns each .docx into a PDF, Chromium renders each HTML page, and the Nu
HTML checker validates them. What is asserted is what a reader would check."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import sample_facts
from checks import LEFTOVERS, other_language_labels, page_in_chromium
from clients import docx_to_pdf, pdf_text, validate_html
from conftest import SAMPLE

from cluster_reports.documents import i18n
from cluster_reports.domain import firms, scoring
from cluster_reports.writers.docx.properties import read_custom_properties

LANGS = ("id", "en")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("outputs")
    result = subprocess.run(
        [sys.executable, "-m", "cluster_reports.cli", "render", str(SAMPLE), "--doc", "profile",
         "--lang", "id,en", "--format", "docx,html", "--out", str(out)],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr
    return out


def path_of(out: Path, item, lang: str, fmt: str) -> Path:
    province = item.params.location.province_record.slug
    return out / province / item.params.id / f"profile.{lang}.{fmt}"


def expected_numbers(item, lang: str) -> list[str]:
    """Numbers a reader looks for, formatted as the language writes them."""
    f = i18n.Formatter(lang)
    p = item.params
    s = firms.structure(p)
    pct = scoring.selection_percentage(p.selection.growth_opportunity, p.selection.action_capacity)
    numbers = [f.number(s.total_firms), f.percent(pct)]
    if s.total_sales is not None:
        numbers.append(f.rupiah(s.total_sales))
    return numbers


def test_every_cluster_has_all_four_documents(rendered, sample):
    for item in sample:
        for lang in LANGS:
            for fmt in ("docx", "html"):
                assert path_of(rendered, item, lang, fmt).stat().st_size > 5_000
    assert not list(rendered.rglob("*.part")), "temporary files left behind"


@pytest.mark.clients
@pytest.mark.parametrize("lang", LANGS)
def test_word_documents_open_in_libreoffice(rendered, sample, templates, lang, tmp_path):
    for item in sample:
        source = path_of(rendered, item, lang, "docx")
        text = pdf_text(docx_to_pdf(source, tmp_path))
        flat = " ".join(text.split())
        assert item.params.name.get(lang) in flat, source
        for number in expected_numbers(item, lang):
            assert number in flat, (source, number)
        caption_word = "Tabel 1" if lang == "id" else "Table 1"
        assert caption_word in flat
        assert not LEFTOVERS.search(text), (source, LEFTOVERS.search(text))
        for label in other_language_labels(templates, lang, ('profile.heading.', 'profile.caption.')):
            assert label not in flat, (source, label)


@pytest.mark.parametrize("lang", LANGS)
def test_word_structure_and_properties(rendered, sample, lang):
    tag = {"id": "id-ID", "en": "en-US"}[lang]
    for item in sample:
        source = path_of(rendered, item, lang, "docx")
        document = docx.Document(str(source))
        styles = {p.style.name for p in document.paragraphs}
        assert {"Title", "Heading 1", "Caption"} <= styles
        assert item.params.name.get(lang) in document.core_properties.title
        assert document.core_properties.language == tag
        custom = read_custom_properties(source)
        assert custom["cluster_id"] == item.params.id
        assert custom["params_hash"] == item.sha256
        assert custom["document_kind"] == "profile"
        body = document.element.body.xml
        assert "TOC \\o" in body, "no table of contents field"
        assert "SEQ " in body, "captions are not fields"
        assert 'descr="' in body, "charts have no alt text"
        langs = set(re.findall(r'w:lang w:val="([^"]+)"', document.styles.element.xml))
        assert tag in langs


@pytest.mark.clients
def test_html_pages_are_valid(rendered):
    pages = sorted(rendered.rglob("*.html"))
    # every cluster's profile, in two languages (and the output folder's index)
    assert len([p for p in pages if p.name != "index.html"]) == 2 * sample_facts.count()
    assert validate_html(pages) == []


@pytest.mark.clients
@pytest.mark.parametrize("lang", LANGS)
def test_html_pages_render_in_chromium(rendered, sample, templates, lang):
    for item in sample:
        page = path_of(rendered, item, lang, "html")
        text, dom = page_in_chromium(page, lang)
        assert item.params.name.get(lang) in text
        for number in expected_numbers(item, lang):
            assert number in text, (page, number)
        assert not LEFTOVERS.search(text), (page, LEFTOVERS.search(text))
        for label in other_language_labels(templates, lang, ('profile.heading.', 'profile.caption.')):
            assert label not in text, (page, label)
        for block in ("summary", "firms", "assessment", "growth-seeds", "sources"):
            assert f'data-block-id="{block}"' in dom


def test_illustrative_values_are_said_so(rendered, sample_by_id):
    item = sample_by_id["kebumen-roof-tile"]
    html = path_of(rendered, item, "en", "html").read_text(encoding="utf-8")
    assert "illustrative, not survey data" in html
    # The selection scores come from Table 3.1 of the study, named as the source it is.
    assert "Study: The Study on Strengthening Capacity of SME Clusters in Indonesia" in html
    assert "Table 3.1" in html
    html_id = path_of(rendered, item, "id", "html").read_text(encoding="utf-8")
    assert "bersifat ilustratif, bukan data survei" in html_id


def test_selection_table_holds_the_group(rendered, sample_by_id):
    item = sample_by_id["waru-sidoarjo-metalwork"]
    html = path_of(rendered, item, "id", "html").read_text(encoding="utf-8")
    table = html[html.index('id="tbl-selection"'):]
    table = table[: table.index("</table>")]
    for name, pct in (("Tegal", "45,6%"), ("Sukabumi", "56,7%"), ("Waru", "65,6%")):
        assert name in table and pct in table
