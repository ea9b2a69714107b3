"""A .docx read by its narrative blocks.

The writer marks each paragraph of a block with a bookmark ``<prefix>_<n>`` and maps prefixes to
block ids in the ``cr_blocks`` custom property: one bookmark per paragraph survives LibreOffice as
well as Word (DESIGN.md). A block runs from the paragraph of its first bookmark start to that of its
last bookmark end, so what a reviewer inserts between its paragraphs (a paragraph, a list, a table)
belongs to it. Everything else of the body is "outside" the blocks.

This module knows Word's XML only: the writer names the bookmarks and records a new document's
blocks with it, and the review reads a reviewed one with it; deciding what to keep, and carrying a
reviewer's paragraphs into a new document, is ``review``'s business.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

import docx
from docx.oxml.ns import qn
from lxml import etree

BLOCKS_PROPERTY = "cr_blocks"  # bookmark prefix -> block id
GENERATED_PROPERTY = "cr_generated"  # block id -> its paragraphs' texts, as generated
OUTSIDE_PROPERTY = "cr_outside"  # texts of the paragraphs outside blocks, as generated
_BOOKMARK = re.compile(r"^(?P<prefix>.+)_(?P<n>\d+)$")
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TRACKED = {qn("w:ins"), qn("w:del"), qn("w:moveFrom"), qn("w:moveTo")}
COMMENT_TAGS = {qn("w:commentRangeStart"), qn("w:commentReference")}
_HEADING_STYLE = re.compile(r"^(heading|judul)\s*\d", re.IGNORECASE)
BOOKMARK_MAX = 40  # Word's limit on bookmark names
_PREFIX_MAX = BOOKMARK_MAX - 6  # room for "_<n>" with n up to 99999


def bookmark_prefix(block_id: str, taken: dict[str, str] | None = None) -> str:
    """The bookmark prefix of a block: ``cr_`` + the id with '-' and '.' as '_'.

    Bookmark names are ``<prefix>_<n>`` and Word allows 40 characters, letters, digits and '_':
    a long id is cut and given a short stable hash of the whole id; so is an id whose prefix
    another block of the document (``taken``: prefix -> id) already has.
    """
    base = "cr_" + re.sub(r"[^A-Za-z0-9_]", "_", block_id.replace("-", "_").replace(".", "_"))
    taken = taken or {}
    if len(base) <= _PREFIX_MAX and taken.get(base, block_id) == block_id:
        return base
    cut = base[: _PREFIX_MAX - 7].rstrip("_")
    return f"{cut}_{hashlib.sha1(block_id.encode('utf-8')).hexdigest()[:6]}"


def paragraph_text(p: etree._Element) -> str:
    """A paragraph's text as it reads with tracked changes accepted (deleted text left out)."""
    parts = []
    skip = {qn("w:del"), qn("w:moveFrom")}
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        ancestor = el.getparent()
        deleted = False
        while ancestor is not None and ancestor is not p:
            if ancestor.tag in skip:
                deleted = True
                break
            ancestor = ancestor.getparent()
        if deleted:
            continue
        if el.tag == qn("w:t"):
            parts.append(el.text or "")
        elif el.tag == qn("w:tab"):
            parts.append("\t")
        elif el.get(qn("w:type")) not in ("page", "column"):  # a page break is layout, not text
            parts.append("\n")
    return "".join(parts)


def annotations(elements: list[etree._Element]) -> list[str]:
    """What a reviewer left besides text: "tracked changes", "comments"."""
    found = []
    tags = {el.tag for top in elements for el in top.iter()}
    if tags & _TRACKED:
        found.append("tracked changes")
    if tags & COMMENT_TAGS:
        found.append("comments")
    return found


@dataclass
class Span:
    """A block's top-level body elements (paragraphs, and whatever a reviewer put between them)."""

    block_id: str
    elements: list[etree._Element]

    def texts(self) -> list[str]:
        return [paragraph_text(p) for top in self.elements for p in _paragraphs(top)]


@dataclass
class Reading:
    blocks: dict[str, Span] = field(default_factory=dict)  # in document order
    outside: list[tuple[str, str]] = field(default_factory=list)  # (nearest heading, text)
    outside_annotations: list[tuple[str, str]] = field(default_factory=list)  # (heading, what)


def _paragraphs(top: etree._Element) -> list[etree._Element]:
    return [top] if top.tag == qn("w:p") else list(top.iter(qn("w:p")))


def _top(el: etree._Element, body: etree._Element) -> etree._Element:
    while el.getparent() is not body:
        el = el.getparent()
    return el


def _is_contents(top: etree._Element) -> bool:
    """The table of contents: Word and LibreOffice fill it in on their own, it is nobody's edit."""
    if top.tag == qn("w:sdt"):
        gallery = top.find(f".//{qn('w:docPartGallery')}")
        return gallery is not None and "contents" in (gallery.get(qn("w:val")) or "").lower()
    style = top.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    value = (style.get(qn("w:val")) or "") if style is not None else ""
    return value.lower().startswith(("toc", "contents", "tocheading", "daftarisi"))


def read(body: etree._Element, prefixes: dict[str, str], annotated: bool = True) -> Reading:
    """The blocks and the outside of a document body, given the ``cr_blocks`` prefix map (and,
    if ``annotated``, the tracked changes and comments outside the blocks)."""
    tops = [el for el in body if el.tag != qn("w:sectPr")]
    position = {id(el): i for i, el in enumerate(tops)}
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    by_bookmark: dict[str, str] = {}
    for el in body.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
        top = _top(el, body)
        if id(top) not in position:
            continue
        where = position[id(top)]
        if el.tag == qn("w:bookmarkStart"):
            match = _BOOKMARK.match(el.get(qn("w:name"), ""))
            if not match or match["prefix"] not in prefixes:
                continue
            block_id = prefixes[match["prefix"]]
            by_bookmark[el.get(qn("w:id"), "")] = block_id
            first[block_id] = min(first.get(block_id, where), where)
            last[block_id] = max(last.get(block_id, where), where)
        else:
            block_id = by_bookmark.get(el.get(qn("w:id"), ""))
            if block_id is not None:
                last[block_id] = max(last[block_id], where)
    reading = Reading()
    inside: set[int] = set()
    for block_id in sorted(first, key=first.__getitem__):
        span = range(first[block_id], last[block_id] + 1)
        reading.blocks[block_id] = Span(block_id, [tops[i] for i in span])
        inside.update(span)
    heading = ""
    for i, top in enumerate(tops):
        if top.tag == qn("w:p") and _is_heading(top):
            heading = paragraph_text(top)
        if i in inside or _is_contents(top):
            continue
        for p in _paragraphs(top):
            reading.outside.append((heading, paragraph_text(p)))
        if annotated:
            reading.outside_annotations += [(heading, what) for what in annotations([top])]
    return reading


def _is_heading(p: etree._Element) -> bool:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    outline = p.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    return outline is not None or (
        style is not None and bool(_HEADING_STYLE.match(style.get(qn("w:val")) or ""))
    )


def record(word: docx.document.Document, prefixes: dict[str, str]) -> dict[str, str]:
    """The custom properties that map the bookmark prefixes of ``word`` to its blocks and record
    what was generated into it (read back from its own XML, so a later reading of a reviewed copy
    compares like with like)."""
    reading = read(word.element.body, prefixes, annotated=False)  # a new document has none
    return {
        BLOCKS_PROPERTY: json.dumps(prefixes, ensure_ascii=False, separators=(",", ":")),
        GENERATED_PROPERTY: json.dumps(
            {b: span.texts() for b, span in reading.blocks.items()}, ensure_ascii=False, separators=(",", ":")
        ),
        OUTSIDE_PROPERTY: json.dumps([t for _h, t in reading.outside], ensure_ascii=False,
                                     separators=(",", ":")),
    }
