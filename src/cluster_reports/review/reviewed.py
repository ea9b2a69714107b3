"""A reviewer's .docx read back, and their blocks carried into a newly generated document.

The file's custom properties say which bookmarks belong to which block and what was generated into
it; ``transplant`` puts copies of a reviewer's paragraphs where the new document has the block,
with their links, pictures and comments.
"""

from __future__ import annotations

import copy
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

from cluster_reports.review import record_check
from cluster_reports.writers.docx.blocks import (
    COMMENT_TAGS,
    OUTSIDE_MARK,
    is_deleted,
    paragraph_text,
)
from cluster_reports.writers.docx.properties import custom_properties
from cluster_reports.writers.docx.reading import Reading, Span, read

_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass
class Reviewed:
    """An existing .docx: its custom properties, its reading, and the package it came from.
    ``damage``: why its generation record cannot be trusted (``record_check``); the reading is
    then of the body alone (every element outside the blocks), and the record must not be used."""

    path: Path
    properties: dict[str, str]
    reading: Reading
    word: docx.document.Document
    record: record_check.Record = field(default_factory=record_check.Record)

    @property
    def damage(self) -> str | None:
        return self.record.damage

    @property
    def generated(self) -> dict[str, list[str]] | None:
        return self.record.generated

    @property
    def generated_outside(self) -> list[str] | None:
        """Older files: the texts generated outside the blocks (newer ones have ``layout``)."""
        return self.record.outside

    @property
    def layout(self) -> dict | None:
        return self.record.layout

    @property
    def formats(self) -> dict[str, str]:
        return self.record.formats


def open_reviewed(path: Path) -> Reviewed:
    word = docx.Document(str(path))
    return reading_of(path, word)


def reading_of(path: Path, word: docx.document.Document) -> Reviewed:
    """The file read by its blocks, once its record is checked (a damaged record is not used)."""
    body = word.element.body
    try:
        properties = custom_properties(word)
    except Exception:  # noqa: BLE001 - not XML: the whole record is lost, the body may hold work
        properties = {}
        record = record_check.Record(damage=f"{record_check.CUSTOM_PART} is not readable XML")
    else:
        record = record_check.parse(properties, body)
    if record.damage is None:
        try:
            reading = read(body, record.prefixes, record.layout)
        except Exception as exc:  # noqa: BLE001 - a record of the right shape that still misleads
            record = record_check.Record(damage=f"the record could not be read with the document "
                                                f"({type(exc).__name__})")
        else:
            if record.generated is not None:
                texts = {b: span.texts() for b, span in reading.blocks.items()}
                record.damage = record_check.exchanged(record.generated, texts, reading.moved_in)
            if record.damage is None:
                return Reviewed(path, properties, reading, word, record)
    record = record_check.Record(damage=record.damage)
    return Reviewed(path, properties, read(body, {}, None), word, record)


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
        # The blocks' and outside elements' old marks (the new document has its own), or an end
        # left alone.
        if opened.get(ident, "cr_").startswith(("cr_", f"{OUTSIDE_MARK}_")):
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
    if any(node.tag in COMMENT_TAGS for el in copies for node in el.iter()):
        _carry_comments(reviewed, word)


def remove(word: docx.document.Document, target: Span) -> None:
    """Take a block's elements out of the document; a table cell keeps an empty paragraph, as
    Word requires."""
    for el in target.elements:
        parent = el.getparent()
        parent.remove(el)
        if parent.tag == qn("w:tc") and parent.find(qn("w:p")) is None:
            parent.append(OxmlElement("w:p"))


def cut_text(paragraph: etree._Element, text: str) -> bool:
    """Take ``text`` off the end (or else the start) of a paragraph's visible text: a generated
    paragraph the reviewer joined to it, which the new document writes in its own place. False
    when the paragraph does not end or start with it (the reviewer edited the joined text)."""
    visible = paragraph_text(paragraph)
    if not text or not (visible.endswith(text) or visible.startswith(text)):
        return False
    nodes = [t for t in paragraph.iter(qn("w:t")) if not is_deleted(t, paragraph)]
    if not visible.endswith(text):
        nodes.reverse()
    left = len(text)
    for node in reversed(nodes):
        if left <= 0:
            break
        value = node.text or ""
        take = min(left, len(value))
        node.text = value[:len(value) - take] if visible.endswith(text) else value[take:]
        left -= take
    return left <= 0



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
