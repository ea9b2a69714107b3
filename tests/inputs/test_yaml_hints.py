"""Where YAML syntax is the likely cause of a problem, the message says so and how to write the value."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from cluster_reports.cli import app

FOLDER = Path("clusters") / "jawa-tengah"


def line_of(marker: str, name: str = "kebumen-roof-tile.yaml") -> int:
    """The line of the shipped sample that holds ``marker``: the messages must name it, wherever the
    sample's data put it."""
    text = (ROOT / "params" / FOLDER / name).read_text(encoding="utf-8")
    return text[:text.index(marker)].count("\n") + 1


@pytest.fixture
def params(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "params", tmp_path / "params", ignore=shutil.ignore_patterns("*.overrides.yaml"))
    return tmp_path / "params"


def problems_after(params: Path, name: str, old: str, new: str) -> tuple[Path, list[str]]:
    """Validate the sample's Kebumen cluster after one edit of one of its files; its error lines."""
    path = params / FOLDER / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(params / FOLDER / "kebumen-roof-tile.yaml")])
    assert result.exit_code == 1
    return path, [ln.removeprefix("error ") for ln in result.stderr.splitlines() if ln.startswith("error ")]


def test_a_comma_that_splits_a_flow_mapping_value(params: Path):
    path, lines = problems_after(params, "kebumen-roof-tile.yaml",
                                 'name: "UD Genteng Kedawung Indah", workers',
                                 "name: UD Genteng Kedawung, Indah, workers")
    assert lines == [
        f"{path}: firms.table[3].Indah: unknown key (misspelt, or not part of the schema) "
        f"(line {line_of('UD Genteng Kedawung Indah')}); hint: "
        "this looks like the end of the value of 'name', cut off by an unquoted comma inside {...}: "
        'put the value in quotes, name: "UD Genteng Kedawung, Indah"'
    ]


def test_a_colon_inside_an_unquoted_value(params: Path):
    path, lines = problems_after(params, "kebumen-roof-tile.yaml", "  district: Pejagoan",
                                 "  district: Kecamatan: Pejagoan")
    assert lines == [
        f"{path}: line 16, column 22: malformed YAML: mapping values are not allowed in this context; hint: "
        "a value that "
        "holds ': ' (a colon and a space) must be in quotes, e.g. name: \"PT Sinar: Jaya\""
    ]


def test_a_tab_in_the_indentation(params: Path):
    path, lines = problems_after(params, "kebumen-roof-tile.yaml", "  regency: Kabupaten Kebumen",
                                 "\tregency: Kabupaten Kebumen")
    assert len(lines) == 1 and lines[0].startswith(f"{path}: line 15, column 1: malformed YAML: ")
    assert lines[0].endswith("hint: a tab: YAML indents with spaces only, replace the tab with spaces")


def test_a_key_given_twice_names_both_lines(params: Path):
    path, lines = problems_after(params, "kebumen-roof-tile.yaml", "reference_year: 2003\n",
                                 "reference_year: 2003\nreference_year: 2004\n")
    assert lines == [
        f"{path}: line {line_of('reference_year:') + 1}, column 1: malformed YAML: key 'reference_year' is "
        f"given twice (first on line {line_of('reference_year:')}); "
        "YAML would keep only the last value: remove one, or rename it"
    ]


@pytest.mark.parametrize(
    ("old", "new", "field", "hint"),
    [
        ('isic: "3642"', "isic: 3642", f"industry.isic (line {line_of('isic: ')})",
         'YAML reads 3642 unquoted as the number 3642: put it in quotes to keep it as text, "3642"'),
        ("label: {en: Q1 2003,", "label: {en: no,", "periods[0].label.en (line 14)",
         'YAML reads no unquoted as the boolean false: put it in quotes to keep it as text, "no"'),
        ("label: {en: Q2 2003,", "label: {en: 2003-06-30,", "periods[1].label.en (line 15)",
         'YAML reads 2003-06-30 unquoted as the date 2003-06-30: put it in quotes to keep it as text, '
         '"2003-06-30"'),
    ],
    ids=["number", "boolean", "date"],
)
def test_a_value_yaml_reads_as_something_else_than_text(params: Path, old, new, field, hint):
    name = "kebumen-roof-tile.yaml" if "isic" in old else "kebumen-roof-tile.monitoring.yaml"
    path, lines = problems_after(params, name, old, new)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}: {field.split(' ')[0]}: Input should be a valid string "), lines
    assert lines[0].endswith(f"{field.split(' ', 1)[1]}; hint: {hint}"), lines


def test_a_misspelt_key_is_matched_to_the_missing_one(params: Path):
    path, lines = problems_after(params, "kebumen-roof-tile.yaml", "reference_year:", "refrence_year:")
    assert f"{path}: reference_year: required field is missing" in lines
    assert (f"{path}: refrence_year: unknown key (misspelt, or not part of the schema) "
            f"(line {line_of('reference_year:')}); "
            "hint: did you mean 'reference_year'? it is required and missing") in lines


def test_a_plain_wrong_value_gets_no_syntax_hint(params: Path):
    path, lines = problems_after(params, "kebumen-roof-tile.yaml", "usd_rate: 8000", "usd_rate: delapan ribu")
    assert lines == [f"{path}: currency.usd_rate: Input should be a valid number, unable to parse string "
                     f"as a number (line {line_of('usd_rate: 8000')})"]
