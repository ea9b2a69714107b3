"""The review report (``<document>.review.md``), written from the document's review trail (see
``trail``) in the document's language, and the console's one-line summary of a review.

The report names sections by the headings the reviewer sees, shows each change as a word-level
difference (``difference``), says the next step in plain words and gives a command only on a line of
its own, for whoever runs the tool. Every sentence comes from ``templates/labels/review.<lang>.yaml``.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from markdown_it import MarkdownIt

from cluster_reports import resources
from cluster_reports.atomic import write_text_atomic
from cluster_reports.documents import i18n
from cluster_reports.review import trail
from cluster_reports.review.difference import escape, hunks, rewritten
from cluster_reports.review.outcome import HISTORY, Edit, Review

MAX_HUNKS = 8  # changed stretches shown per text; a longer list ends with "… and N more changes"
ANNOTATIONS = {"tracked changes": "review.annotation.tracked", "comments": "review.annotation.comments"}


def labels(lang: str) -> i18n.Labels:
    # The shipped catalogue: a user's own template library made before the trail existed lacks it,
    # and the trail is the tool's report to the reviewer, not a document they style.
    return i18n.labels(resources.shipped("templates"), lang if lang in i18n.LANGUAGES else "en")


class _Words:
    """The labels of one language, with their fields filled."""

    def __init__(self, lang: str):
        self.lang = lang if lang in i18n.LANGUAGES else "en"
        self.labels = labels(self.lang)

    def __call__(self, key: str, **values: object) -> str:
        return self.labels(key).format_map(values)

    def count(self, key: str, n: int, **values: object) -> str:
        return self.labels.count(key, n, **values)

    def quoted(self, text: str) -> str:
        return self("review.quoted", text=escape(text))

    def series(self, items: list[str]) -> str:
        return i18n.series(items, self("review.and"), self.lang)

    def when(self, stamp: str) -> str:
        at = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        # PUEBI writes the time with a point (pukul 22.40); English with a colon.
        time = at.strftime("%H.%M" if self.lang == "id" else "%H:%M")
        return self("review.at", date=i18n.Formatter(self.lang).date(at.date()), time=time)


def heading(review: Review, block: str) -> str:
    return review.heading(block)


def _headings(w: _Words, review: Review, blocks: list[str]) -> str:
    return w.series([w.quoted(heading(review, b)) for b in blocks])


def _difference(w: _Words, old: list[str], new: list[str]) -> list[str]:
    shown = hunks(old, new)
    if not shown:
        return [w("review.change.same_words"), ""]
    lines = []
    for line in shown[:MAX_HUNKS]:
        lines += [f"> {line}", ">"]
    lines[-1:] = [""]
    if len(shown) > MAX_HUNKS:
        lines += [w("review.change.more", n=len(shown) - MAX_HUNKS), ""]
    return lines


def _quote(text: str) -> list[str]:
    return ["> " + escape(line) for line in text.splitlines() or [""]] + [""]


def _annotations(w: _Words, what: list[str]) -> str:
    return w.series([w(ANNOTATIONS[a]) if a in ANNOTATIONS else a for a in what])


def _operator(command: str, w: _Words) -> list[str]:
    return [w("review.operator"), "", "```sh", command, "```", ""]


def _harvest(document: Path, review: Review) -> str:
    # A copy read is moved into history/ once merged: the document's own file then holds the work.
    source = review.source if review.source is not None and not review.set_aside else document
    return f'cluster-reports harvest "{source}"'


def _edited_block(w: _Words, review: Review, block: str, old: list[str] | None,
                  mine: list[str] | None) -> list[str]:
    """What the reviewer did in one block: moved paragraphs in, the words, formatting, annotations."""
    lines = []
    if review.moved_in.get(block):
        lines += [w("review.change.moved_in", headings=_headings(w, review, review.moved_in[block])), ""]
    moved_to = [target for target, sources in review.moved_in.items() if block in sources]
    if moved_to:
        lines += [w("review.change.moved_out", headings=_headings(w, review, moved_to)), ""]
    if mine is not None and old is not None and not (old and not mine and moved_to):
        lines += [w("review.change.yours"), ""]
        if old and not mine:
            lines += [w("review.change.removed_all"), ""]
        elif rewritten(old, mine):
            lines += [w("review.change.rewritten"), ""] + _quote("\n\n".join(mine))
        else:
            lines += _difference(w, old, mine)
    if block in review.formatted:
        lines += [w("review.change.formatted"), ""]
    if review.annotated.get(block):
        lines += [w("review.change.annotated", what=_annotations(w, review.annotated[block])), ""]
    return lines


def _cell_at(w: _Words, where: str) -> str:
    """"caption|row|column|header" (as the merge records a cell) in the reviewer's words."""
    parts = where.split("|")
    if len(parts) != 4:
        return escape(where)
    caption, row, column, header = parts
    return w("review.outside.cell_at", caption=escape(caption), row=row,
             column=escape(header) if header.strip() else column)


def _place(w: _Words, edit: Edit) -> str:
    if not edit.heading:
        return w("review.outside.start")
    return w("review.outside.place", heading=escape(edit.heading))


def describe(w: _Words, review: Review, edit: Edit) -> list[str]:
    """An edit not carried, in the reviewer's words: what, where, and the text or the difference."""
    place = _place(w, edit)
    block = heading(review, edit.block) if edit.block else ""
    if edit.what == "unreadable":
        return [w("review.outside.unreadable", reason=escape(edit.text)), ""]
    if edit.what == "annotation":
        what = i18n.capfirst(_annotations(w, [edit.where]))
        return [w("review.outside.annotation", what=what, place=place), ""]
    if edit.what == "cell":
        lines = [w("review.outside.cell", where=_cell_at(w, edit.where)), ""]
    elif edit.what in ("added", "changed", "removed"):
        lines = [w(f"review.outside.{edit.what}", place=place), ""]
    elif edit.what in ("moved", "merged"):
        lines = [w(f"review.outside.{edit.what}", heading=escape(block), place=place), ""]
    else:
        lines = [w("review.outside.unknown", place=place), ""]
    if edit.was is not None:
        return lines + _difference(w, [edit.was], [edit.text] if edit.text else [])
    return lines + _quote(edit.text)


def _outside_file(review: Review, document: Path) -> str:
    """Where the edits not carried can still be found: the reviewer's file as it was."""
    if review.history is not None:
        return _name(review.history, document)
    return _name(review.source or document, document)


def _name(path: Path, document: Path) -> str:
    try:
        return f"`{Path(path).relative_to(document.parent)}`"
    except ValueError:
        return f"`{path}`"


def _state(w: _Words, review: Review, document: Path) -> list[str]:
    lines = []
    if review.source is not None:
        lines += [w("review.state.source", source=_name(review.source, document)), ""]
        if review.set_aside:
            lines += [w("review.state.set_aside", document=_name(document, document),
                        folder=_name(review.set_aside[0].parent, document)), ""]
    if review.problems:
        new = _name(review.new_version, document) if review.new_version else ""
        lines += [w("review.state.problems", new=new), ""]
        lines += [f"- {escape(problem)}" for problem in review.problems] + [""]
    if review.conflicts:
        new = _name(review.new_version, document) if review.new_version else ""
        lines += [w("review.state.conflict", sections=w.count("review.sections", len(review.conflicts)),
                    new=new), ""]
    elif review.history is not None:
        lines += [w("review.state.replaced", history=_name(review.history, document)), ""]
    if review.unrecorded:
        lines += [w("review.state.unrecorded"), ""]
    for conflict in review.conflicts:
        lines += [f"### {w('review.conflict.title', heading=escape(heading(review, conflict.block)))}", ""]
        lines += _edited_block(w, review, conflict.block, conflict.old, conflict.reviewer)
        lines += [w("review.change.data"), ""]
        if conflict.old is None:
            lines += [w("review.change.not_before"), ""]
        elif conflict.new is None:
            lines += [w("review.change.not_now"), ""]
        else:
            lines += _difference(w, conflict.old, conflict.new)
        new = _name(review.new_version, document) if review.new_version else ""
        lines += [w("review.conflict.step", new=new), ""]
    for block in review.kept:
        lines += [f"### {w('review.kept.title', heading=escape(heading(review, block)))}", ""]
        lines += _edited_block(w, review, block, review.generated.get(block), review.reviewer.get(block))
        lines += [w("review.kept.step"), ""]
    # Formatting, moves or annotations in a block neither kept nor in conflict: still the reviewer's
    # work, described without saying what became of it.
    shown = set(review.kept) | {c.block for c in review.conflicts}
    others = [*review.formatted, *review.moved_in, *review.annotated]
    for block in dict.fromkeys(b for b in others if b not in shown):
        lines += [f"### {w('review.other.title', heading=escape(heading(review, block)))}", ""]
        lines += _edited_block(w, review, block, review.generated.get(block), review.reviewer.get(block))
    if review.conflicts or review.kept:  # the command once, for whoever runs the tool
        lines += _operator(_harvest(document, review), w)
    if review.updated:
        lines += [f"### {w('review.updated.title')}", "",
                  w("review.updated.text", headings=_headings(w, review, review.updated)), ""]
    if review.outside:
        lines += [f"### {w('review.outside.title')}", "",
                  w("review.outside.intro", file=_outside_file(review, document)), ""]
        for edit in review.outside:
            lines += describe(w, review, edit)
    if not lines:
        lines = [w("review.state.nothing"), ""]
    return lines


def _earlier(w: _Words, entries: list[dict], document: Path, shown: list[Edit]) -> list[str]:
    """Edits not carried that earlier generations found and the current one does not list: still
    unresolved while the trail lasts, and found in the copy kept at the time."""
    lines = []
    seen = {repr(e) for e in shown}
    for entry in reversed(entries):
        review = trail.from_entry(entry, document)
        fresh = [e for e in review.outside if repr(e) not in seen]
        seen |= {repr(e) for e in fresh}
        if fresh:
            lines += [w("review.outside.earlier_intro", when=w.when(entry["at"]),
                        file=_outside_file(review, document)), ""]
            for edit in fresh:
                lines += describe(w, review, edit)
    return [f"### {w('review.outside.earlier')}", "", *lines] if lines else []


def _log_line(w: _Words, entry: dict, document: Path) -> str:
    if entry.get("closed"):
        parts = [w("review.entry.closed")]
    else:
        review = trail.from_entry(entry, document)
        parts = []
        if review.source is not None:
            parts.append(w("review.entry.source", source=_name(review.source, document)))
        if review.unrecorded:
            parts.append(w("review.entry.unrecorded"))
        if review.conflicts:
            parts.append(w("review.entry.conflicts",
                           headings=_headings(w, review, [c.block for c in review.conflicts])))
        if review.kept:
            parts.append(w("review.entry.kept", headings=_headings(w, review, review.kept)))
        if review.formatted:
            parts.append(w("review.entry.formatted", headings=_headings(w, review, review.formatted)))
        if review.moved_in:
            parts.append(w("review.entry.moved", headings=_headings(w, review, list(review.moved_in))))
        if review.annotated:
            parts.append(w("review.entry.annotated", headings=_headings(w, review, list(review.annotated))))
        if review.updated:
            parts.append(w("review.entry.updated", sections=w.count("review.sections", len(review.updated))))
        if review.outside:
            parts.append(w.count("review.entry.outside", len(review.outside)))
        if review.history is not None:
            parts.append(w("review.entry.history", history=_name(review.history, document)))
        if entry.get("again"):
            parts.append(w.count("review.entry.again", entry["again"], when=w.when(entry["last"])))
    return f"- **{w.when(entry['at'])}**: {i18n.capfirst('; '.join(parts))}."


def render_trail(entries: list[dict], document: Path) -> str:
    """The report of a whole trail: the current state first, then the dated log."""
    last = entries[-1]
    w = _Words(last.get("lang", "en"))
    lines = [f"# {w('review.title', document=escape(document.name))}", "", w("review.intro"), ""]
    lines += [f"## {w('review.now', when=w.when(last.get('last', last['at'])))}", ""]
    if last.get("closed"):
        lines += [w("review.state.closed", folder=f"`{HISTORY}/`"), ""]
        lines += _earlier(w, entries[:-1], document, [])
    else:
        current = trail.from_entry(last, document)
        lines += _state(w, current, document)
        lines += _earlier(w, entries[:-1], document, current.outside)
    lines += [f"## {w('review.log')}", ""] + [_log_line(w, e, document) for e in entries]
    return "\n".join(lines).rstrip() + "\n"


def render_report(review: Review, now: dt.datetime | None = None) -> str:
    """The report of one review alone (no trail): what a first generation would write."""
    return render_trail([trail.to_entry(review, now or dt.datetime.now(dt.UTC))], review.path)


def to_html(markdown: str, lang: str) -> str:
    """The report as a page any browser opens, for a reviewer whose computer shows Markdown as code."""
    body = MarkdownIt("commonmark", {"html": False}).enable("strikethrough").render(markdown)
    title = html.escape(markdown.splitlines()[0].removeprefix("# "))
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n")


STYLE = ("body{font-family:sans-serif;max-width:46em;margin:2em auto;padding:0 1em;line-height:1.5}"
         "blockquote{border-left:4px solid #ccc;margin-left:0;padding-left:1em}"
         "s{color:#a00}strong{color:#060}pre{background:#f4f4f4;padding:.5em}")


def _reports(entries: list[dict], document: Path) -> dict[str, str]:
    markdown = render_trail(entries, document)
    return {".md": markdown, ".html": to_html(markdown, entries[-1].get("lang", "en"))}


def record(review: Review, now: dt.datetime | None = None) -> Path | None:
    """Add what this generation found to the document's trail and write its report (Markdown, and
    an HTML twin); returns the report's path (in ``history/`` when this generation closed the
    trail), or None when there is no trail and nothing to record. Call it after every generation
    over an existing file."""
    now = now or dt.datetime.now(dt.UTC)
    document = review.path
    entries = trail.load(document)
    if not trail.has_work(review):
        if not entries and not any(trail.report_path(document, s).is_file() for s in trail.REPORTS):
            return None
        if entries:
            entries.append(trail.closing_entry(review, now))
        review.report = trail.archive(document, entries, _reports(entries, document) if entries else {}, now)
        review.trail_closed = True
        return review.report
    trail.add(entries, trail.to_entry(review, now))
    trail.save(document, entries)
    for suffix, text in _reports(entries, document).items():
        write_text_atomic(trail.report_path(document, suffix), text)
    review.report = trail.report_path(document)
    return review.report


# The name merge.py calls today: every call now adds to the trail.
write_report = record


def review_summary(review: Review) -> str:
    """One line for the console: what regenerating did with the reviewer's work."""
    parts = []
    if review.source is not None:
        parts.append(f"the reviewer's edits read from {review.source.name}")
    if review.conflicts:
        names = ", ".join(f"'{heading(review, c.block)}'" for c in review.conflicts)
        parts.append(f"{_sections(len(review.conflicts))} in conflict ({names}), not replaced")
    if review.kept:
        parts.append(f"the reviewer's text kept in {_sections(len(review.kept))}")
    if review.formatted:
        parts.append(f"formatting changed in {_sections(len(review.formatted))}")
    if review.annotated:
        parts.append(f"tracked changes or comments in {_sections(len(review.annotated))}")
    if review.outside:
        n = len(review.outside)
        parts.append(f"{n} edit{'s' if n != 1 else ''} not carried into the new file")
    if review.unrecorded:
        parts.append("the previous file had no record of the generated text (kept in history)")
    if review.trail_closed:
        parts.append(f"no reviewer's work left: the review trail is closed and kept in {HISTORY}/")
    return "; ".join(parts) or "no reviewer's edits"


def _sections(n: int) -> str:
    return f"{n} section{'s' if n != 1 else ''}"
