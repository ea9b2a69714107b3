"""A generated .docx read back by its narrative blocks, and a reviewer's blocks put into a new one.

The writer marks each paragraph of a block with a bookmark ``<prefix>_<n>`` and maps prefixes to
block ids in the ``cr_blocks`` custom property: one bookmark per paragraph survives LibreOffice as
well as Word (DESIGN.md). A block runs from the paragraph of its first bookmark start to that of its
last bookmark end, so what a reviewer inserts between its paragraphs (a paragraph, a list, a table)
belongs to it. Everything else of the body is "outside" the blocks.

This module knows Word's XML only; deciding what to keep is ``review``'s business.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

BLOCKS_PROPERTY = "cr_blocks"  # bookmark prefix -> block id
GENERATED_PROPERTY = "cr_generated"  # block id -> its paragraphs' texts, as generated
OUTSIDE_PROPERTY = "cr_outside"  # texts of the paragraphs outside blocks, as generated
_BOOKMARK = re.compile(r"^(?P<prefix>.+)_(?P<n>\d+)$")
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TRACKED = {qn("w:ins"), qn("w:del"), qn("w:moveFrom"), qn("w:moveTo")}
_COMMENT = {qn("w:commentRangeStart"), qn("w:commentReference")}
_HEADING_STYLE = re.compile(r"^(heading|judul)\s*\d", re.IGNORECASE)


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
    if tags & _COMMENT:
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


# --- recorded generation --------------------------------------------------------------------------


@dataclass
class Reviewed:
    """An existing .docx: its custom properties, its reading, and the package it came from."""

    path: Path
    properties: dict[str, str]
    reading: Reading
    word: docx.document.Document

    @property
    def generated(self) -> dict[str, list[str]] | None:
        raw = self.properties.get(GENERATED_PROPERTY)
        return json.loads(raw) if raw else None

    @property
    def generated_outside(self) -> list[str] | None:
        raw = self.properties.get(OUTSIDE_PROPERTY)
        return json.loads(raw) if raw else None


def custom_properties(word: docx.document.Document) -> dict[str, str]:
    """The custom document properties of an opened document."""
    from .docx import _parse_custom_xml

    for rel in word.part.package.rels.values():
        if rel.reltype == RT.CUSTOM_PROPERTIES and not rel.is_external:
            return _parse_custom_xml(rel.target_part.blob)
    return {}


def open_reviewed(path: Path) -> Reviewed:
    word = docx.Document(str(path))
    properties = custom_properties(word)
    prefixes = json.loads(properties.get(BLOCKS_PROPERTY) or "{}")
    return Reviewed(path, properties, read(word.element.body, prefixes), word)


def record(word: docx.document.Document, prefixes: dict[str, str]) -> dict[str, str]:
    """The custom properties that record what was generated into ``word`` (read back from its own
    XML, so a later reading of a reviewed copy compares like with like)."""
    reading = read(word.element.body, prefixes, annotated=False)  # a new document has none
    return {
        GENERATED_PROPERTY: json.dumps(
            {b: span.texts() for b, span in reading.blocks.items()}, ensure_ascii=False, separators=(",", ":")
        ),
        OUTSIDE_PROPERTY: json.dumps([t for _h, t in reading.outside], ensure_ascii=False,
                                     separators=(",", ":")),
    }


# --- a reviewer's block into a new document -------------------------------------------------------


def transplant(word: docx.document.Document, target: Span, source: Span, prefix: str,
               reviewed: docx.document.Document) -> None:
    """Put copies of ``source`` (a block of the reviewed document) where ``target`` (the same block,
    newly generated) is in ``word``; the copies carry the new document's bookmarks for the block,
    and their links, pictures and comments are carried over."""
    body = word.element.body
    anchor = target.elements[0]
    copies = [copy.deepcopy(el) for el in source.elements]
    for el in copies:
        anchor.addprevious(el)
    remove(word, target)
    next_id = _max_bookmark_id(body) + 1
    marks = [m for el in copies for m in el.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"))]
    opened = {m.get(qn("w:id")): m.get(qn("w:name"), "") for m in marks if m.tag == qn("w:bookmarkStart")}
    renumbered: dict[str | None, str] = {}
    for mark in marks:
        ident = mark.get(qn("w:id"))
        if opened.get(ident, "cr_").startswith("cr_"):  # the block's old marks, or an end left alone
            mark.getparent().remove(mark)
            continue
        if ident not in renumbered:  # the reviewer's own bookmarks keep their names, with fresh ids
            renumbered[ident] = str(next_id)
            next_id += 1
        mark.set(qn("w:id"), renumbered[ident])
    counter = 0
    for el in copies:
        if el.tag == qn("w:p"):
            counter += 1
            start = OxmlElement("w:bookmarkStart")
            start.set(qn("w:id"), str(next_id))
            start.set(qn("w:name"), f"{prefix}_{counter}")
            end = OxmlElement("w:bookmarkEnd")
            end.set(qn("w:id"), str(next_id))
            next_id += 1
            ppr = el.find(qn("w:pPr"))
            if ppr is not None:
                ppr.addnext(start)
            else:
                el.insert(0, start)
            el.append(end)
    _carry_relationships(copies, reviewed.part, word.part)
    if any(node.tag in _COMMENT for el in copies for node in el.iter()):
        _carry_comments(reviewed, word)


def remove(word: docx.document.Document, target: Span) -> None:
    for el in target.elements:
        word.element.body.remove(el)


def _max_bookmark_id(body: etree._Element) -> int:
    ids = [int(m.get(qn("w:id"), "0")) for m in body.iter(qn("w:bookmarkStart"))
           if (m.get(qn("w:id")) or "").isdigit()]
    return max(ids, default=0)


def _carry_relationships(elements: list[etree._Element], old_part, new_part) -> None:
    """Links and pictures refer to the package's relationships by id: make them in the new one."""
    for el in elements:
        for node in el.iter():
            for attr, value in list(node.attrib.items()):
                if not attr.startswith(f"{{{_R_NS}}}") or value not in old_part.rels:
                    continue
                rel = old_part.rels[value]
                if rel.is_external:
                    new_id = new_part.relate_to(rel.target_ref, rel.reltype, is_external=True)
                elif rel.reltype == RT.IMAGE:
                    new_id, _image = new_part.get_or_add_image(BytesIO(rel.target_part.blob))
                else:
                    continue  # nothing else is referenced from a block's paragraphs
                node.set(attr, new_id)


def _carry_comments(reviewed: docx.document.Document, word: docx.document.Document) -> None:
    old = next((r.target_part for r in reviewed.part.rels.values() if r.reltype == RT.COMMENTS), None)
    if old is None or any(r.reltype == RT.COMMENTS for r in word.part.rels.values()):
        return
    part = Part(PackURI("/word/comments.xml"), CT.WML_COMMENTS, old.blob, word.part.package)
    word.part.relate_to(part, RT.COMMENTS)


def block_texts(path: Path) -> dict[str, list[str]]:
    """Block id -> the texts of the block's paragraphs, in order, read from a (reviewed) .docx."""
    return {b: span.texts() for b, span in open_reviewed(path).reading.blocks.items()}
