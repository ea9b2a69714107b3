"""The review trail: one dated entry per generation that found a reviewer's work in a document,
kept as JSON lines beside it (``profile.en.review.jsonl``), from which the review report is written.

The trail lasts while the reviewer's work is unresolved: blocks kept (their wording lives only in the
Word file until it is harvested), blocks in conflict, edits not carried. A generation that finds the
same as the last entry adds no entry: the last entry counts it (``again``, ``last``). A generation
that finds no reviewer's work at all closes the trail: a closing entry is added and the trail and its
report move to ``history/`` beside the document (named by the time), where they stay; nothing is
deleted. The next reviewer's work starts a new trail.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, fields
from pathlib import Path

from cluster_reports.atomic import write_text_atomic
from cluster_reports.review.outcome import HISTORY, Conflict, Edit, Review, sibling

# The fields of an entry that say when; the rest says what was found (two entries alike in the rest
# record the same state). The history copy is a new file each time and says nothing new either.
WHEN = ("at", "again", "last", "history")


def trail_path(document: Path) -> Path:
    return sibling(document, "review", ".jsonl")


def report_path(document: Path, suffix: str = ".md") -> Path:
    """The review report (``.md``) or its HTML twin (``.html``)."""
    return sibling(document, "review", suffix)


REPORTS = (".md", ".html")


def has_work(review: Review) -> bool:
    """Whether a generation found anything of the reviewer's to record."""
    return bool(review.worth_reporting or review.formatted or review.moved_in)


def _name(path: Path | None, document: Path) -> str | None:
    """A path as the reviewer finds it from the document's folder (``history/...``)."""
    if path is None:
        return None
    try:
        return str(Path(path).relative_to(document.parent))
    except ValueError:
        return str(path)


def to_entry(review: Review, at: dt.datetime) -> dict:
    """What one generation found, as a JSON-ready dict."""
    edited = set(review.kept) | {c.block for c in review.conflicts} | set(review.formatted)
    named = edited | set(review.updated) | set(review.annotated) | set(review.moved_in)
    named |= {b for froms in review.moved_in.values() for b in froms}
    named |= {e.block for e in review.outside if e.block}
    return {
        "at": at.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "document": review.path.name,
        "lang": review.lang,
        "source": _name(review.source, review.path),
        "history": _name(review.history, review.path),
        "new_version": _name(review.new_version, review.path),
        "set_aside": [_name(p, review.path) for p in review.set_aside],
        "problems": list(review.problems),
        "unrecorded": review.unrecorded,
        "kept": list(review.kept),
        "updated": list(review.updated),
        "conflicts": [asdict(c) for c in review.conflicts],
        "outside": [asdict(e) for e in review.outside],
        "annotated": dict(review.annotated),
        "formatted": list(review.formatted),
        "moved_in": dict(review.moved_in),
        "headings": {b: h for b, h in review.headings.items() if b in named},
        "generated": {b: t for b, t in review.generated.items() if b in edited},
        "reviewer": {b: t for b, t in review.reviewer.items() if b in edited},
    }


def closing_entry(review: Review, at: dt.datetime) -> dict:
    return {"at": to_entry(review, at)["at"], "document": review.path.name, "lang": review.lang,
            "closed": True}


def from_entry(entry: dict, document: Path) -> Review:
    """An entry read back as the Review it recorded (paths beside ``document``)."""
    def path(key: str) -> Path | None:
        return document.parent / entry[key] if entry.get(key) else None

    return Review(
        document, lang=entry.get("lang", "en"), kept=entry.get("kept", []),
        updated=entry.get("updated", []),
        conflicts=[_known(Conflict, c) for c in entry.get("conflicts", [])],
        outside=[_known(Edit, e) for e in entry.get("outside", [])],
        annotated=entry.get("annotated", {}), formatted=entry.get("formatted", []),
        moved_in=entry.get("moved_in", {}), headings=entry.get("headings", {}),
        generated=entry.get("generated", {}), reviewer=entry.get("reviewer", {}),
        unrecorded=entry.get("unrecorded", False), source=path("source"), history=path("history"),
        new_version=path("new_version"),
        set_aside=[document.parent / p for p in entry.get("set_aside", [])],
        problems=entry.get("problems", []),
    )


def _known(kind, data: dict):
    """A dataclass from a stored dict, ignoring keys it does not know (a trail written by another
    version of the tool still reads)."""
    names = {f.name for f in fields(kind)}
    return kind(**{k: v for k, v in data.items() if k in names})


def same_state(a: dict, b: dict) -> bool:
    return {k: v for k, v in a.items() if k not in WHEN} == {k: v for k, v in b.items() if k not in WHEN}


def load(document: Path) -> list[dict]:
    path = trail_path(document)
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def save(document: Path, entries: list[dict]) -> Path:
    path = trail_path(document)
    write_text_atomic(path, "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries))
    return path


def add(entries: list[dict], entry: dict) -> bool:
    """Append ``entry``, or count it on the last entry when it records the same state; True when
    it was appended."""
    if entries and not entries[-1].get("closed") and same_state(entries[-1], entry):
        entries[-1]["again"] = entries[-1].get("again", 0) + 1
        entries[-1]["last"] = entry["at"]
        return False
    entries.append(entry)
    return True


def stamp(at: dt.datetime) -> str:
    """The time as history copies are named (the same form as merge.keep_history's)."""
    return at.strftime("%Y%m%dT%H%M%S%fZ")


def archive(document: Path, entries: list[dict], reports: dict[str, str], at: dt.datetime) -> Path | None:
    """Move a closed trail and its reports (suffix -> text) into ``history/``; the Markdown report's
    new path, if there is one. A report of an older version, written without a trail, moves too."""
    folder = document.parent / HISTORY
    name = f"{document.stem}.review.{stamp(at)}"
    if entries:
        write_text_atomic(folder / f"{name}.jsonl",
                          "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries))
    for suffix in REPORTS:
        old = report_path(document, suffix)
        if suffix not in reports and old.is_file():
            reports = {**reports, suffix: old.read_text(encoding="utf-8")}
    for suffix, text in reports.items():
        write_text_atomic(folder / f"{name}{suffix}", text)
    trail_path(document).unlink(missing_ok=True)
    for suffix in REPORTS:
        report_path(document, suffix).unlink(missing_ok=True)
    return folder / f"{name}.md" if ".md" in reports else None
