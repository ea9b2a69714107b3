"""The survey XLSForms: accepted by pyxform, every question and choice labelled in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from cluster_reports.inputs.schema import Channel
from cluster_reports.inputs.survey import forms

ID, EN = "label::Bahasa Indonesia (id)", "label::English (en)"


@pytest.fixture(params=forms.KINDS)
def xlsform(request, tmp_path: Path) -> tuple[str, Path]:
    out = tmp_path / f"{request.param}.xlsx"
    forms.write(request.param, out)
    return request.param, out


def _rows(path: Path, sheet: str) -> list[dict]:
    rows = list(load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def test_pyxform_converts_the_form_without_warnings(xlsform):
    _, path = xlsform
    result = convert(xlsform=str(path))
    assert result.warnings == []
    assert "<h:title>" in result.xform and 'lang="Bahasa Indonesia (id)"' in result.xform
    assert 'lang="English (en)"' in result.xform


def test_every_question_and_choice_has_both_labels(xlsform):
    _, path = xlsform
    questions = [r for r in _rows(path, "survey") if r["type"] not in ("start", "end", "end_group")]
    assert questions
    for row in questions:
        assert row[ID] and row[EN], row["name"]
        assert row[ID] != row[EN], row["name"]  # two languages, not one copied
    for row in _rows(path, "choices"):
        assert row[ID] and row[EN], row


def test_firm_survey_constraints_match_the_schema(tmp_path: Path):
    path = tmp_path / "firms.xlsx"
    forms.write("firms", path)
    by_name = {r["name"]: r for r in _rows(path, "survey")}
    assert ". >= 1" in by_name["workers"]["constraint"]
    assert "${workers}" in by_name["women_workers"]["constraint"]
    assert "1800" in by_name["established"]["constraint"]
    assert "+62" in by_name["phone"]["constraint"]
    for name in ("firm_id", "name", "workers", "annual_sales", "willing_to_improve", "cluster", "enumerator"):
        assert by_name[name]["required"] == "yes", name
    assert "kemauan dan semangat untuk maju" in by_name["willing_to_improve"][ID]


def test_monitoring_channels_are_the_schemas_named_as_the_documents_name_them(tmp_path: Path):
    path = tmp_path / "monitoring.xlsx"
    forms.write("monitoring", path)
    channels = [r for r in _rows(path, "choices") if r["list_name"] == "channel"]
    assert [r["name"] for r in channels] == [c.value for c in Channel]
    named = {r["name"]: (r[ID], r[EN]) for r in channels}
    assert named["intermediary"] == ("Perantara (pedagang pengumpul)", "Intermediaries (traders)")


def test_cli_writes_the_form(tmp_path: Path):
    from typer.testing import CliRunner

    from cluster_reports.cli import app

    out = tmp_path / "f.xlsx"
    result = CliRunner().invoke(app, ["survey-form", "monitoring", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert convert(xlsform=str(out)).warnings == []
    assert CliRunner().invoke(app, ["survey-form", "shops", "--out", str(out)]).exit_code == 2
