"""What regenerating a reviewed document did with the reviewer's work: kept, updated and conflicting
blocks, edits the regenerated document does not carry, and the files written beside the document."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

HISTORY = "history"
CONFLICT = "conflict in the reviewed report"  # how the console and the batch name a ReviewConflict


@dataclass
class Conflict:
    block: str
    reviewer: list[str]
    old: list[str] | None  # None: the block was not generated last time
    new: list[str] | None  # None: the block is no longer generated


@dataclass
class Edit:
    """A reviewer's edit that the regenerated document does not carry as it stands, described for the
    review report. ``what`` is one of:

    - "added", "changed", "removed": a paragraph outside the blocks (a heading's text, a note);
    - "cell": a cell of a computed table changed (``where`` names the table, row and column);
    - "moved": a paragraph of block ``block`` put where no block can hold it;
    - "merged": a generated paragraph outside the blocks joined to a block's paragraph (the block
      keeps the reviewer's text without it; the generated paragraph is written in its own place);
    - "annotation": tracked changes or comments outside the blocks ("tracked changes", "comments");
    - "unreadable": the previous file could not be read as a Word document.
    """

    what: str
    heading: str = ""  # the heading it is under, as the reviewer sees it ("" before the first)
    text: str = ""  # the reviewer's text ("added", "changed", "cell", "moved", "merged"), else the generated
    was: str | None = None  # the generated text, where the reviewer changed it
    where: str = ""  # "cell": "caption|row|column|column heading"; "annotation": what was left
    block: str | None = None  # "moved", "merged": the block concerned


@dataclass
class Review:
    """What regenerating one document did with the reviewer's work."""

    path: Path
    lang: str = "en"  # the document's language: the report is written in it
    kept: list[str] = field(default_factory=list)  # blocks whose reviewed text was kept
    updated: list[str] = field(default_factory=list)  # untouched blocks given new text
    conflicts: list[Conflict] = field(default_factory=list)
    outside: list[Edit] = field(default_factory=list)  # edits not carried as they stand
    annotated: dict[str, list[str]] = field(default_factory=dict)  # block -> "tracked changes", ...
    formatted: list[str] = field(default_factory=list)  # blocks whose formatting the reviewer changed
    moved_in: dict[str, list[str]] = field(default_factory=dict)  # block -> blocks it took paragraphs from
    headings: dict[str, str] = field(default_factory=dict)  # block -> the heading the reviewer sees it under
    generated: dict[str, list[str]] = field(default_factory=dict)  # block -> its text as generated last time
    reviewer: dict[str, list[str]] = field(default_factory=dict)  # block -> the reviewer's text (kept ones)
    unrecorded: bool = False  # the previous file carried no record of what was generated
    source: Path | None = None  # the reviewer's file, when it is not the document's own path
    set_aside: list[Path] = field(default_factory=list)  # copies read, moved into history/ after
    problems: list[str] = field(default_factory=list)  # reviewer's files that could not be read or
    # told apart (in the document's language): nothing is replaced while there are any
    history: Path | None = None
    new_version: Path | None = None
    report: Path | None = None
    reread: int = 0  # times the reviewer's file changed while it was being replaced, and was read again
    trail_closed: bool = False  # this generation found no reviewer's work and closed the review trail

    def heading(self, block: str) -> str:
        """The heading the reviewer sees a block under; a readable form of its id where none is known."""
        known = self.headings.get(block)
        if known:
            return known
        words = block.replace("-", " ").replace("_", " ")
        return words[:1].upper() + words[1:]

    @property
    def worth_reporting(self) -> bool:
        return bool(self.kept or self.conflicts or self.outside or self.annotated or self.unrecorded
                    or self.source or self.problems)


class ReviewConflict(Exception):
    """Blocks edited by a reviewer were generated differently now: the document was not replaced."""

    def __init__(self, review: Review):
        self.review = review
        n = len(review.conflicts)
        names = ", ".join(f"'{review.heading(c.block)}'" for c in review.conflicts)
        if n:
            why = (f"{n} section{'s' if n != 1 else ''} edited by the reviewer ({names}) "
                   f"{'were' if n != 1 else 'was'} changed by the new data")
        else:  # reviewer's files that could not be read or told apart
            why = "; ".join(review.problems)
        super().__init__(
            f"{CONFLICT} {review.path}: {why}; not replaced; "
            f"new version {review.new_version}; see {review.report}"
        )


def sibling(path: Path, tag: str, suffix: str | None = None) -> Path:
    """``profile.en.docx`` -> ``profile.en.<tag>.docx`` (or another suffix)."""
    return path.with_name(f"{path.stem}.{tag}{suffix or path.suffix}")
