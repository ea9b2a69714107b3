"""Places: a cluster in a Kota is written about as a city (APBD kota, pemerintah kota, city forum), one
in a Kabupaten as a regency, in both languages, in Word and HTML. The Kota cluster is a copy of the
Kebumen pilot moved to Kota Tegal (Jawa Tengah), its offices renamed as a user in that city would
name them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from checks import docx_text, flat, html_text
from conftest import ROOT, SAMPLE

from cluster_reports.documents import guideline, i18n
from cluster_reports.inputs import regions

DOCS = ("profile", "strategy", "action-plan", "monitoring", "guideline")
LANGS = ("id", "en")
FORMATS = ("docx", "html")
# A regency's words, which must not be left where a city is meant.
# "kabupaten/kota" is one name for both (the glossary's forum sentra kabupaten/kota, a programme's title)
REGENCY_WORDS = re.compile(r"\bkabupaten\b(?!/kota)|\bregenc(?:y|ies)\b(?! or cit)(?!/cit)", re.IGNORECASE)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cluster_reports.cli", *args], capture_output=True,
                          text=True, timeout=900)


def kebumen_tree(root: Path, regency: str | None = None) -> Path:
    """Kebumen with every sidecar and the programme library; moved to ``regency`` when given."""
    shutil.copytree(ROOT / "params" / "programmes", root / "programmes")
    folder = root / "clusters" / "jawa-tengah"
    folder.mkdir(parents=True)
    for source in (SAMPLE / "jawa-tengah").glob("kebumen-roof-tile*"):
        text = source.read_text(encoding="utf-8")
        if regency is not None:
            text = text.replace("Kabupaten Kebumen", regency).replace("district: Pejagoan",
                                                                       "district: Tegal Barat")
        (folder / source.name).write_text(text, encoding="utf-8")
    return folder / "kebumen-roof-tile.yaml"


def texts(out: Path) -> dict[tuple[str, str, str], str]:
    """Every document's text, by (doc, lang, format), whitespace flattened."""
    found = {}
    for doc in DOCS:
        for lang in LANGS:
            base = out / "jawa-tengah" / "kebumen-roof-tile" / f"{doc}.{lang}"
            found[doc, lang, "html"] = html_text(base.with_suffix(base.suffix + ".html"))[0]
            found[doc, lang, "docx"] = flat(" ".join(docx_text(base.with_suffix(base.suffix + ".docx"))))
    return found


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, dict]:
    """The five documents of Kebumen in Kota Tegal and in its own Kabupaten Kebumen."""
    found = {}
    for name, regency in (("kota", "Kota Tegal"), ("kabupaten", None)):
        tmp = tmp_path_factory.mktemp(name)
        params = kebumen_tree(tmp / "params", regency)
        out = tmp / "out"
        result = cli("render", str(params), "--doc", ",".join(DOCS), "--lang", ",".join(LANGS),
                     "--format", ",".join(FORMATS), "--out", str(out))
        assert result.returncode == 0, result.stdout + result.stderr
        found[name] = texts(out)
    return found


def test_every_official_region_is_a_kota_or_a_kabupaten():
    kinds = [r.kind for r in regions.regencies().values()]
    assert kinds.count("kabupaten") == 416 and kinds.count("kota") == 98  # as data/SOURCE.md counts
    jakarta = regions.find_province("Daerah Khusus Ibukota Jakarta")
    assert regions.find_regency("Kota Administrasi Jakarta Selatan", jakarta).kind == "kota"
    assert regions.find_regency("Kabupaten Administrasi Kepulauan Seribu", jakarta).kind == "kabupaten"
    tegal = regions.find_province("Jawa Tengah")
    assert regions.find_regency("Kota Tegal", tegal).kind == "kota"
    assert regions.find_regency("Kabupaten Tegal", tegal).kind == "kabupaten"


def test_labels_of_picks_the_place_kind_where_the_catalogue_words_it(templates):
    en, id_ = i18n.labels(templates, "en"), i18n.labels(templates, "id")
    assert en.of("plan.funding.regency-budget", "kota") == "City budget (APBD kota)"
    assert id_.of("plan.funding.regency-budget", "kabupaten") == "APBD kabupaten"
    assert id_.of("stakeholder.regency-government", "kota") == "Pemerintah kota"
    assert en.of("stakeholder.bank", "kota") == en("stakeholder.bank")  # the same in every place
    with pytest.raises(i18n.CatalogueError, match="plan.funding.regency-budget.kabupaten-kota"):
        en.of("plan.funding.regency-budget", "kabupaten-kota")  # a cluster's budget is one place's


def test_a_jakarta_administrative_city_has_a_city_government(sample_by_id, templates):
    item = sample_by_id["mampang-tempe-tofu"]
    for lang, word in (("en", "City government"), ("id", "Pemerintah kota")):
        rows = guideline.stakeholder_rows(item.params, i18n.labels(templates, lang))
        assert word in {r.type for r in rows}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_kota_cluster_is_written_about_as_a_city(rendered, fmt):
    text = {(doc, lang): rendered["kota"][doc, lang, fmt] for doc in DOCS for lang in LANGS}
    for lang, budget, government, forum, forums in (
        ("en", "City budget (APBD kota)", "City government", "the provincial or city cluster forum",
         "Provincial and city cluster forums"),
        ("id", "APBD kota", "Pemerintah kota", "forum sentra provinsi atau forum sentra kota",
         "Forum sentra provinsi dan forum sentra kota"),
    ):
        assert budget in text["action-plan", lang]
        assert government in text["profile", lang] and government in text["guideline", lang]
        assert forum in text["guideline", lang] and forums in text["guideline", lang]
        assert "Dinas Perindustrian dan Perdagangan Kota Tegal" in text["strategy", lang]
    for (doc, lang), words in text.items():
        left = [words[max(0, m.start() - 60):m.end() + 20] for m in REGENCY_WORDS.finditer(words)]
        assert not left, f"{doc}.{lang}.{fmt} still speaks of a regency: {left}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_kabupaten_cluster_keeps_the_regency_wording(rendered, fmt):
    text = {(doc, lang): rendered["kabupaten"][doc, lang, fmt] for doc in DOCS for lang in LANGS}
    for lang, budget, government, forum in (
        ("en", "Regency budget (APBD kabupaten)", "Regency government",
         "the provincial or regency cluster forum"),
        ("id", "APBD kabupaten", "Pemerintah kabupaten", "forum sentra provinsi atau forum sentra kabupaten"),
    ):
        assert budget in text["action-plan", lang]
        assert government in text["profile", lang] and government in text["guideline", lang]
        assert forum in text["guideline", lang]
    for (doc, lang), words in text.items():
        assert not re.search(r"APBD kota|City government|Pemerintah kota|city forum", words), (doc, lang)


def test_the_general_guideline_names_no_one_kind_of_place(tmp_path):
    result = cli("render", "--doc", "guideline", "--lang", ",".join(LANGS), "--format", "html",
                 "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    for lang, forum, members in (
        ("en", "the provincial or local (regency or city) cluster forum",
         "Provincial and regency or city government"),
        ("id", "forum sentra provinsi atau forum sentra kabupaten/kota",
         "Pemerintah provinsi dan kabupaten/kota"),
    ):
        text = html_text(next(tmp_path.rglob(f"guideline.{lang}.html")))[0]
        assert forum in text and members in text
