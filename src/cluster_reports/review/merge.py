"""Reviewers' edits survive regeneration.

When a .docx is written where one already exists, its narrative blocks are compared three ways: the
reviewer's text (read from the file), the text generated into it last time (recorded in the file)
and the text generated now.

- untouched by the reviewer: the new text;
- edited, and generated the same as last time: the reviewer's text (their paragraphs, with their
  formatting, tracked changes and comments, are carried into the new document);
- edited, and generated differently now: a conflict. The file is left alone; the new version is
  written beside it (``<name>.new.docx``) and the report says, per block, what the reviewer wrote,
  what was generated then and what is generated now.

Edits outside the blocks (a paragraph added between them, a table cell changed) cannot be carried
into a regenerated document; they are listed in the report, and the previous file is kept in
``history/`` beside it before anything is replaced. ``harvest`` turns reviewed blocks into the
source: an overrides file beside the cluster's params that later renders use for Word and HTML.
"""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path

from cluster_reports.atomic import write_atomic
from cluster_reports.compose import tree as d
from cluster_reports.review import reviewed as reviewed_file
from cluster_reports.review.outcome import HISTORY, Conflict, Edit, Review, ReviewConflict, sibling
from cluster_reports.review.report import write_report
from cluster_reports.writers import docx as docx_writer
from cluster_reports.writers.docx import blocks as docx_blocks
from cluster_reports.writers.docx.blocks import read


def write_docx(doc: d.Document, path: Path, reference: Path) -> Review:
    """Write ``doc`` as a .docx at ``path`` on the reference document, keeping what a reviewer wrote
    in a file already there; returns what was kept, or raises ``ReviewConflict``."""
    word, prefixes = docx_writer.build(doc, reference)
    return write_docx_keeping_edits(word, prefixes, Path(path))


def decide(reviewer: dict[str, list[str]], annotated: dict[str, list[str]],
           old: dict[str, list[str]], new: dict[str, list[str]], review: Review) -> list[str]:
    """Fill ``review`` and return the blocks whose reviewed text goes into the new document."""
    keep = []
    for block, text in reviewer.items():
        before = old.get(block)
        edited = text != before or bool(annotated.get(block))
        if not edited:
            if block in new and new[block] != before:
                review.updated.append(block)
            continue
        # Generated as before, or now generated as the reviewer wrote it (their wording harvested):
        # their paragraphs stay, with their formatting, tracked changes and comments.
        if block in new and new[block] in (before, text):
            keep.append(block)
            review.kept.append(block)
        else:
            review.conflicts.append(Conflict(block, text, before, new.get(block)))
    review.annotated = {b: a for b, a in annotated.items() if a}
    return keep


def outside_edits(reviewer: list[tuple[str, str]], generated: list[str]) -> list[Edit]:
    """Paragraphs added, changed or removed outside the blocks, each with the heading it is under."""
    texts = [t for _h, t in reviewer]
    edits = []
    matcher = difflib.SequenceMatcher(a=generated, b=texts, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        where = reviewer[b1][0] if b1 < len(reviewer) else (reviewer[-1][0] if reviewer else "")
        for old_text in generated[a1:a2]:
            if old_text.strip():
                edits.append(Edit("removed", where, old_text) if op == "delete"
                             else Edit("changed", where, "", was=old_text))
        for new_text in texts[b1:b2]:
            if new_text.strip():
                edits.append(Edit("added", where, new_text))
    return edits


def keep_history(path: Path, now: dt.datetime | None = None) -> Path:
    """Copy the file about to be replaced into ``history/`` beside it, named by the time."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.parent / HISTORY / f"{path.stem}.{stamp}{path.suffix}"
    write_atomic(target, lambda tmp: shutil.copy2(path, tmp))
    return target


def write_docx_keeping_edits(word, prefixes: dict[str, str], path: Path) -> Review:
    """Save a newly built python-docx document at ``path``, keeping a reviewer's work in the file
    that is there (see the module's docstring). Raises ReviewConflict when blocks conflict."""
    review = Review(path)

    def save(tmp: Path) -> None:
        word.save(str(tmp))

    if not path.exists():
        write_atomic(path, save)
        return review
    try:
        previous = reviewed_file.open_reviewed(path)
    except Exception as exc:  # noqa: BLE001 - not a readable .docx: keep it, say so, replace it
        review.unrecorded = True
        review.outside.append(Edit("unreadable", text=str(exc)))
        previous = None
    new_reading = read(word.element.body, prefixes)
    new = {b: span.texts() for b, span in new_reading.blocks.items()}
    if previous is not None and previous.generated is None:
        review.unrecorded = True  # made by an older version, or not by this tool
    elif previous is not None:
        blocks = previous.reading.blocks
        reviewer = {b: span.texts() for b, span in blocks.items()}
        annotated = {b: docx_blocks.annotations(span.elements) for b, span in blocks.items()}
        for block in previous.generated:
            if block not in reviewer:  # the reviewer deleted a whole block (its bookmarks too)
                reviewer[block], annotated[block] = [], []
        for block in decide(reviewer, annotated, previous.generated, new, review):
            if block in blocks:
                reviewed_file.transplant(word, new_reading.blocks[block], blocks[block],
                                       _prefix_of(prefixes, block), previous.word)
            else:  # deleted by the reviewer, and still generated as before: stays deleted
                reviewed_file.remove(word, new_reading.blocks[block])
        review.outside = outside_edits(previous.reading.outside, previous.generated_outside or [])
        review.outside += [Edit("annotation", where, where=what)
                           for where, what in previous.reading.outside_annotations]
    if review.conflicts:
        review.new_version = sibling(path, "new")
        write_atomic(review.new_version, save)
        review.report = write_report(review)
        raise ReviewConflict(review)
    review.history = keep_history(path)
    write_atomic(path, save)
    sibling(path, "new").unlink(missing_ok=True)  # a conflict's new version, now out of date
    if review.worth_reporting:
        review.report = write_report(review)
    else:
        sibling(path, "review", ".md").unlink(missing_ok=True)  # an old report would mislead
    return review


def _prefix_of(prefixes: dict[str, str], block: str) -> str:
    return next(prefix for prefix, b in prefixes.items() if b == block)


