"""Benchmark: the national batch (synthetic sentra, profiles + roll-ups, both languages and formats).

Run by hand: `.venv/bin/python bench/national.py [--n 9800] [--workers 2] [--seed 1]`.
Steps, each timed: `cluster-reports synth --n N --seed S` into a temporary folder; `cluster-reports
batch` with --doc profile,province-summary,national-summary --lang id,en --format docx,html; the same
batch again with nothing changed; again after editing one cluster (its worker count), printing the
files that changed. While a batch runs, the peak resident memory (VmHWM) of every process under it
(the Dask workers) is sampled. Give --n twice or more (e.g. --n 500 --n 2000) to see whether the
workers' memory grows with the number of clusters. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

CLI = [str(Path(sys.executable).parent / "cluster-reports")]  # of the virtualenv running this
DOCS = "profile,province-summary,national-summary"
TARGET_SECONDS = 15 * 60  # issue 4: the national set (9,800 sentra) in 15 minutes on 2 workers
NATIONAL = 9800


def _hwm_kib(proc: psutil.Process) -> int:
    try:
        status = Path(f"/proc/{proc.pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else 0


def run(cmd: list[str]) -> tuple[float, dict[int, tuple[str, int]], str]:
    """Run a command; its wall time, the peak RSS of each process under it, and its output."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    parent = psutil.Process(proc.pid)
    peaks: dict[int, tuple[str, int]] = {}
    output: list[str] = []

    def sample() -> None:
        try:
            children = parent.children(recursive=True)
        except psutil.Error:
            return
        for child in children:
            kib = _hwm_kib(child)
            try:
                name = " ".join(child.cmdline()[1:3])[:60]
            except psutil.Error:
                name = "?"
            if kib > peaks.get(child.pid, ("", 0))[1]:
                peaks[child.pid] = (name, kib)

    import threading

    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)
    reader.start()
    while proc.poll() is None:
        sample()
        time.sleep(0.5)
    reader.join()
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        print("".join(output[-30:]))
        sys.exit(f"{' '.join(cmd)} exited {proc.returncode}")
    return elapsed, peaks, "".join(output)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def batch_cmd(params: Path, out: Path, workers: int) -> list[str]:
    return [*CLI, "batch", str(params), "--out", str(out), "--workers", str(workers), "--doc", DOCS,
            "--lang", "id,en", "--format", "docx,html"]


def edit_one(params: Path) -> Path:
    """A real edit: one cluster's worker count goes up by one (its profile and roll-ups change)."""
    path = sorted(params.rglob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^workers: (\d+)$", text, re.MULTILINE)
    if not match:
        sys.exit(f"{path}: no 'workers:' line to edit")
    path.write_text(text.replace(match.group(0), f"workers: {int(match.group(1)) + 1}", 1), encoding="utf-8")
    return path


def report_peaks(peaks: dict[int, tuple[str, int]]) -> int:
    biggest = sorted(peaks.items(), key=lambda kv: -kv[1][1])[:4]
    for pid, (name, kib) in biggest:
        print(f"    pid {pid}: peak RSS {kib / 1024:.0f} MiB  ({name})")
    return biggest[0][1][1] if biggest else 0


def work_split(manifest: Path) -> tuple[float, float]:
    """Seconds of rendering recorded in the run manifest: cluster documents, and roll-ups."""
    with sqlite3.connect(manifest) as db:
        rows = db.execute(
            "SELECT subject, COALESCE(SUM(duration), 0) FROM documents GROUP BY subject"
        ).fetchall()
    rollups = sum(d for subject, d in rows if subject == "national" or subject.startswith("province:"))
    return sum(d for _, d in rows) - rollups, rollups


def one_scale(n: int, workers: int, seed: int, edits: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        params, out = Path(tmp) / "params", Path(tmp) / "out"
        elapsed, _, _ = run([*CLI, "synth", "--n", str(n), "--seed", str(seed), "--out", str(params)])
        print(f"n={n}: synth {elapsed:.1f} s")
        elapsed, peaks, _ = run(batch_cmd(params, out, workers))
        files = snapshot(out)
        docs = sum(1 for name in files if name.endswith((".docx", ".html")))
        print(f"n={n}: batch {elapsed:.1f} s, {docs} documents ({elapsed / n * 1000:.0f} ms per cluster"
              f" wall; {elapsed * workers / n * 1000:.0f} ms of a worker per cluster)")
        print(f"    extrapolated to {NATIONAL}: {elapsed / n * NATIONAL / 60:.1f} min"
              f" (target {TARGET_SECONDS / 60:.0f} min; linear in clusters, the roll-ups included)")
        cluster_s, rollup_s = work_split(out / "manifest.sqlite")
        # Provincial roll-ups do not multiply with the clusters (one per province, ~38 whatever n is),
        # so scale only the clusters' share: the estimate the line above overstates for small n.
        estimate = (cluster_s * NATIONAL / n + rollup_s) / workers
        print(f"    rendering work: clusters {cluster_s:.1f} s, roll-ups {rollup_s:.1f} s (sum over workers)")
        print(f"    clusters scaled to {NATIONAL}, roll-ups kept: about {estimate / 60:.1f} min"
              f" on {workers} workers")
        peak = report_peaks(peaks)
        figures = {"batch": elapsed, "peak_kib": peak}
        if edits:
            elapsed, _, _ = run(batch_cmd(params, out, workers))
            after = snapshot(out)
            changed = sorted(k for k in after if after[k] != files.get(k))
            print(f"n={n}: re-run, nothing changed: {elapsed:.1f} s, files changed: {len(changed)}"
                  f" {changed[:5]}")
            edited = edit_one(params)
            elapsed, _, _ = run(batch_cmd(params, out, workers))
            final = snapshot(out)
            changed = sorted(k for k in final if final[k] != after.get(k))
            print(f"n={n}: re-run after editing {edited.relative_to(params)}: {elapsed:.1f} s,"
                  f" {len(changed)} files changed:")
            for name in changed:
                print(f"    {name}")
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help=f"sentra (default {NATIONAL}); repeatable")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sizes = args.n or [NATIONAL]
    results = {n: one_scale(n, args.workers, args.seed, edits=(i == 0)) for i, n in enumerate(sizes)}
    if len(results) > 1:
        print("peak RSS of the largest process against the number of clusters:")
        for n, figures in results.items():
            print(f"    n={n}: {figures['peak_kib'] / 1024:.0f} MiB, batch {figures['batch']:.1f} s")


if __name__ == "__main__":
    main()
