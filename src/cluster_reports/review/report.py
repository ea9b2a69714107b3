"""The review report (``<document>.review.md``) and the console's one-line summary of a review."""

from __future__ import annotations

import difflib
from pathlib import Path

from cluster_reports.atomic import write_text_atomic
from cluster_reports.review.outcome import HISTORY, Edit, Review, sibling


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


def _describe(edit: Edit) -> str:
    place = f" (under '{edit.heading}')" if edit.heading else ""
    if edit.what == "changed":
        return f"changed{place}: was: {edit.was}" + (f"; now: {edit.text}" if edit.text else "")
    if edit.what == "annotation":
        return f"{edit.where}{place}"
    if edit.what == "unreadable":
        return f"the previous file could not be read as a Word document ({edit.text})"
    return f"{edit.what}{place}: {edit.text}"


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
        lines += [f"- {_describe(edit)}" for edit in review.outside] + [""]
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
