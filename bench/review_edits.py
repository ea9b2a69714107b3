"""What becomes of reviewers' edits made in LibreOffice when the reports are regenerated.

    PYTHONPATH=src .venv/bin/python bench/review_edits.py [--only NAME ...] [--work DIR]

Renders the sample cluster (Kebumen roof tiles: profile, strategy and action plan, in Indonesian
and English), makes each case's edit through LibreOffice (driven through UNO) on a fresh copy,
regenerates it with the same data and with changed data, and prints each edit's fate (KEPT,
CONFLICT, REPORTED, LOST, CORRUPTED; see tests/review/uno_cases.py) and the totals
"N edits tried, L lost silently, C corrupted". Needs soffice and python3-uno for /usr/bin/python3.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "review"), str(ROOT / "src")]

import uno_cases  # noqa: E402 - after the path is set
from uno_office import Office  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="case names to run (default: all)")
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    parser.add_argument("--notes", action="store_true", help="print why, for every case")
    args = parser.parse_args(argv)
    cases = [c for c in uno_cases.CASES if not args.only or c.name in args.only]
    work = args.work or Path(tempfile.mkdtemp(prefix="review-edits-"))
    started = time.monotonic()
    with Office() as office:
        bench = uno_cases.Bench(work, office)
        print(f"{'case':38} {'document':15} {'same data':10} {'new data':10} issue")
        fates = {}
        for case in cases:
            fates[case.name] = result = bench.run(case)
            same, changed = result["same"], result["changed"]
            print(f"{case.name:38} {case.doc:15} {same.verdict:10} {changed.verdict:10} {case.issue}",
                  flush=True)
            bad = {uno_cases.LOST, uno_cases.CORRUPTED, uno_cases.FAILED, uno_cases.NOISY}
            if args.notes or {same.verdict, changed.verdict} & bad:
                for data, fate in result.items():
                    for note in fate.notes:
                        print(f"{'':40}{data}: {note[:160]}")
    tried = [c for c in cases if fates[c.name]["same"].verdict != uno_cases.FAILED]
    worst = {name: {f.verdict for f in r.values()} for name, r in fates.items()}
    lost = sum(uno_cases.LOST in v for v in worst.values())
    corrupted = sum(uno_cases.CORRUPTED in v for v in worst.values())
    failed = len(cases) - len(tried)
    totals = Counter(f.verdict for r in fates.values() for f in r.values())
    print()
    print("fates (both regenerations): " + ", ".join(f"{k} {n}" for k, n in sorted(totals.items())))
    print(f"{len(tried)} edits tried, {lost} lost silently, {corrupted} corrupted"
          + (f" ({failed} could not be made)" if failed else "")
          + f"; {time.monotonic() - started:.0f} s; files in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
