"""Benchmark: per cluster, the direct engine against the papermill engine, same clusters, same run.

Run by hand: `.venv/bin/python bench/engines.py [--clusters N] [--doc profile] [--stages]`.
Both sides are the batch's own engines (cluster_reports.batch.engines): ``render_direct`` in this warm
process, ``render_papermill`` executing notebooks/<kind>.ipynb. Documents: the kinds asked for, in
both languages and both formats. Prints the medians (wall clock; CPU for the direct side, which
includes vl-convert's thread), their ratio and, with --stages, where the direct time goes. The chart
cache is emptied before each cluster, so no cluster profits from another's charts. Not a test:
nothing is asserted.
"""

from __future__ import annotations

import argparse
import collections
import functools
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cluster_reports import resources
from cluster_reports.batch import engines
from cluster_reports.compose import charts, composer, templating
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "params" / "clusters"
LANGS = ("id", "en")
FORMATS = ("docx", "html")


def _stage_timers() -> dict[str, float]:
    """Wrap the direct path's stages to sum their wall time (the modules' functions are replaced)."""
    from cluster_reports.compose import markdown
    from cluster_reports.review import merge
    from cluster_reports.writers import docx as docx_writer
    from cluster_reports.writers import html as html_writer

    totals: dict[str, float] = collections.defaultdict(float)
    stages = [
        (charts, "render", "charts: layout, SVG + PNG"),
        (composer, "make_context", "context"),
        (templating, "render", "template (Jinja2 -> Markdown)"),
        (markdown, "parse", "Markdown -> tree"),
        (docx_writer, "build", "Word: build"),
        (merge, "write_docx", "Word: build + save"),
        (html_writer, "write_html", "HTML: render + write"),
    ]
    for module, name, label in stages:
        original = getattr(module, name)

        @functools.wraps(original)
        def timed(*args, _original=original, _label=label, **kwargs):
            start = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                totals[_label] += time.perf_counter() - start

        setattr(module, name, timed)
    return totals


def _check(results: list[engines.DocResult], engine: str, cluster: str) -> None:
    failed = [r for r in results if r.error and r.status != "unavailable"]
    if failed:
        sys.exit(f"{engine} failed for {cluster}: {failed[0].error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=5, help="sample clusters measured (max 10)")
    parser.add_argument("--doc", default="profile", help="document kinds, comma-separated")
    parser.add_argument("--stages", action="store_true", help="break the direct time down by stage")
    args = parser.parse_args()

    loaded, problems = params_io.load_many([SAMPLE])
    if problems:
        sys.exit("\n".join(map(str, problems)))
    peers = [summary.summarise(item) for item in loaded]
    kinds = args.doc.split(",")
    jobs = [engines.Job(kind, lang, FORMATS) for kind in kinds for lang in LANGS]
    chosen = loaded[: args.clusters]
    templates = resources.templates()
    totals = _stage_timers() if args.stages else None
    docs_per_cluster = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        # Warm-up: the first chart and document of a process pay one-off start-up costs (a worker
        # pays them once per batch).
        _check(engines.render_direct(loaded[-1], jobs, out / "warm", peers, templates), "direct", "warm-up")
        if totals is not None:
            totals.clear()
        wall, cpu = [], []
        for item in chosen:
            charts.clear_cache()
            start, start_cpu = time.perf_counter(), time.process_time()
            results = engines.render_direct(item, jobs, out / "direct", peers, templates)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            _check(results, "direct", item.params.id)
            docs_per_cluster.append(sum(r.status == "rendered" for r in results))
        paper = []
        for item in chosen:
            start = time.perf_counter()
            results = engines.render_papermill(item, jobs, out / "papermill", SAMPLE, templates)
            paper.append(time.perf_counter() - start)
            _check(results, "papermill", item.params.id)
    docs = statistics.median(docs_per_cluster)
    d, c, p = statistics.median(wall), statistics.median(cpu), statistics.median(paper)
    print(f"clusters: {len(chosen)} ({', '.join(kinds)}; {'+'.join(LANGS)}; {'+'.join(FORMATS)}:"
          f" median {docs:.0f} documents each)")
    print(f"direct (warm worker): median {d:.3f} s per cluster, CPU {c:.3f} s"
          f" ({d / docs * 1000:.0f} ms per document)")
    print(f"papermill notebooks:  median {p:.3f} s per cluster")
    print(f"ratio papermill / direct: {p / d:.1f}x")
    if totals is not None:
        print("direct, where the time goes (per cluster, wall):")
        for label, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
            print(f"  {label:34} {seconds / len(chosen) * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
