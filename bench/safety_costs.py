"""What issue 15's safety costs, each measured against the work it guards in the same run.

- reading inputs: every params file of the sample read through ``inputs.files.read_limited``
  (inside the root, a regular file, within the limit) against ``Path.read_bytes``;
- validating the sample: ``params_io.load_many`` (with the bounds and text checks) per cluster;
- inert texts: ``composer.inert_inputs`` (every text of a cluster's files made inert) against
  composing its profile;
- the reviewer-file replace: ``review.replace.settle`` + ``place`` of a generated profile against
  ``atomic.write_atomic`` of the same bytes.

Run: PYTHONPATH=src .venv/bin/python bench/safety_costs.py [repeats]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cluster_reports import atomic, resources  # noqa: E402
from cluster_reports.compose import composer  # noqa: E402
from cluster_reports.domain import summary  # noqa: E402
from cluster_reports.inputs import files, params_io  # noqa: E402
from cluster_reports.review import merge, replace  # noqa: E402

CLUSTER = "jawa-tengah/kebumen-roof-tile"


def best(repeats: int, run) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main(repeats: int) -> None:
    params = ROOT / "params" / "clusters"
    paths = sorted(p for p in params.rglob("*") if p.suffix in (".yaml", ".csv"))
    root = files.params_root(paths[0])
    plain = best(repeats, lambda: [p.read_bytes() for p in paths])
    limited = best(repeats, lambda: [files.read_limited(p, files.CSV_LIMIT, root) for p in paths])
    print(f"read {len(paths)} params files: plain {plain * 1e3:.2f} ms, checked {limited * 1e3:.2f} ms "
          f"({limited / plain:.2f}x)")

    everyone, _ = params_io.load_many([params])
    validate = best(repeats, lambda: params_io.load_many([params]))
    print(f"validate the sample: {validate / len(everyone) * 1e3:.1f} ms per cluster "
          f"({len(everyone)} clusters)")

    loaded = params_io.load_file(params / f"{CLUSTER}.yaml")
    peers = [summary.summarise(item) for item in everyone]
    templates = resources.templates()
    compose = best(repeats, lambda: composer.compose(loaded, "profile", "en", peers, templates))
    inert = best(repeats, lambda: composer.inert_inputs(loaded))
    print(f"inert texts: {inert * 1e3:.2f} ms against composing the profile {compose * 1e3:.0f} ms "
          f"({inert / compose:.1%})")

    work = Path(tempfile.mkdtemp(prefix="safety-costs-"))
    try:
        doc = composer.compose(loaded, "profile", "en", peers, templates)
        source = work / "source.docx"
        merge.write_docx(doc, source, templates / "reference.docx")
        data = source.read_bytes()
        target = work / "profile.en.docx"
        shutil.copy2(source, target)

        def plain_replace():
            atomic.write_bytes_atomic(target, data)

        def safe_replace():
            read = replace.settle(target)
            replace.place(target, lambda tmp: tmp.write_bytes(data), read, None)

        atomic_s = best(repeats * 5, plain_replace)
        safe_s = best(repeats * 5, safe_replace)
        print(f"replace a {len(data) // 1024} KB .docx: atomic write {atomic_s * 1e3:.2f} ms, checked "
              f"replace {safe_s * 1e3:.2f} ms ({safe_s / atomic_s:.2f}x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
