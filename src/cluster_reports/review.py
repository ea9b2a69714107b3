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
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import write_atomic, write_text_atomic

HISTORY = "history"


@dataclass
class Conflict:
    block: str
    reviewer: list[str]
    old: list[str] | None  # None: the block was not generated last time
    new: list[str] | None  # None: the block is no longer generated


@dataclass
class Review:
    """What regenerating one document did with the reviewer's work."""

    path: Path
    kept: list[str] = field(default_factory=list)  # blocks whose reviewed text was kept
    updated: list[str] = field(default_factory=list)  # untouched blocks given new text
    conflicts: list[Conflict] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # edits outside any block, described
    annotated: dict[str, list[str]] = field(default_factory=dict)  # block -> "tracked changes", ...
    unrecorded: bool = False  # the previous file carried no record of what was generated
    history: Path | None = None
    new_version: Path | None = None
    report: Path | None = None

    @property
    def worth_reporting(self) -> bool:
        return bool(self.kept or self.conflicts or self.outside or self.annotated or self.unrecorded)


class ReviewConflict(Exception):
    """Blocks edited by a reviewer were generated differently now: the document was not replaced."""

    def __init__(self, review: Review):
        self.review = review
        blocks = ", ".join(c.block for c in review.conflicts)
        super().__init__(
            f"{review.path}: block(s) edited by a reviewer and changed by the new data: {blocks}; "
            f"the document was not replaced. New version: {review.new_version}; "
            f"report: {review.report}"
        )


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


def outside_edits(reviewer: list[tuple[str, str]], generated: list[str]) -> list[str]:
    """Paragraphs added, changed or removed outside the blocks, each with the heading it is under."""
    texts = [t for _h, t in reviewer]
    edits = []
    matcher = difflib.SequenceMatcher(a=generated, b=texts, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        where = reviewer[b1][0] if b1 < len(reviewer) else (reviewer[-1][0] if reviewer else "")
        place = f" (under '{where}')" if where else ""
        for old_text in generated[a1:a2]:
            if old_text.strip():
                edits.append(f"removed{place}: {old_text}" if op == "delete"
                             else f"changed{place}: was: {old_text}")
        for new_text in texts[b1:b2]:
            if new_text.strip():
                edits.append(f"added{place}: {new_text}" if op == "insert"
                             else f"changed{place}: now: {new_text}")
    return edits


def keep_history(path: Path, now: dt.datetime | None = None) -> Path:
    """Copy the file about to be replaced into ``history/`` beside it, named by the time."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.parent / HISTORY / f"{path.stem}.{stamp}{path.suffix}"
    write_atomic(target, lambda tmp: shutil.copy2(path, tmp))
    return target


def sibling(path: Path, tag: str, suffix: str | None = None) -> Path:
    """``profile.en.docx`` -> ``profile.en.<tag>.docx`` (or another suffix)."""
    return path.with_name(f"{path.stem}.{tag}{suffix or path.suffix}")


def write_docx_keeping_edits(word, prefixes: dict[str, str], path: Path) -> Review:
    """Save a newly built python-docx document at ``path``, keeping a reviewer's work in the file
    that is there (see the module's docstring). Raises ReviewConflict when blocks conflict."""
    from .writers import docx_blocks

    review = Review(path)

    def save(tmp: Path) -> None:
        word.save(str(tmp))

    if not path.exists():
        write_atomic(path, save)
        return review
    try:
        previous = docx_blocks.open_reviewed(path)
    except Exception as exc:  # noqa: BLE001 - not a readable .docx: keep it, say so, replace it
        review.unrecorded = True
        review.outside.append(f"the previous file could not be read as a Word document ({exc})")
        previous = None
    new_reading = docx_blocks.read(word.element.body, prefixes)
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
                docx_blocks.transplant(word, new_reading.blocks[block], blocks[block],
                                       _prefix_of(prefixes, block), previous.word)
            else:  # deleted by the reviewer, and still generated as before: stays deleted
                docx_blocks.remove(word, new_reading.blocks[block])
        review.outside = outside_edits(previous.reading.outside, previous.generated_outside or [])
        review.outside += [f"{what} (under '{where}')" if where else what
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


# --- the report -----------------------------------------------------------------------------------


def _quote(paragraphs: list[str] | None) -> str:
    if paragraphs is None:
        return "> (not generated)\n"
    if not paragraphs:
        return "> (empty)\n"
    return "\n>\n".join("> " + p.replace("\n", "\n> ") for p in paragraphs) + "\n"


def changed_words(old: list[str], new: list[str]) -> str:
    """The words that differ between two versions, as ``old -> new`` pairs: what to bring into a
    reviewed text by hand."""
    a, b = " ".join(old).split(), " ".join(new).split()
    pairs = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op != "equal":
            pairs.append(f"{' '.join(a[a1:a2]) or '(nothing)'} -> {' '.join(b[b1:b2]) or '(nothing)'}")
    return "; ".join(pairs) or "(only spacing)"


def render_report(review: Review) -> str:
    lines = [f"# Review of {review.path.name}", ""]
    if review.conflicts:
        lines += [
            f"**Not replaced.** {len(review.conflicts)} block(s) were edited by a reviewer and are "
            f"generated differently now. The new version is `{review.new_version.name}`. To resolve: "
            "either bring the new wording into your document and run `cluster-reports harvest` on it "
            "(your wording becomes the source), or replace your document with the new version.",
            "",
        ]
    elif review.history is not None:
        lines += [f"Replaced; the previous file is kept as `{HISTORY}/{review.history.name}`.", ""]
    if review.unrecorded:
        lines += ["The previous file carried no record of what was generated into it (made by an "
                  "older version, or not by cluster-reports): its edits could not be told apart "
                  "and were not carried over. It is kept in history.", ""]
    for conflict in review.conflicts:
        lines += [f"## Conflict in block `{conflict.block}`", ""]
        if conflict.old and conflict.new:
            lines += [f"What the new data changed: {changed_words(conflict.old, conflict.new)}", ""]
        lines += ["Reviewer's text:", "", _quote(conflict.reviewer), "Generated last time:", "",
                  _quote(conflict.old), "Generated now:", "", _quote(conflict.new)]
    if review.kept:
        lines += ["## Reviewer's text kept", "",
                  "Kept in this Word file only: run `cluster-reports harvest` on it to make the wording "
                  "the source of the HTML and of later renders too.", ""]
        lines += [f"- `{b}`" for b in review.kept] + [""]
    if review.updated:
        lines += ["## Untouched blocks given the new text", ""] + [f"- `{b}`" for b in review.updated] + [""]
    if review.annotated:
        lines += ["## Tracked changes and comments", "",
                  "Read with tracked changes accepted; kept as they are wherever the block is kept.", ""]
        lines += [f"- `{b}`: {', '.join(what)}" for b, what in review.annotated.items()] + [""]
    if review.outside:
        lines += ["## Edits outside the tagged blocks", "",
                  "A regenerated document cannot carry these: bring them over by hand from the "
                  "reviewed file (in history/ once it is replaced), or have the text made part of "
                  "the template or the data.",
                  ""]
        lines += [f"- {edit}" for edit in review.outside] + [""]
    return "\n".join(lines).rstrip() + "\n"


def write_report(review: Review) -> Path:
    path = sibling(review.path, "review", ".md")
    write_text_atomic(path, render_report(review))
    return path


def review_summary(review: Review) -> str:
    """One line for the console: what regenerating did with the reviewer's work."""
    parts = []
    if review.conflicts:
        parts.append(f"{len(review.conflicts)} conflicting block(s), not replaced")
    if review.kept:
        parts.append(f"reviewer's text kept in {len(review.kept)} block(s)")
    if review.annotated:
        parts.append(f"tracked changes or comments in {len(review.annotated)} block(s)")
    if review.outside:
        parts.append(f"{len(review.outside)} edit(s) outside the blocks listed")
    if review.unrecorded:
        parts.append("previous file had no generation record (kept in history)")
    return "; ".join(parts) or "no reviewer's edits"
