"""Benchmark: one cluster's profile (id+en, docx+html) in-process against a papermill run.

Run by hand: `.venv/bin/python bench/profile_render.py [N_CLUSTERS]`. Prints seconds per cluster for
both ways on the same clusters in the same run, and their ratio. Not a test: nothing is asserted.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import papermill as pm

from cluster_reports import params_io, render, templating

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "params" / "clusters"
NOTEBOOK = ROOT / "notebooks" / "profile.ipynb"


def main(count: int) -> None:
    loaded, problems = params_io.load_many([SAMPLE])
    assert not problems, problems
    peers = [item.params for item in loaded]
    chosen = loaded[:count]
    templates = templating.templates_dir()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        # Warm-up: first chart and first document in a process pay one-off start-up costs.
        render.render_cluster(chosen[0], ["profile"], ["id", "en"], ["docx", "html"], out / "w",
                              peers, templates)
        direct = []
        for item in chosen:
            start = time.perf_counter()
            outcome = render.render_cluster(item, ["profile"], ["id", "en"], ["docx", "html"],
                                            out / "d", peers, templates)
            direct.append(time.perf_counter() - start)
            assert outcome.error is None, outcome.error
        paper = []
        for item in chosen:
            start = time.perf_counter()
            pm.execute_notebook(
                str(NOTEBOOK), str(out / f"{item.params.id}.ipynb"), cwd=str(NOTEBOOK.parent),
                kernel_name="python3", progress_bar=False,
                parameters={"cluster": item.params.id, "params_root": str(SAMPLE),
                            "languages": ["id", "en"], "formats": ["docx", "html"],
                            "output_dir": str(out / "p")},
            )
            paper.append(time.perf_counter() - start)
    d, p = statistics.median(direct), statistics.median(paper)
    print(f"clusters: {len(chosen)} (profile, id+en, docx+html: 4 documents each)")
    print(f"in-process, warm: median {d:.3f} s per cluster ({d / 4 * 1000:.0f} ms per document)")
    print(f"papermill notebook: median {p:.3f} s per cluster")
    print(f"ratio papermill / in-process: {p / d:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
