"""Benchmark: the workbook's libraries on a cluster of 2,000 firms.

Run by hand: `.venv/bin/python bench/workbook_io.py [N_FIRMS]` (default 2000). Prints, for the sample
cluster kebumen-roof-tile with its firm table replaced by N synthetic firms:
  - writing the firm table (same cells, number formats, dropdowns) with openpyxl (the baseline) and
    with XlsxWriter, seconds and ratio;
  - writing the whole workbook with our writer (openpyxl), seconds;
  - reading the whole workbook back with openpyxl (read-only, values) (the baseline) and with
    python-calamine, seconds and ratio, and whether each gives every firm's values exactly
    (Rupiah integers up to 9 trillion, workers, texts);
  - the whole import (read, validate every part), seconds, and whether it gives the same params
    (a text with line breaks among them).
Not a test: nothing is asserted.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import xlsxwriter
from openpyxl.worksheet.datavalidation import DataValidation

from cluster_reports.inputs import params_io
from cluster_reports.inputs.schema.cluster import Firm
from cluster_reports.inputs.schema.common import Text
from cluster_reports.inputs.workbook import importing, layout, read, write

CLUSTER = Path(__file__).resolve().parents[1] / "params/clusters/jawa-tengah/kebumen-roof-tile.yaml"


def firms(n: int) -> list[Firm]:
    rng = random.Random(16)
    return [Firm(name=f"UD Genteng {k:04d}", workers=rng.randint(1, 150),
                 annual_sales=rng.randint(10_000_000, 9_000_000_000_000),
                 cooperative_member=rng.random() < .4,
                 established=rng.randint(1950, 2020),
                 products=Text(en=f"roof tiles and ridge tiles {k}", id=f"genteng dan bubungan {k}"))
            for k in range(n)]


def rows(table: list[Firm]) -> list[list]:
    return [[f.name, f.workers, f.annual_sales, "ya" if f.cooperative_member else "tidak", f.established,
             f.products.id, f.products.en] for f in table]


HEADS = ["nama", "pekerja", "penjualan", "anggota koperasi", "berdiri", "produk (id)", "produk (en)"]


def with_openpyxl(data: list[list], path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADS)
    for row in data:
        ws.append(row)
    for (cell,) in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        cell.number_format = '"Rp "#,##0'
    dv = DataValidation(type="list", formula1='"ya,tidak"')
    dv.add(f"D2:D{len(data) + 1}")
    ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    wb.save(path)


def with_xlsxwriter(data: list[list], path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    money = wb.add_format({"num_format": '"Rp "#,##0'})
    ws.write_row(0, 0, HEADS)
    for r, row in enumerate(data, start=1):
        ws.write_row(r, 0, row)
        ws.write_number(r, 2, row[2], money)
    ws.data_validation(1, 3, len(data), 3, {"validate": "list", "source": ["ya", "tidak"]})
    ws.freeze_panes(1, 0)
    wb.close()


def read_openpyxl(path: Path) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def timed(what, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = what(*args)
    return time.perf_counter() - start, result


def exact(grid: list[list], table: list[Firm], sheet: layout.Sheet) -> bool:
    cols = {c.keys + ((c.lang,) if c.lang else ()): n for n, c in enumerate(sheet.columns)}
    for firm, row in zip(table, grid[layout.FIRST_ROW - 1:], strict=False):
        sales = row[cols[("annual_sales",)]]
        if not (sales == firm.annual_sales and float(sales).is_integer()
                and row[cols[("products", "id")]] == firm.products.id
                and row[cols[("workers",)]] == firm.workers):
            return False
    return True


def main(n: int) -> None:
    loaded = params_io.load_file(CLUSTER)
    table = firms(n)
    cluster = loaded.params.model_copy(update={"firms": loaded.params.firms.model_copy(
        update={"table": table, "by_size": None, "women_led": None, "potentially_viable": None,
                "cooperative_members": None, "women_workers": None}),
        "workers": None, "annual_sales": None,
        # A text of several lines, which must come back with its line breaks.
        "location": loaded.params.location.model_copy(update={"note": Text(en="one\ntwo", id="satu\ndua")})})
    parts = {**write.parts_of(loaded), "cluster": cluster}
    parts.pop("monitoring")  # its observations name the sample's own firms
    data = rows(table)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base_write, _ = timed(with_openpyxl, data, folder / "a.xlsx")
        xw_write, _ = timed(with_xlsxwriter, data, folder / "b.xlsx")
        print(f"write the firm table, {n} firms: openpyxl {base_write:.2f} s (baseline), "
              f"XlsxWriter {xw_write:.2f} s ({xw_write / base_write:.2f}x)")
        full = folder / "cluster.xlsx"
        ours, _ = timed(lambda: write.save(write.build(parts), full))
        print(f"write the whole workbook with our writer (openpyxl): {ours:.2f} s, "
              f"{full.stat().st_size / 1e6:.1f} MB")
        sheet = next(s for s in layout.layout() if s.path == "cluster.firms.table")
        base_read, by_openpyxl = timed(read_openpyxl, full)
        cal_read, by_calamine = timed(read.grids, full)
        print(f"read the whole workbook: openpyxl {base_read:.2f} s (baseline), python-calamine "
              f"{cal_read:.2f} s ({cal_read / base_read:.2f}x)")
        for name, grids in (("openpyxl", by_openpyxl), ("python-calamine", by_calamine)):
            print(f"  {name}: every firm's values exact: {exact(grids[sheet.name('id')], table, sheet)}")
        whole, outcome = timed(importing.check, full, Path(tmp) / "clusters", None, "en")
        same = {part: outcome.models.get(part) == model for part, model in parts.items()}
        print(f"import (read and validate every part): {whole:.2f} s, {len(outcome.problems)} problems; "
              f"the same params: {same}")
        print(f"(run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
