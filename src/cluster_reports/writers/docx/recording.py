"""What a newly written .docx records about itself, so that a reviewed copy can be read exactly.

Every body element outside the blocks gets a bookmark ``cx_<n>`` (a table in its first cell), and
the custom properties record: the prefix map (``cr_blocks``), each block's texts (``cr_generated``)
and formatting (``cr_format``), and the layout (``cr_layout``): the body in order (a block id, or
the number of an outside element), the texts of the outside elements, and per table its caption,
its cells' texts and which cells are blocks. Read back from the document's own XML, so that a later
reading of a reviewed copy compares like with like.
"""

from __future__ import annotations

import json

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from .blocks import (
    BLOCKS_PROPERTY,
    FORMAT_PROPERTY,
    GENERATED_PROPERTY,
    LAYOUT_PROPERTY,
    OUTSIDE_MARK,
    is_contents,
    is_layout,
    paragraph_text,
    paragraphs,
)
from .formatting import fingerprint
from .reading import label_of, read


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _mark(paragraph: etree._Element, name: str, ident: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(ident))
    # After the paragraph's properties and its own leading bookmarks (a heading's TOC anchor
    # stays the first one, as the TOC's PAGEREF fields expect).
    at = 0
    for child in paragraph:
        if child.tag not in (qn("w:pPr"), qn("w:bookmarkStart")):
            break
        at += 1
    paragraph.insert(at, start)
    paragraph.append(end)


def table_cells(table: etree._Element) -> list[list[str]]:
    """A table's cells' texts, row by row (its own rows and cells, not a nested table's)."""
    return [["\n".join(paragraph_text(p) for p in cell.findall(qn("w:p")))
             for cell in row.findall(qn("w:tc"))] for row in table.findall(qn("w:tr"))]


def record(word: docx.document.Document, prefixes: dict[str, str]) -> dict[str, str]:
    """Mark the outside elements of a new document and return the custom properties that record it."""
    body = word.element.body
    ids = [int(m.get(qn("w:id"), "0")) for m in body.iter(qn("w:bookmarkStart"))
           if (m.get(qn("w:id")) or "").isdigit()]
    ident = max(ids, default=0) + 1
    entries: list = []
    outside: list[str] = []
    tables: dict[str, dict] = {}
    last_text = ""
    for top in body:
        if top.tag == qn("w:sectPr") or is_contents(top) or is_layout(top):
            continue
        label = label_of(top, prefixes)
        if label.blocks:
            entries.append(label.blocks[0])
            last_text = paragraph_text(top) if top.tag == qn("w:p") else ""
            continue
        number = len(outside)
        host = top if top.tag == qn("w:p") else next(iter(paragraphs(top)), None)
        if host is None:  # nothing to carry a mark: not something a reviewer can edit
            continue
        _mark(host, f"{OUTSIDE_MARK}_{number}", ident)
        ident += 1
        entries.append(number)
        if top.tag == qn("w:tbl"):
            outside.append("")
            tables[str(number)] = {"caption": last_text, "cells": table_cells(top), "blocks": {}}
        else:
            outside.append("\n".join(paragraph_text(p) for p in paragraphs(top)))
        last_text = outside[-1]
    layout = {"body": entries, "outside": outside, "tables": tables}
    reading = read(body, prefixes, layout, annotated=False)
    # Keyed by the cell elements themselves: lxml keeps one proxy per node while it is referenced.
    in_cell = {span.elements[0].getparent(): b for b, span in reading.blocks.items()
               if span.elements and span.elements[0].getparent().tag == qn("w:tc")}
    elements = {o.number: o.element for o in reading.outside}
    for number, table in tables.items():
        for r, row in enumerate(elements[int(number)].findall(qn("w:tr"))):
            for c, cell in enumerate(row.findall(qn("w:tc"))):
                if cell in in_cell:
                    table["blocks"][f"{r}.{c}"] = in_cell[cell]
    return {
        BLOCKS_PROPERTY: _compact(prefixes),
        GENERATED_PROPERTY: _compact({b: span.texts() for b, span in reading.blocks.items()}),
        FORMAT_PROPERTY: _compact({b: fingerprint(span.elements, word)
                                   for b, span in reading.blocks.items()}),
        LAYOUT_PROPERTY: _compact(layout),
    }
