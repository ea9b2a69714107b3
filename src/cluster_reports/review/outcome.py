"""What regenerating a reviewed document did with the reviewer's work: kept, updated and conflicting
blocks, edits outside the blocks, and the files written beside the document."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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


def sibling(path: Path, tag: str, suffix: str | None = None) -> Path:
    """``profile.en.docx`` -> ``profile.en.<tag>.docx`` (or another suffix)."""
    return path.with_name(f"{path.stem}.{tag}{suffix or path.suffix}")
