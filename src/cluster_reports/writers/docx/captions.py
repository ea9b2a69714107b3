"""The text of a caption block.

A table's or figure's caption is a block ``caption-<table or figure id>`` whose bookmark spans the
whole caption paragraph: "Table ", the SEQ field numbering it, ": ", then the caption's words. The
block's text is those words alone: the label is the writer's, and the number changes whenever a
table is added before this one, which is no reviewer's edit. So the text read and recorded for a
caption block (``caption_text``) leaves out everything up to the end of its number field, and the
separator after it; harvested, that text is the caption (``compose.apply_overrides``).

A caption whose number field the reviewer deleted reads as its whole text: what is left is theirs.
"""

from __future__ import annotations

import re

from docx.oxml.ns import qn
from lxml import etree

from .blocks import is_deleted

_SEPARATOR = re.compile(r"^\s*[:.]?\s*")


def _instruction_is_seq(text: str) -> bool:
    return text.split()[:1] == ["SEQ"]



def _text_of(el: etree._Element) -> str:
    """One text element as ``blocks.paragraph_text`` reads it."""
    if el.tag == qn("w:t"):
        return el.text or ""
    if el.tag == qn("w:tab"):
        return "\t"
    return "" if el.get(qn("w:type")) in ("page", "column") else "\n"


def number_field_end(p: etree._Element) -> etree._Element | None:
    """The element that ends a paragraph's caption number: the ``w:fldChar`` of type end of its
    first SEQ field (complex, as the writer and Word write it), or the ``w:fldSimple`` itself (as
    some editors write it); None if the paragraph has no SEQ field."""
    depth = 0
    instruction = ""
    for el in p.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:fldSimple")):
        if el.tag == qn("w:fldSimple"):
            if depth == 0 and _instruction_is_seq(el.get(qn("w:instr"), "")):
                return el
        elif el.tag == qn("w:instrText"):
            if depth == 1:
                instruction += el.text or ""
        else:
            kind = el.get(qn("w:fldCharType"))
            if kind == "begin":
                depth += 1
                if depth == 1:
                    instruction = ""
            elif kind == "end" and depth:
                depth -= 1
                if depth == 0 and _instruction_is_seq(instruction):
                    return el
    return None


def is_caption(p: etree._Element) -> bool:
    """Whether the paragraph holds a caption number (a SEQ field)."""
    return number_field_end(p) is not None


def caption_text(p: etree._Element) -> str:
    """A caption paragraph's own words, as it reads with tracked changes accepted: its text after
    the number field and the ": " after it ("Table 3: Firms by size" reads "Firms by size")."""
    end = number_field_end(p)
    after = end is None
    inside_simple = end if end is not None and end.tag == qn("w:fldSimple") else None
    parts = []
    for el in p.iter():
        if el is end:
            after = True
            continue
        if not after or el.tag not in (qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
            continue
        if inside_simple is not None and _within(el, inside_simple):
            continue  # the number itself, as a simple field's result
        if not is_deleted(el, p):
            parts.append(_text_of(el))
    text = "".join(parts)
    return _SEPARATOR.sub("", text, count=1) if end is not None else text


def _within(el: etree._Element, ancestor: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False
