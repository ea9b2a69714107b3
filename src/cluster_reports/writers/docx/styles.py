"""The reference document's styles, found by name: not by id, since a localised Word writes
localised style ids (a reference document restyled in it has them)."""

from __future__ import annotations

from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

_NAMES: dict[tuple[str, int, int], dict[str, str]] = {}


def _style_names(reference: Path, styles: etree._Element) -> dict[str, str]:
    """Style ids by lower-case name (the first style of a name wins), read once per reference file
    rather than searched for each style of each document."""
    stat = reference.stat()
    key = (str(reference.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _NAMES:
        names: dict[str, str] = {}
        for style in styles.iterchildren(qn("w:style")):
            name_el = style.find(qn("w:name"))
            if name_el is not None:
                names.setdefault(name_el.get(qn("w:val"), "").lower(), style.get(qn("w:styleId")))
        _NAMES.clear()  # one reference document in use at a time, in practice
        _NAMES[key] = names
    return _NAMES[key]


class Styles:
    """The styles part of a document opened on ``reference``."""

    def __init__(self, reference: Path, styles: etree._Element):
        self.element = styles
        self.names = _style_names(reference, styles)
        self._found: dict[tuple[str, ...], str | None] = {}

    def id(self, *names: str) -> str | None:
        """The id of the first style found by (case-insensitive) name; None if none is there."""
        if names not in self._found:
            self._found[names] = next(
                (self.names[n.lower()] for n in names if self.names.get(n.lower())), None
            )
        return self._found[names]

    def num_id(self, *names: str) -> int | None:
        """The numbering (w:numId) a list style carries, if any."""
        sid = self.id(*names)
        if sid is None:
            return None
        style = self.element.get_by_id(sid)
        num = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        return int(num.get(qn("w:val"))) if num is not None else None

    def indent(self, name: str) -> int:
        """The left indent (twips) a paragraph style sets, 0 if none."""
        sid = self.id(name)
        style = self.element.get_by_id(sid) if sid else None
        ind = style.find(f"{qn('w:pPr')}/{qn('w:ind')}") if style is not None else None
        value = (ind.get(qn("w:left")) or ind.get(qn("w:start"))) if ind is not None else None
        return int(value) if value else 0
