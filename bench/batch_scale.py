"""Benchmark: the batch engine's own cost at national scale (synthetic sentra).

Run by hand: `.venv/bin/python bench/batch_scale.py [N_CLUSTERS] [N_RENDERED]` (defaults 9800, 60).
Prints, for N synthetic clusters:
  - the scan alone (find files, hash raw bytes): seconds;
  - a first batch of the roll-ups only (every cluster loaded once for its summary, every province's
    summary and the national one, id+en, docx+html): seconds;
  - the re-run with nothing changed (the 20-second target): seconds;
  - a re-run after editing one cluster: which documents were rebuilt, seconds;
  - full profiles (id+en, docx+html) of N_RENDERED clusters: seconds per cluster, and the national
    profiling batch extrapolated from it (2 workers);
  - each worker's peak memory (max RSS) after the small and the large runs: it must not grow with N.
Not a test: nothing is asserted.
"""

from __future__ import annotations

import io
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console

from cluster_reports.batch import manifest, scan
from cluster_reports.batch import run as batch
from cluster_reports.inputs import synth


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(params: Path, out: Path, kinds: list[str], address: str) -> tuple[float, str]:
    stdout = io.StringIO()
    start = time.perf_counter()
    options = batch.BatchOptions(params, out, kinds, ["id", "en"], ["docx", "html"], scheduler=address)
    code = batch.main(options, Console(file=stdout, width=300), Console(file=sys.stderr))
    elapsed = time.perf_counter() - start
    summary = [line for line in stdout.getvalue().splitlines() if line.startswith("clusters:")]
    assert code == 0, stdout.getvalue()[-2000:]
    return elapsed, summary[-1] if summary else ""


def main(n: int, n_rendered: int) -> None:
    from distributed import Client, LocalCluster

    with (
        tempfile.TemporaryDirectory() as tmp,
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        root = Path(tmp)
        params = root / "params"
        synth.main(n, 1, params, Console(file=io.StringIO()), Console(file=sys.stderr))
        files = sorted(p for p in params.rglob("*.yaml") if p.name.count(".") == 1)
        print(f"{len(files)} synthetic clusters")

        start = time.perf_counter()
        found = scan.scan(params)
        print(
            f"scan (find + hash raw bytes): {time.perf_counter() - start:.2f} s for {len(found.sources)}"
        )

        # Small: full profiles of a few clusters (their own params folder), for per-cluster cost.
        small = root / "small"
        for path in files[:: max(1, len(files) // n_rendered)][:n_rendered]:
            target = small / path.relative_to(params)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        elapsed, line = run(small, root / "out-small", ["profile"], cluster.scheduler_address)
        rss_small = client.run(peak_mb)
        per = elapsed / n_rendered
        print(f"profiles of {n_rendered} clusters: {elapsed:.1f} s, {per:.3f} s per cluster ({line})")
        print(f"  national profiling batch extrapolated: {per * n / 60:.1f} min (without roll-ups)")
        print(f"  worker peak memory: {', '.join(f'{v:.0f} MB' for v in rss_small.values())}")

        out = root / "out"
        rollups = ["province-summary", "national-summary"]
        elapsed, line = run(params, out, rollups, cluster.scheduler_address)
        print(f"first batch of roll-ups over {n}: {elapsed:.1f} s ({line})")
        elapsed, line = run(params, out, rollups, cluster.scheduler_address)
        print(f"re-run, nothing changed: {elapsed:.2f} s ({line})")

        one = files[len(files) // 2]
        one.write_text(one.read_text().replace("synthetic: true", "synthetic: true  # edited", 1))
        elapsed, line = run(params, out, rollups, cluster.scheduler_address)
        m = manifest.Manifest(out)
        last = m.db.execute("SELECT max(id) FROM runs").fetchone()[0]
        rebuilt = sorted({r.subject for r in m.documents().values() if r.run_id == last})
        m.close()
        where = one.relative_to(params)
        print(f"re-run after a comment in {where}: {elapsed:.2f} s, rebuilt {rebuilt or 'nothing'}")
        rss_large = client.run(peak_mb)
        print(f"  worker peak memory after {n}: {', '.join(f'{v:.0f} MB' for v in rss_large.values())}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9800, int(sys.argv[2]) if len(sys.argv) > 2 else 60)
