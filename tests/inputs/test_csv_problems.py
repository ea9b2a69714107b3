"""A firm CSV's problems: each at its own spreadsheet row and column, all of them, with a hint where the
spreadsheet's formatting is the likely cause."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from cluster_reports.cli import app

FOLDER = Path("clusters") / "jawa-tengah"


@pytest.fixture
def params(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "params", tmp_path / "params", ignore=shutil.ignore_patterns("*.overrides.yaml"))
    return tmp_path / "params"


def firms_csv(params: Path) -> Path:
    return params / FOLDER / "kebumen-roof-tile.monitoring-firms.csv"


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def validate(params: Path, *extra: str):
    result = CliRunner().invoke(app, ["validate", str(params / FOLDER / "kebumen-roof-tile.yaml"), *extra])
    assert result.exit_code == 1
    return result, [ln.removeprefix("error ") for ln in result.stderr.splitlines() if ln.startswith("error ")]


def test_every_bad_row_is_its_own_line(params: Path, tmp_path: Path):
    path = firms_csv(params)
    rows = rows_of(path)
    period = rows[0].index("period")
    for n in range(1, 29):  # spreadsheet rows 2 to 29
        rows[n][period] = f"w{n}"
    write_rows(path, rows)
    result, lines = validate(params)
    assert lines == [
        f"{path}: row {n + 1}, column 'period': period 'w{n}' is not one of the periods (q1, q2, q3, q4)"
        for n in range(1, 29)
    ]
    assert f"  {path}: 28 problems" in result.stdout
    rendered = CliRunner().invoke(app, ["render", str(params / FOLDER / "kebumen-roof-tile.yaml"),
                                        "--doc", "monitoring", "--lang", "en", "--format", "html",
                                        "--out", str(tmp_path / "out"), "--params-root", str(params)])
    assert rendered.exit_code == 1
    assert [ln.removeprefix("error ") for ln in rendered.stderr.splitlines()] == lines


def test_a_formatted_amount_and_an_unknown_channel_at_their_cells(params: Path):
    path = firms_csv(params)
    rows = rows_of(path)
    header = rows[0]
    rows[13][header.index("turnover")] = "Rp 730.000.000"
    rows[20][header.index("channel")] = "grosir"
    write_rows(path, rows)
    _, lines = validate(params)
    assert len(lines) == 2, lines
    assert lines[0] == (
        f"{path}: row 14, column 'turnover': Input should be a valid integer, unable to parse string as an "
        "integer; hint: 'Rp 730.000.000' is formatted: write Rupiah as digits only, without thousands "
        "separators or 'Rp' (1500000, not 1.500.000); format the column as a plain number before exporting"
    )
    assert lines[1].startswith(f"{path}: row 21, column 'channel': Input should be 'intermediary', ")
    assert "hint" not in lines[1]


def test_a_row_split_by_an_unquoted_comma_and_blank_rows_counted(params: Path):
    path = firms_csv(params)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace("Genteng Sokka Makmur", "Genteng Sokka, Makmur")  # row 5, unquoted comma
    lines.insert(6, "")  # a blank row 7, as a spreadsheet keeps it
    firm = rows_of(path)[0].index("firm")
    cells = lines[10].split(",")
    cells[firm] = "UD Tidak Ada"  # now row 11
    lines[10] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, found = validate(params)
    assert found == [
        f"{path}: row 5: has 6 values but the header has 5 columns; hint: a value that holds a comma must be "
        'in double quotes, e.g. "UD Maju, Jaya"',
        f"{path}: row 11, column 'firm': 'UD Tidak Ada' is not in the cluster's firm table "
        "(firms.table of its params file)",
    ]


def test_a_bad_header_still_lets_the_yaml_be_checked(params: Path):
    path = firms_csv(params)
    rows = rows_of(path)
    rows[0][rows[0].index("turnover")] = "omzet"
    write_rows(path, rows)
    monitoring = params / FOLDER / "kebumen-roof-tile.monitoring.yaml"
    text = monitoring.read_text(encoding="utf-8")
    monitoring.write_text(text.replace("plan_year: 2003", "plan_year: 2004"), encoding="utf-8")
    _, lines = validate(params)
    assert lines[0] == (f"{path}: header: columns are firm, period, omzet, channel, reached_goal; expected "
                        "firm, period, turnover, channel, reached_goal (and optionally channel_name_en, "
                        "channel_name_id)")
    assert any(line.startswith(f"{monitoring}: plan_year: is 2004 but the cluster's plan is for 2003")
               for line in lines[1:]), lines
