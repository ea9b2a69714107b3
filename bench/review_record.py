"""What keeping reviewers' work costs a Word document, measured against the writer alone.

For the five document kinds of the Kebumen pilot (English), composed once, it times in one run:

- baseline: building and saving the .docx with no review record (the record stubbed out);
- fresh: the real write of a new file (the record: outside marks, layout, texts, formatting
  fingerprints; the search of the folder for reviewers' copies);
- regenerate: writing over the same, untouched file (reading it back, comparing, merging);
- reviewed: writing over a file with one block edited (kept and carried over).

Run: PYTHONPATH=src .venv/bin/python bench/review_record.py [repeats]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from cluster_reports import resources  # noqa: E402
from cluster_reports.compose import composer  # noqa: E402
from cluster_reports.domain import summary  # noqa: E402
from cluster_reports.inputs import params_io  # noqa: E402
from cluster_reports.review import merge  # noqa: E402
from cluster_reports.review import reviewed as reviewed_file  # noqa: E402
from cluster_reports.writers import docx as docx_writer  # noqa: E402
from cluster_reports.writers.docx.blocks import paragraph_text  # noqa: E402

KINDS = ["profile", "strategy", "action-plan", "monitoring", "guideline"]


def main(repeats: int) -> None:
    params = ROOT / "params" / "clusters"
    loaded = params_io.load_file(params / "jawa-tengah" / "kebumen-roof-tile.yaml")
    everyone, _ = params_io.load_many([params])
    peers = [summary.summarise(item) for item in everyone]
    templates = resources.templates()
    reference = templates / "reference.docx"
    docs = [composer.compose(loaded, kind, "en", peers, templates) for kind in KINDS]
    work = Path(tempfile.mkdtemp(prefix="review-record-"))

    def timed(label: str, prepare, write) -> float:
        best = float("inf")
        for r in range(repeats):
            folder = work / f"{label}-{r}"
            folder.mkdir()
            paths = [folder / f"{kind}.en.docx" for kind in KINDS]
            prepare(paths)
            start = time.perf_counter()
            for doc, path in zip(docs, paths, strict=True):
                write(doc, path)
            best = min(best, time.perf_counter() - start)
        return best / len(docs)

    def plain_write(doc, path):
        real = docx_writer.record
        docx_writer.record = lambda word, prefixes: {}
        try:
            word, _ = docx_writer.build(doc, reference)
            word.save(str(path))
        finally:
            docx_writer.record = real

    def nothing(paths):
        pass

    def generated(paths):
        for doc, path in zip(docs, paths, strict=True):
            merge.write_docx(doc, path, reference)

    def edited(paths):
        generated(paths)
        for path in paths:
            reviewed = reviewed_file.open_reviewed(path)
            first = next(iter(reviewed.reading.blocks.values())).elements[0]
            node = next(first.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
            node.text = "Reviewed: " + (node.text or "")
            reviewed.word.save(str(path))
            assert paragraph_text(first).startswith("Reviewed: ")

    def write(doc, path):
        merge.write_docx(doc, path, reference)

    baseline = timed("baseline", nothing, plain_write)
    fresh = timed("fresh", nothing, write)
    again = timed("again", generated, write)
    reviewed = timed("reviewed", edited, write)
    print(f"per Word document, best of {repeats}, {len(KINDS)} kinds of the Kebumen pilot (en):")
    for label, value in (("baseline (writer alone, no record)", baseline),
                         ("fresh file (with the review record)", fresh),
                         ("over the same untouched file", again),
                         ("over a file with one edited block", reviewed)):
        print(f"  {label:<37} {value * 1000:7.1f} ms  ({value / baseline:.2f} x baseline)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
