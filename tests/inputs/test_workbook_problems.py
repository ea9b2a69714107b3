"""A workbook with a bad cell: each problem named by the workbook's sheet, its cell, the field and the
reason; exit 1 with a count line; nothing written (the params folder as it was)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from cluster_reports.cli import app
from cluster_reports.inputs import params_io
from cluster_reports.inputs.workbook import labels, layout, write

REPO = Path(__file__).resolve().parents[2]
CLUSTER = REPO / "params" / "clusters" / "jawa-tengah" / "kebumen-roof-tile.yaml"


def _sheet(path: str) -> layout.Sheet:
    return next(s for s in layout.layout() if s.path == path)


def _cell(path: str, keys: tuple[str, ...], row: int = layout.FIRST_ROW,
          lang: str | None = None) -> tuple[str, str]:
    """(sheet name, cell) of a field in the layout: a form's row, or a table's column at ``row``."""
    sheet = _sheet(path)
    n = next(i for i, c in enumerate(sheet.columns) if c.keys == keys and c.lang == lang)
    if sheet.kind == "form":
        return sheet.name("id"), f"C{layout.FIRST_ROW + n}"
    return sheet.name("id"), f"{get_column_letter(n + 1 + (1 if sheet.parent else 0))}{row}"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("good") / "kebumen.xlsx"
    write.save(write.build(write.parts_of(params_io.load_file(CLUSTER))), path)
    return path


@pytest.fixture(scope="module")
def params(tmp_path_factory) -> Path:
    """A params tree holding the sample cluster's files: an import over it must leave them as they are."""
    root = tmp_path_factory.mktemp("params")
    shutil.copytree(REPO / "params" / "programmes", root / "programmes")
    shutil.copytree(CLUSTER.parent, root / "clusters" / "jawa-tengah")
    return root / "clusters"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _spoil(workbook: Path, tmp_path: Path, changes: dict[tuple[str, str], object]) -> Path:
    wb = openpyxl.load_workbook(workbook)
    for (sheet, cell), value in changes.items():
        wb[sheet][cell] = value
    out = tmp_path / "spoilt.xlsx"
    wb.save(out)
    return out


def _import(path: Path, params: Path, lang: str = "en"):
    before = _snapshot(params)
    result = CliRunner().invoke(app, ["import", str(path), "--out", str(params), "--lang", lang],
                                catch_exceptions=False)
    assert _snapshot(params) == before, "an invalid workbook changed the params folder"
    assert result.exit_code == 1, result.output
    return result.output


CASES = {
    "text in a number column": ("cluster.firms.table", ("workers",), "banyak", "cluster.firms.table.workers"),
    "Rupiah with separators": ("cluster.firms.table", ("annual_sales",), "1.500.000",
                               "cluster.firms.table.annual_sales"),
    "a regency not in the list": ("cluster", ("location", "regency"), "Kabupaten Atlantis",
                                  "cluster.location.regency"),
    "a missing required value": ("cluster.firms.table", ("name",), None, "cluster.firms.table.name"),
    "a misspelt choice": ("cluster.markets", ("channel",), "whole-sale", "cluster.markets.channel"),
    "a budget line's quantity as text": ("plan.programmes.budget", ("quantity",), "dua",
                                         "plan.programmes.budget.quantity"),
    "a misspelt flag": ("cluster.firms.table", ("cooperative_member",), "mungkin",
                        "cluster.firms.table.cooperative_member"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_cell_named_by_sheet_and_cell(case, workbook, params, tmp_path):
    path, keys, value, field = CASES[case]
    sheet, cell = _cell(path, keys)
    output = _import(_spoil(workbook, tmp_path, {(sheet, cell): value}), params)
    assert f"{sheet}!{cell}: {labels.label(field, 'en')}: " in output, output
    assert "1 problem; no file written" in output, output
    if case == "Rupiah with separators":
        assert "without thousands separators" in output


def test_several_problems_each_named_and_counted_in_indonesian(workbook, params, tmp_path):
    workers = _cell("cluster.firms.table", ("workers",), row=5)
    channel = _cell("cluster.markets", ("channel",))
    output = _import(_spoil(workbook, tmp_path, {workers: "lima", channel: "grosir"}), params, lang="id")
    assert f"{workers[0]}!{workers[1]}: {labels.label('cluster.firms.table.workers', 'id')}: " in output
    assert f"{channel[0]}!{channel[1]}: {labels.label('cluster.markets.channel', 'id')}: " in output
    assert "2 masalah; tidak ada berkas yang ditulis" in output


def test_a_row_check_is_named_at_the_row(workbook, params, tmp_path):
    """A check across a row (more women workers than workers) points at the row's first cell."""
    women = _cell("cluster.firms.table", ("women_workers",))
    workers = _cell("cluster.firms.table", ("workers",))
    output = _import(_spoil(workbook, tmp_path, {workers: 2, women: 9}), params)
    sheet = _sheet("cluster.firms.table").name("id")
    assert f"{sheet}!A{layout.FIRST_ROW}: " in output and "women_workers (9) exceeds" in output


def test_a_child_row_naming_no_parent(workbook, params, tmp_path):
    budget = _sheet("plan.programmes.budget")
    output = _import(_spoil(workbook, tmp_path, {(budget.name("id"), "A3"): "no-such-programme"}), params)
    assert f"{budget.name('id')}!A3: " in output and "no-such-programme" in output


def test_not_a_workbook(params, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    output = _import(path, params)
    assert "is not an Excel workbook" in output and "Traceback" not in output


def test_messages_name_the_workbooks_own_sheets(params, tmp_path):
    """A workbook written with English sheet names is reported by those names, in either language."""
    english = tmp_path / "english.xlsx"
    result = CliRunner().invoke(app, ["workbook", str(CLUSTER), "--out", str(english), "--lang", "en"])
    assert result.exit_code == 0, result.output
    table = _sheet("cluster.firms.table")
    column = next(n for n, c in enumerate(table.columns) if c.keys == ("workers",))
    cell = f"{get_column_letter(column + 1)}{layout.FIRST_ROW}"
    wb = openpyxl.load_workbook(english)
    assert table.name("id") not in wb.sheetnames or table.name("id") == table.name("en")
    wb[table.name("en")][cell] = "many"
    wb.save(english)
    for lang in ("id", "en"):
        output = _import(english, params, lang)
        assert f"{table.name('en')}!{cell}: {labels.label('cluster.firms.table.workers', lang)}: " in output


def test_observations_csv_outside_the_params_folder_refused(workbook, params, tmp_path):
    form = _sheet("monitoring")
    row = layout.FIRST_ROW + next(n for n, c in enumerate(form.columns) if c.keys == ("firms_csv",))
    output = _import(_spoil(workbook, tmp_path, {(form.name("id"), f"C{row}"): "../../../../elsewhere.csv"}),
                     params)
    assert f"{form.name('id')}!C{row}: " in output and "inside the params folder" in output


def test_a_part_left_out_keeps_its_file(params, tmp_path):
    """A workbook without the plan's sheets filled leaves the plan file beside the cluster as it is."""
    loaded = params_io.load_file(CLUSTER)
    parts = {"cluster": loaded.params}
    wb = write.build(parts)
    path = tmp_path / "cluster-only.xlsx"
    write.save(wb, path)
    tree = tmp_path / "tree"
    shutil.copytree(params.parent, tree)
    before = (tree / "clusters" / "jawa-tengah" / "kebumen-roof-tile.plan.yaml").read_bytes()
    result = CliRunner().invoke(app, ["import", str(path), "--out", str(tree / "clusters"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "kebumen-roof-tile.plan.yaml: the workbook has no plan" in result.output
    assert (tree / "clusters" / "jawa-tengah" / "kebumen-roof-tile.plan.yaml").read_bytes() == before
