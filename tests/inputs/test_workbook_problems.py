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
