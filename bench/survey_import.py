"""Benchmark: importing a field survey's export of 2,000 firms (issue 16).

Run by hand: `PYTHONPATH=src .venv/bin/python bench/survey_import.py [N_FIRMS]` (default 2000).
A copy of the Kebumen sample whose firm table holds N firms (its own 38 and synthetic ones) is
surveyed again (every firm's sales, address and telephone changed); the survey's export, written as
KoboToolbox writes it (CSV with semicolons, XLSX), is imported. Prints, for CSV and XLSX: the
seconds of the import (read, every row checked, the cluster checked as a whole, the YAML updated
with its comments, written), of a plain pandas read of the same file in the same run, and the ratio.
Target: under 2 s. The CPU seconds are printed beside: on a shared machine the wall time is longer.
Asserts that the firm table after the import equals the surveyed one.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

from cluster_reports.inputs.schema.cluster import SIZE_CLASSES, size_class
from cluster_reports.inputs.survey import importing, sample_export

REPO = Path(__file__).resolve().parents[1]
CLUSTER = "kebumen-roof-tile"
TARGET_S = 2.0


def params_tree(root: Path, n_firms: int) -> tuple[Path, list[dict]]:
    """A params tree whose Kebumen cluster has n_firms in its table; the table as surveyed later."""
    folder = root / "params" / "clusters" / "jawa-tengah"
    folder.mkdir(parents=True)
    for path in (REPO / "params" / "clusters" / "jawa-tengah").glob(f"{CLUSTER}*"):
        shutil.copy(path, folder / path.name)
    shutil.copytree(REPO / "params" / "programmes", root / "params" / "programmes")
    shutil.copy(REPO / "params" / "publication.yaml", root / "params" / "publication.yaml")
    cluster = folder / f"{CLUSTER}.yaml"
    data = yaml.safe_load(cluster.read_text(encoding="utf-8"))
    table = data["firms"]["table"]
    for n in range(len(table), n_firms):  # the monitoring file names the sample's own 38 by name
        table.append({"id": f"kbm-{n + 1:04d}", "name": f"Genteng Sokka {n + 1:04d}", "workers": 1 + n % 40,
                      "annual_sales": 50_000_000 + 997 * n, "cooperative_member": n % 3 == 0,
                      "willing_to_improve": n % 4 == 0, "established": 1960 + n % 60,
                      "women_led": n % 5 == 0, "women_workers": n % 2})
    counts = {size: sum(1 for f in table if size_class(f["workers"]) == size) for size in SIZE_CLASSES}
    data["firms"]["by_size"] = counts  # the table is the whole sentra's survey
    data["workers"] = max(data.get("workers") or 0, sum(f["workers"] for f in table))
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096)
    cluster.write_text(text, encoding="utf-8")
    surveyed = [dict(f, annual_sales=f["annual_sales"] + 1000, address=f"Jl. Sokka {n + 1}, Pejagoan",
                     phone=f"(0287) {380000 + n}") for n, f in enumerate(table)]
    return cluster, surveyed


def timed(call) -> tuple[float, object]:
    start, cpu = time.perf_counter(), time.process_time()
    result = call()
    timed.cpu = time.process_time() - cpu  # the CPU seconds: on a shared machine, below the wall time
    return time.perf_counter() - start, result


def main(n_firms: int) -> None:
    with tempfile.TemporaryDirectory(prefix="survey-bench-") as tmp:
        root = Path(tmp)
        pristine, surveyed = params_tree(root / "pristine", n_firms)
        answers = [sample_export.answers_of_firm(f, CLUSTER) for f in surveyed]
        exports = {"csv": root / "kobo.csv", "xlsx": root / "kobo.xlsx"}
        sample_export.write_csv("firms", answers, "kobo", exports["csv"])
        sample_export.write_xlsx("firms", answers, "kobo", exports["xlsx"])
        baselines = {"csv": lambda p: pd.read_csv(p, sep=";", dtype=str),
                     "xlsx": lambda p: pd.read_excel(p, engine="calamine", dtype=str)}
        print(f"{n_firms} firms, export as KoboToolbox writes it")
        for fmt, export in exports.items():
            run_root = root / fmt
            shutil.copytree(pristine.parents[3], run_root)
            cluster = run_root / pristine.relative_to(pristine.parents[3])
            baseline, frame = timed(lambda export=export, fmt=fmt: baselines[fmt](export))
            assert len(frame) == n_firms
            seconds, outcome = timed(lambda export=export, cluster=cluster: importing.import_export(
                export, cluster, None, "id"))
            assert not outcome.problems, outcome.problems[:5]
            table = yaml.safe_load(cluster.read_text(encoding="utf-8"))["firms"]["table"]
            assert table == surveyed, "the firm table differs from the surveyed firms"
            verdict = "within" if seconds < TARGET_S else "OVER"
            print(f"  {fmt:4}: import {seconds:.2f} s ({timed.cpu:.2f} s CPU), pandas read {baseline:.3f} s, "
                  f"ratio {seconds / baseline:.0f}x; {verdict} the {TARGET_S:g} s target; "
                  f"{outcome.updated} firms updated, table equal")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
