"""User text on its way into a document: the one escaping path, and the mark of composed Markdown.

Every value a template prints, joins to markup or passes to a macro reaches the Markdown through
``escape`` (the template environment sees to it, see compose/templating.py), so it is text whatever
it holds: punctuation is backslash-escaped (CommonMark drops the backslash, so Word and HTML show
the character), runs of white space, newlines included, become one space (a value never starts a
line of its own), control characters are removed and bidirectional controls isolated.

``MarkdownText`` marks what is already Markdown: template literals, macro output, and the deliberate
markup a documents builder returns (a code span, a strong phrase). Like markupsafe's ``Markup``,
whose subclass it is, it escapes whatever is joined to it (``+``, ``join``, ``format``, ``%``) - as
Markdown, not as HTML. A plain ``Markup`` is HTML-escaped text, not Markdown: ``escape`` refuses it
rather than let HTML escaping (which leaves ``#``, ``*`` and ``[`` alone) pass for Markdown's.

``inert`` is the part that is not Markdown (controls, bidirectional isolation), for text that enters
the document tree without Markdown: a reviewer's wording, document properties, alt texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum
from typing import TypeVar

from markupsafe import Markup
from pydantic import BaseModel

from cluster_reports.documents.i18n import untranslated_mark
from cluster_reports.inputs.schema.common import Untranslated

T = TypeVar("T")

# C0 controls but tab and newline (a carriage return is a newline first), DEL and C1: invisible,
# and invalid in XML 1.0 or discouraged in it and in HTML; lone surrogates and U+FFFE/U+FFFF,
# which XML cannot hold either.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
# Everything CommonMark (with pipe tables, attributes and ::: containers) may read as markup.
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~:&^=\"'$@%])")

# Bidirectional controls: embeddings and overrides (closed by PDF), isolates (closed by PDI).
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE RLE LRO RLO
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI RLI FSI
PDF, FSI, PDI = "\u202c", "\u2068", "\u2069"
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_NEEDS = re.compile(_BIDI.pattern[:-1] + _CONTROLS.pattern[1:-1] + "\r]")  # what ``inert`` changes


class MarkdownText(Markup):
    """Composed Markdown, printed as it is; text joined to it is escaped as Markdown."""

    __slots__ = ()

    @classmethod
    def escape(cls, s: object) -> MarkdownText:  # type: ignore[override]
        return escape(s)


class NotMarkdown(TypeError):
    """HTML-escaped ``Markup`` where Markdown was expected."""


def remove_controls(text: str) -> str:
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def isolate(line: str) -> str:
    """A line holding bidirectional controls, as an isolate (FSI ... PDI) whose embeddings,
    overrides and isolates are all closed inside it: it cannot reorder the text around it. A PDF or
    PDI that closes nothing opened in the line is dropped (it would close the writer's isolate).
    A line whose embeddings and overrides all sit in isolates (a value isolated before it was
    joined to others) has them closed but is not wrapped again."""
    if not _BIDI.search(line):
        return line
    out: list[str] = []
    opened: list[str] = []  # the closer each open embedding or isolate needs
    exposed = False  # an embedding or override outside every isolate
    for ch in line:
        if ch in _EMBEDDINGS:
            exposed = exposed or PDI not in opened
            opened.append(PDF)
        elif ch in _ISOLATES:
            opened.append(PDI)
        elif ch == PDF:
            if not opened or opened[-1] != PDF:
                continue  # a PDF cannot close an isolate (UAX #9), nor anything outside the line
            opened.pop()
        elif ch == PDI:
            if PDI not in opened:
                continue
            while opened[-1] != PDI:  # a PDI closes the embeddings inside its isolate: say so
                out.append(opened.pop())
            opened.pop()
        out.append(ch)
    out.extend(reversed(opened))
    return FSI + "".join(out) + PDI if exposed else "".join(out)


def inert(text: str) -> str:
    """Text without control characters, each of its lines bidirectionally isolated if it needs it."""
    return "\n".join(isolate(line) for line in remove_controls(str(text)).split("\n"))


def inert_model(value: T) -> T:
    """A validated model (params, sidecars, publication details) with ``inert`` text throughout,
    so each value is isolated on its own before any builder joins it to other words; the same
    objects where nothing needed it. Ids and codes hold neither controls nor bidirectional marks
    (validation sees to it), so they come back as they were."""
    if isinstance(value, str):
        return value if isinstance(value, Enum) or not _NEEDS.search(value) else inert(value)  # type: ignore[return-value]
    if isinstance(value, BaseModel):
        updates = {}
        for name in type(value).model_fields:
            item = getattr(value, name)
            new = inert_model(item)
            if new is not item:
                updates[name] = new
        return value.model_copy(update=updates) if updates else value
    if isinstance(value, list | tuple):
        items = [inert_model(item) for item in value]
        changed = any(new is not old for new, old in zip(items, value, strict=True))
        return type(value)(items) if changed else value  # type: ignore[return-value]
    if isinstance(value, dict):
        pairs = {key: inert_model(item) for key, item in value.items()}
        return pairs if any(pairs[k] is not v for k, v in value.items()) else value  # type: ignore[return-value]
    return value


# The mark of the document being composed (its label catalogue's ``untranslated.mark``); None outside
# a composition, where the shipped wording stands in.
_MARK: ContextVar[str | None] = ContextVar("untranslated_mark", default=None)


@contextmanager
def marking(mark: str) -> Iterator[None]:
    """Within it, a text escaped in the language it is not in is followed by ``mark``."""
    token = _MARK.set(mark)
    try:
        yield
    finally:
        _MARK.reset(token)


def escape(value: object) -> MarkdownText:
    """Any value as literal Markdown text on one line; composed Markdown as it is."""
    if isinstance(value, MarkdownText):
        return value
    if isinstance(value, Markup) or hasattr(value, "__html__"):
        raise NotMarkdown(f"HTML markup where Markdown was expected: {str(value)[:60]!r} "
                          "(mark composed Markdown as MarkdownText)")
    line = _PUNCTUATION.sub(r"\\\1", _SPACE.sub(" ", inert(str(value))))
    if isinstance(value, Untranslated) and value.lang in ("en", "id") and line.strip():
        # Given in the other language only: a span in its language, then the document's mark.
        mark = _PUNCTUATION.sub(r"\\\1", _MARK.get() or untranslated_mark(value.lang))
        return MarkdownText(f"[{line}]{{lang={value.lang}}} {mark}")
    return MarkdownText(line)
