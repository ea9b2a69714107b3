"""Reviewers' edits survive regeneration.

When a .docx is written where one already exists (or a copy of it under another name or format:
``copies``), its blocks (narrative paragraphs and lists, captions, the cells of word-only columns)
are compared three ways: the reviewer's text and formatting (read from the file by ``reading``:
each paragraph belongs to the block of the region it stands in), what was generated into it last
time (recorded in the file) and what is generated now.

- untouched by the reviewer: the new text;
- edited (words, formatting, tracked changes, comments), and generated the same as last time: the
  reviewer's paragraphs, carried into the new document as they are;
- edited, and generated differently now: a conflict. The file is left alone; the new version is
  written beside it (``<name>.new.docx``) and the review trail says what the reviewer changed and
  what the new data changes. Blocks the reviewer moved text between stand or fall together.

Edits outside the blocks (a heading, a computed table's cell, a paragraph where no block can hold
it) cannot be carried; ``outside`` lists them for the trail, and a file that held reviewer work is
moved to ``history/`` as it is replaced. The replacing itself (``replace``) puts the new version
in place only while the file is still the one read: a reviewer who saved meanwhile has their file
read again (``ATTEMPTS`` times at most), or left alone with the new version beside it. A document
that holds generated text only is sealed (``cr_body``), so that regenerating it when nobody saved
it since reads nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import zipfile
from pathlib import Path

from cluster_reports.atomic import write_atomic
from cluster_reports.compose import tree as d
from cluster_reports.review import copies, record_check, replace
from cluster_reports.review import reviewed as reviewed_file
from cluster_reports.review.outcome import HISTORY, Conflict, Edit, Review, ReviewConflict, sibling
from cluster_reports.review.outside import outside_edits, recorded_edits
from cluster_reports.review.report import record
from cluster_reports.writers import docx as docx_writer
from cluster_reports.writers.docx import blocks as docx_blocks
from cluster_reports.writers.docx.blocks import paragraphs
from cluster_reports.writers.docx.formatting import fingerprint
from cluster_reports.writers.docx.properties import (
    custom_properties,
    read_custom_properties,
    set_custom_properties,
)
from cluster_reports.writers.docx.reading import Reading

ATTEMPTS = 3  # reads of a reviewer's file that keeps changing while it is replaced
HISTORY_DEFAULT = 10  # previous files kept per document in history/
BODY_PROPERTY = "cr_body"  # digest of the body of a document holding generated text only


def write_docx(doc: d.Document, path: Path, reference: Path) -> Review:
    """Write ``doc`` as a .docx at ``path`` on the reference document, keeping what a reviewer wrote
    in a file already there; returns what was kept, or raises ``ReviewConflict``."""
    word, prefixes = docx_writer.build(doc, reference)
    return write_docx_keeping_edits(word, prefixes, Path(path), doc.properties.lang,
                                    rebuild=lambda: docx_writer.build(doc, reference))


def decide(reviewer: dict[str, list[str]], annotated: dict[str, list[str]],
           old: dict[str, list[str]], new: dict[str, list[str]], review: Review,
           formatted: frozenset[str] = frozenset()) -> list[str]:
    """Fill ``review`` and return the blocks whose reviewed text goes into the new document.
    ``formatted``: blocks whose formatting differs from what was generated (an edit too)."""
    keep = []
    for block, text in reviewer.items():
        before = old.get(block)
        edited = text != before or bool(annotated.get(block)) or block in formatted
        if not edited:
            if block in new and new[block] != before:
                review.updated.append(block)
            continue
        if block in formatted and text == before:
            review.formatted.append(block)
        # Generated as before, or now generated as the reviewer wrote it (their wording harvested):
        # their paragraphs stay, with their formatting, tracked changes and comments.
        if block in new and new[block] in (before, text):
            keep.append(block)
            review.kept.append(block)
            review.reviewer[block] = text
            review.generated[block] = before or []
        else:
            review.conflicts.append(Conflict(block, text, before, new.get(block)))
    review.annotated = {b: a for b, a in annotated.items() if a}
    return keep


def _moved_together(keep: list[str], review: Review, old: dict[str, list[str]],
                    new: dict[str, list[str]]) -> list[str]:
    """Blocks the reviewer moved text between stand or fall together: when one is in conflict, the
    others are too, or the new version would hold the moved text twice (in the block it went to,
    and generated again in the block it came from) or not at all."""
    linked: dict[str, set[str]] = {}
    for target, sources in review.moved_in.items():
        for source in sources:
            linked.setdefault(target, set()).add(source)
            linked.setdefault(source, set()).add(target)
    conflicted = {c.block for c in review.conflicts}
    changed = True
    while changed:
        changed = False
        for block in list(keep):
            if linked.get(block, set()) & conflicted:
                keep.remove(block)
                review.kept.remove(block)
                review.generated.pop(block, None)
                review.conflicts.append(Conflict(block, review.reviewer.pop(block, []), old.get(block),
                                                 new.get(block)))
                conflicted.add(block)
                changed = True
    return keep


def _joined_out(previous: reviewed_file.Reviewed,
                layout: dict | None) -> tuple[dict[str, list[str]], list[Edit]]:
    """A block's paragraph joined with a generated one outside the blocks (a heading, a note): the
    generated text is cut from the block's copy (it is written in its own place) and the join
    reported. Returns the blocks' texts without it, and the edits."""
    texts = {}
    edits = []
    outside = (layout or {}).get("outside", [])
    for block, numbers in previous.reading.joined.items():
        span = previous.reading.blocks.get(block)
        if span is None:
            continue
        for number in numbers:
            generated = outside[number] if number < len(outside) else ""
            if not generated.strip():  # a mark that moved, with no words of its own
                continue
            done = any(reviewed_file.cut_text(p, generated) for top in span.elements
                       for p in paragraphs(top))
            edits.append(Edit("merged", span.heading, generated, block=block,
                              where="" if done else "edited"))
        texts[block] = span.texts()
    return texts, edits


def history_limit() -> int:
    """How many previous files ``history/`` keeps per document: ``$CLUSTER_REPORTS_HISTORY``
    (default 10; 0 keeps every one)."""
    raw = os.environ.get("CLUSTER_REPORTS_HISTORY", "")
    return int(raw) if raw.isdigit() else HISTORY_DEFAULT


def keep_history(path: Path, now: dt.datetime | None = None, limit: int | None = None) -> Path:
    """Copy the file at ``path`` into ``history/`` beside it, named by the time, and keep the last
    ``limit`` copies (``prune_history``). A file being replaced is moved there instead
    (``replace.place``)."""
    target = replace.history_path(path, now)
    write_atomic(target, lambda tmp: shutil.copy2(path, tmp))
    prune_history(path, limit)
    return target


def prune_history(path: Path, limit: int | None = None) -> None:
    """Keep the last ``limit`` history copies of the document at ``path`` (older ones are removed)."""
    limit = history_limit() if limit is None else limit
    folder = path.parent / HISTORY
    if limit and folder.is_dir():
        pattern = re.compile(rf"^{re.escape(path.stem)}\.\d{{8}}T\d{{12}}Z{re.escape(path.suffix)}$")
        copies = sorted(p for p in folder.iterdir() if pattern.match(p.name))
        for old in copies[:-limit]:
            old.unlink(missing_ok=True)


def write_docx_keeping_edits(word, prefixes: dict[str, str], path: Path, lang: str = "en",
                             rebuild=None) -> Review:
    """Save a newly built python-docx document at ``path``, keeping a reviewer's work in the file
    that is there, or in a copy of it under another name or format (see the module's docstring).
    Raises ReviewConflict when blocks conflict, or when the folder holds reviewer work that
    cannot be read or told apart, or was saved again while it was being replaced.

    ``rebuild()`` gives the newly built document and its prefixes again: when the reviewer's file
    changed while it was replaced, it is read and merged again into a fresh one (without it, the
    new version is written beside the file and the change reported)."""
    identity = custom_properties(word)
    attempts = ATTEMPTS if rebuild is not None else 1
    for attempt in range(1, attempts + 1):
        if attempt > 1:
            word, prefixes = rebuild()  # the last attempt merged into the one built before
        # Recorded before anything reads it: found unchanged when it is replaced, the file was
        # the same (inode, mtime, bytes) all the while it was read (see ``replace``).
        read = replace.settle(path)
        with copies.find(path, identity.get("cluster_id", ""), identity.get("document_kind", ""),
                         identity.get("language", lang)) as found:
            try:
                review = _merge_and_write(word, prefixes, path, lang, found, read, attempt == attempts)
            except replace.Changed:
                continue
        review.reread = attempt - 1
        return review
    raise AssertionError("the last attempt reports a change rather than raising it")


def _merge_and_write(word, prefixes: dict[str, str], path: Path, lang: str, found: copies.Found,
                     read: replace.Snapshot | None = None, last: bool = True) -> Review:
    review = Review(path, lang=lang, problems=list(found.problems))

    def save(tmp: Path) -> None:
        word.save(str(tmp))

    if found.reviewed is None and not found.problems:
        _seal(word)
        _replace(path, save, read, review, keep=False, last=last)
        return review
    if found.reviewed == path and not (found.problems or found.ambiguous) and untouched(path):
        # Nobody opened and saved it since it was generated: nothing to read, nothing to keep.
        _seal(word)
        _replace(path, save, read, review, keep=False, last=last)
        sibling(path, "new").unlink(missing_ok=True)
        record(review)
        return review
    if found.renamed:
        review.source = found.origin
    previous = None
    if found.reviewed is not None:
        try:
            previous = reviewed_file.open_reviewed(found.reviewed)
        except Exception as exc:  # noqa: BLE001 - not a readable .docx: never replaced (see replace.place)
            review.unrecorded = True
            review.outside.append(Edit("unreadable", text=str(exc)))
    new_reading = reviewed_file.reading_of(path, word).reading
    new = {b: span.texts() for b, span in new_reading.blocks.items()}
    worked = found.reviewed is not None and previous is None
    if previous is not None and previous.damage is not None:
        # A record that cannot be trusted: what the reviewer changed is unknown, nothing is replaced.
        name = (found.origin or found.reviewed or path).name
        review.problems.append(record_check.problem(previous.damage, name, lang))
    elif previous is not None and previous.generated is None:
        review.unrecorded = worked = True  # made by an older version, or not by this tool
    elif previous is not None:
        worked = _carry(previous, word, prefixes, new_reading, new, review)
    if review.conflicts or found.ambiguous or review.problems:
        # Reviewer work that conflicts, or that cannot be read or told apart: nothing is replaced.
        review.new_version = sibling(path, "new")
        write_atomic(review.new_version, save)
        record(review)
        raise ReviewConflict(review)
    if review.kept:  # what the file holds is no longer what was generated: record what it is
        copies.mark_written(word)
    else:
        _seal(word)
    _replace(path, save, read, review, keep=worked, last=last)
    sibling(path, "new").unlink(missing_ok=True)  # a conflict's new version, now out of date
    if found.renamed:
        review.set_aside = copies.set_aside(found)
    # The trail gets an entry while there is reviewer work, and is closed (moved to history/) by
    # the first render that finds none.
    record(review)
    return review


def _replace(path: Path, save, read: replace.Snapshot | None, review: Review, keep: bool,
             last: bool) -> None:
    """The write step: put the new version at ``path`` while the file there is still the one
    ``read``, moving that one into ``history/`` when it held reviewer work (``keep``). A file that
    changed meanwhile is read again (``replace.Changed`` goes up) unless this is the ``last``
    attempt; then, or when the file read cannot be kept safely, nothing is replaced: the new
    version goes beside it and the reason is reported, as for a conflict."""
    try:
        history = replace.place(path, save, read, replace.history_path(path) if keep and read else None)
    except replace.Changed as exc:
        if not last:
            raise
        reason, detail = exc.reason, ""
    except replace.Unsafe as exc:
        reason, detail = exc.reason, exc.detail
    else:
        if history is not None:
            review.history = history
            prune_history(path)
        return
    review.problems.append(replace.problem(reason, path, review.lang, detail))
    review.new_version = sibling(path, "new")
    write_atomic(review.new_version, save)
    record(review)
    raise ReviewConflict(review)


def _carry(previous: reviewed_file.Reviewed, word, prefixes: dict[str, str], new_reading: Reading,
           new: dict[str, list[str]], review: Review) -> bool:
    """Carry the reviewer's blocks into ``word`` and describe the rest in ``review``; True when the
    previous file held reviewer work."""
    layout = previous.layout
    blocks = previous.reading.blocks
    joined_texts, joined_edits = _joined_out(previous, layout)
    reviewer = {b: joined_texts.get(b, span.texts()) for b, span in blocks.items()}
    annotated = {b: docx_blocks.annotations(span.elements) for b, span in blocks.items()}
    formats = previous.formats
    formatted = frozenset(b for b, span in blocks.items()
                          if b in formats and fingerprint(span.elements, previous.word) != formats[b])
    # Sections by the headings the reviewer sees; a section they emptied, by the new document's.
    review.headings = {**{b: span.heading for b, span in new_reading.blocks.items()},
                       **{b: span.heading for b, span in blocks.items()}}
    review.moved_in = dict(previous.reading.moved_in)
    for block in previous.generated:
        if block not in reviewer:  # the reviewer deleted a whole block (its bookmarks too)
            reviewer[block], annotated[block] = [], []
    keep = decide(reviewer, annotated, previous.generated, new, review, formatted)
    for block in _moved_together(keep, review, previous.generated, new):
        if block in blocks:
            reviewed_file.transplant(word, new_reading.blocks[block], blocks[block],
                                   _prefix_of(prefixes, block), previous.word)
        elif block in new_reading.blocks:  # deleted by the reviewer, still generated as before
            reviewed_file.remove(word, new_reading.blocks[block])
    if layout is not None:
        joined = {n for numbers in previous.reading.joined.values() for n in numbers}
        review.outside = joined_edits + recorded_edits(previous.reading, layout, joined)
    else:
        review.outside = outside_edits(previous.reading.outside_texts(), previous.generated_outside or [])
    review.outside += [Edit("annotation", where, where=what)
                       for where, what in previous.reading.annotated_outside]
    return review.worth_reporting


def _seal(word) -> None:
    """Record the digest of the body of a document that holds nothing but generated text: the next
    render sees at once whether anyone saved it since (``untouched``). A document holding a
    reviewer's kept work gets none, so it is always read again."""
    set_custom_properties(word, {BODY_PROPERTY: hashlib.sha256(word.part.blob).hexdigest()})


def untouched(path: Path) -> bool:
    """Whether the body of a generated .docx is byte for byte as written (no word processor saved
    it since: a save rewrites the body, even with no edit)."""
    try:
        sealed = read_custom_properties(path).get(BODY_PROPERTY)
        if not sealed:
            return False
        with zipfile.ZipFile(path) as archive:
            body = archive.read("word/document.xml")
    except (OSError, KeyError, zipfile.BadZipFile, SyntaxError):  # SyntaxError: custom.xml not XML
        return False
    return hashlib.sha256(body).hexdigest() == sealed


def _prefix_of(prefixes: dict[str, str], block: str) -> str:
    return next(prefix for prefix, b in prefixes.items() if b == block)
