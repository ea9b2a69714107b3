"""The action plan's vision years said as they are, and the monitoring report's programme statuses
worded from the label catalogue, in both languages (read in the document's Markdown text)."""

from __future__ import annotations

import dataclasses
import re

import pytest
from conftest import SAMPLE
from monlife_tree import copy_tree, edit

from cluster_reports import resources
from cluster_reports.compose import composer, templating
from cluster_reports.documents import i18n
from cluster_reports.domain import indicators
from cluster_reports.inputs import params_io
from cluster_reports.inputs.yaml_io import ParamsError

LANGS = ("id", "en")


def text_of(loaded, kind: str, lang: str, **overrides) -> str:
    """The document's Markdown with its escapes undone and its whitespace flattened."""
    templates = resources.templates()
    ctx = composer.make_context(loaded, kind, [], i18n.labels(templates, lang))
    ctx.update(overrides)
    source = templating.render(templates, f"{kind}/{lang}.md.j2", lang, ctx)
    return " ".join(re.sub(r"\\(.)", r"\1", source).split())


# --- the vision's years -----------------------------------------------------------------------------

def test_a_plan_starting_in_2003_looks_to_the_end_of_its_tenth_year():
    loaded = params_io.load_file(SAMPLE / "jawa-tengah" / "kebumen-roof-tile.yaml")
    assert loaded.plan.year == 2003 and loaded.plan.vision_year is None
    en, id_ = text_of(loaded, "action-plan", "en"), text_of(loaded, "action-plan", "id")
    assert "by 2012, the end of the plan's tenth year (2003–2012)." in en
    assert "pada tahun 2012, akhir tahun kesepuluh rencana ini (2003–2012)." in id_
    assert "# Ten-year vision" in en and "# Visi Sepuluh Tahun" in id_
    assert "ten years after" not in en and "sepuluh tahun sejak" not in id_
    assert "a vision that reaches to 2012" in en


def test_a_plan_starting_in_2016_looks_to_2025():
    loaded = params_io.load_file(SAMPLE / "sulawesi-tengah" / "palu-cacao-processing.yaml")
    assert loaded.plan.year == 2016
    en, id_ = text_of(loaded, "action-plan", "en"), text_of(loaded, "action-plan", "id")
    assert "by 2025, the end of the plan's tenth year (2016–2025)." in en
    assert "pada tahun 2025, akhir tahun kesepuluh rencana ini (2016–2025)." in id_


def test_a_vision_year_other_than_the_tenth_is_said_as_such(tmp_path):
    folder = copy_tree(tmp_path)
    edit(folder / "kebumen-roof-tile.plan.yaml", lambda d: d.update(vision_year=2017))
    loaded = params_io.load_file(folder / "kebumen-roof-tile.yaml")
    en, id_ = text_of(loaded, "action-plan", "en"), text_of(loaded, "action-plan", "id")
    assert "by 2017. It covers the 15 years 2003–2017." in en
    assert "pada tahun 2017. Visi ini mencakup 15 tahun, 2003–2017." in id_
    assert "# Vision to 2017" in en and "# Visi hingga Tahun 2017" in id_
    for text in (en, id_):
        assert "tenth" not in text and "kesepuluh" not in text and "Ten-year" not in text
        assert "2012" not in text


def test_a_vision_year_before_the_end_of_the_medium_plan_is_refused(tmp_path):
    folder = copy_tree(tmp_path)
    edit(folder / "kebumen-roof-tile.plan.yaml", lambda d: d.update(vision_year=2004))
    with pytest.raises(ParamsError) as caught:
        params_io.load_file(folder / "kebumen-roof-tile.yaml")
    message = str(caught.value)
    assert "kebumen-roof-tile.plan.yaml" in message
    assert "vision_year: 2004 ends before the medium plan (2003-2005)" in message and "(2012)" in message


# --- programme statuses from the label catalogue ---------------------------------------------------------

def test_every_status_has_its_sentence_words_in_both_languages():
    templates = resources.templates()
    for lang in LANGS:
        labels = i18n.labels(templates, lang)
        for status in (*indicators.STATUS_ORDER, "planned_year"):
            for form in ("status_one", "status_many"):
                assert labels(f"monitoring.{form}.{status}").strip()
        for status in ("planned", "planned_year", "not-reported"):
            assert "{n}" in labels(f"monitoring.programmes.none.{status}")
            assert labels(f"monitoring.programmes.neither.{status}").strip()


@pytest.fixture(scope="module")
def kebumen():
    return params_io.load_file(SAMPLE / "jawa-tengah" / "kebumen-roof-tile.yaml")


@pytest.mark.parametrize(
    ("by_status", "year_over", "en", "id_"),
    [
        ({"planned": 1}, True, "The plan's only action programme did not start in the plan year.",
         "Satu-satunya program aksi dalam rencana tidak dimulai pada tahun rencana."),
        ({"planned": 3}, True, "None of the 3 action programmes started in the plan year.",
         "Tidak satu pun dari 3 program aksi yang dimulai pada tahun rencana."),
        ({"cancelled": 5}, True, "All 5 action programmes have been cancelled.",
         "Seluruh 5 program aksi dibatalkan."),
        ({"cancelled": 2}, False, "Both action programmes have been cancelled.",
         "Kedua program aksi dibatalkan."),
        ({"not-reported": 2}, False, "Neither action programme has been reported on.",
         "Kedua program aksi belum dilaporkan kemajuannya."),
        ({"done": 1, "delayed": 1, "planned": 1}, True,
         "Of the 3 action programmes, 1 is finished, 1 is delayed and 1 did not start in the plan year.",
         "Dari 3 program aksi, 1 telah selesai, 1 terlambat dari jadwal, dan 1 tidak dimulai pada tahun "
         "rencana."),
    ],
)
def test_status_sentences_read_the_catalogue(kebumen, by_status, year_over, en, id_):
    for lang, expected in (("en", en), ("id", id_)):
        templates = resources.templates()
        ctx = composer.make_context(kebumen, "monitoring", [], i18n.labels(templates, lang))
        completion = dataclasses.replace(ctx["completion"], by_status=by_status,
                                         count=sum(by_status.values()))
        text = text_of(kebumen, "monitoring", lang, completion=completion, year_over=year_over)
        assert text.count(expected) == 2, (lang, expected)  # the summary and the completion section


def test_the_status_column_and_the_achievement_cell(kebumen):
    """The table's status names come from the catalogue; the achievement cell is a share alone (the
    period it was measured in is the last figure of its row, as the text says)."""
    en, id_ = text_of(kebumen, "monitoring", "en"), text_of(kebumen, "monitoring", "id")
    assert "| Delayed |" in en and "| Terlambat dari jadwal |" in id_  # capitalised in the cell
    assert "| 110% |" in en or "| 110 % |" in en
    for text in (en, id_):
        found = re.search(r".{0,40}\d ?% \((Q|Triwulan).{0,20}", text)
        assert not found, found
    assert "the last figure in the row" in en and "angka terakhir pada baris indikator" in id_
