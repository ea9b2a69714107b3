"""Benchmark: the roll-ups of a national set of cluster summaries (default 9,800 in 38 provinces).

Run by hand: `.venv/bin/python bench/rollups_render.py [N_CLUSTERS]`. Prints seconds for composing
and writing (docx and html, both languages) the largest province's roll-up and the national one,
the same province's roll-up with and without its annex, and the share of time spent in charts.
Not a test: nothing is asserted.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path[:0] = [str(TESTS), str(TESTS / "documents")]  # the roll-up tests' generated set

from test_rollups import generated  # noqa: E402

from cluster_reports import render, resources  # noqa: E402
from cluster_reports.compose import charts, composer  # noqa: E402
from cluster_reports.documents import province_summary  # noqa: E402


def timed(label: str, action) -> float:
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    print(f"{label:<58} {seconds:6.2f} s")
    return seconds


def rollup(kind, members, key, out, templates):
    charts._cache.clear()  # every run draws its charts, as a fresh batch process would
    outcome = render.render_rollup(kind, members, key, ["id", "en"], ["docx", "html"], out, templates)
    assert outcome.error is None, outcome.error


def main(count: int) -> None:
    items = generated(count)
    templates = resources.templates()
    provinces = Counter(s.province_slug for s in items)
    (slug, size), = provinces.most_common(1)
    members = [s for s in items if s.province_slug == slug]
    print(f"{count} clusters, {len(provinces)} provinces; largest: {slug} ({size}); "
          "each roll-up in id+en, docx+html")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        # Warm-up: the first chart and document in a process pay one-off start-up costs.
        render.render_rollup("province-summary", members[:20], slug, ["id", "en"], ["html"], out / "w",
                             templates)
        with_annex = timed("largest province, with its annex",
                           lambda: rollup("province-summary", members, slug, out / "a", templates))
        limit, province_summary.ANNEX_LIMIT = province_summary.ANNEX_LIMIT, 0
        try:
            no_annex = timed("largest province, without annex",
                             lambda: rollup("province-summary", members, slug, out / "n", templates))
        finally:
            province_summary.ANNEX_LIMIT = limit
        charts._cache.clear()
        start = time.perf_counter()
        composed = [composer.compose_rollup("province-summary", members, slug, lang, templates)
                    for lang in ("id", "en")]
        compose_seconds = time.perf_counter() - start
        print(f"{'  of which composing (charts included)':<58} {compose_seconds:6.2f} s")
        assert composed
        national = timed("national", lambda: rollup("national-summary", items, None, out, templates))
        groups = province_summary.group_by(items, lambda s: s.province_slug)
        every = timed(f"every province ({len(groups)})",
                      lambda: [rollup("province-summary", m, k, out / "p", templates)
                               for k, m in groups.items()])
    print(f"the annex costs {with_annex / no_annex:4.2f}x the province roll-up without it; "
          f"a province takes {every / len(groups):4.2f} s on average; national {national:4.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9_800)
