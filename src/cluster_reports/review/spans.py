"""A reviewed paragraph's runs as harvest keeps them: its text with the bold, italic and links the
document tree can show (``compose.tree.Run``), and the names of the formatting it cannot show.

Read from the paragraph's XML with tracked changes accepted, as ``writers.docx.blocks.paragraph_text``
reads its text; when the two readings differ, the paragraph is kept as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.oxml.ns import qn
from lxml import etree

from cluster_reports.documents.markdown_text import remove_controls
from cluster_reports.inputs.schema.overrides import HREF
from cluster_reports.writers.docx.blocks import is_deleted, paragraph_text

_ON = (None, "1", "true", "on")
# Direct formatting the tree has no place for, by its name in the harvest's note.
_UNSHOWN = {
    qn("w:u"): "underline",
    qn("w:color"): "colour",
    qn("w:highlight"): "highlight",
    qn("w:shd"): "highlight",
    qn("w:sz"): "size",
    qn("w:szCs"): "size",
    qn("w:rFonts"): "font",
    qn("w:strike"): "strikethrough",
    qn("w:dstrike"): "strikethrough",
}
_NO_EFFECT = {"none", "auto", "0", "false", "off", "clear"}


@dataclass
class Read:
    """A paragraph as harvest keeps it: plain text, or spans where some words are formatted."""

    paragraph: str | list[dict]
    unshown: set[str] = field(default_factory=set)  # formatting kept in the Word file only


def _on(el: etree._Element | None) -> bool:
    return el is not None and el.get(qn("w:val")) in _ON


def _run_text(run: etree._Element) -> str:
    parts = []
    for el in run:
        if el.tag == qn("w:t"):
            parts.append(el.text or "")
        elif el.tag == qn("w:tab"):
            parts.append("\t")
        elif el.tag in (qn("w:br"), qn("w:cr")) and el.get(qn("w:type")) not in ("page", "column"):
            parts.append("\n")
    return remove_controls("".join(parts))


def _link(run: etree._Element, p: etree._Element, rels) -> tuple[bool, str | None]:
    """Whether the run is in a link, and the link's address when it is a web or e-mail one."""
    ancestor = run.getparent()
    while ancestor is not None and ancestor is not p:
        if ancestor.tag == qn("w:hyperlink"):
            rid = ancestor.get(qn("r:id"))
            rel = rels.get(rid) if rid and rels is not None else None
            target = rel.target_ref if rel is not None and rel.is_external else None
            return True, target
        ancestor = ancestor.getparent()
    return False, None



def read_paragraph(p: etree._Element, rels=None) -> Read:
    """``rels``: the part's relationships (``part.rels``), where links find their addresses."""
    # A control character a word processor let through would make the overrides file invalid.
    result = Read(remove_controls(paragraph_text(p)))
    spans: list[dict] = []
    for run in p.iter(qn("w:r")):
        if is_deleted(run, p):
            continue
        text = _run_text(run)
        if not text:
            continue
        props = run.find(qn("w:rPr"))
        style = ""
        if props is not None and (rstyle := props.find(qn("w:rStyle"))) is not None:
            style = (rstyle.get(qn("w:val")) or "").lower()
        linked, href = _link(run, p, rels)
        bold = _on(props.find(qn("w:b")) if props is not None else None) or "strong" in style
        italic = (_on(props.find(qn("w:i")) if props is not None else None)
                  or ("emphasis" in style and "strong" not in style))
        if href is not None and not HREF.match(href):
            result.unshown.add("a link that is no web or e-mail address")
            href = None
        for child in props if props is not None else ():
            name = _UNSHOWN.get(child.tag)
            if name is None or (linked and name in ("underline", "colour")):
                continue  # a link's own underline and colour come with the link
            if child.tag == qn("w:rFonts"):  # a hint alone (w:hint) is no font a reviewer chose
                if any(qn(f"w:{k}") in child.attrib for k in ("ascii", "hAnsi", "asciiTheme", "hAnsiTheme")):
                    result.unshown.add(name)
                continue
            values = {v.lower() for k, v in child.attrib.items() if k in (qn("w:val"), qn("w:fill"))}
            if not values or not values <= _NO_EFFECT:
                result.unshown.add(name)
        span = {"text": text, "bold": bold, "italic": italic, "href": href}
        if spans and all(spans[-1][k] == span[k] for k in ("bold", "italic", "href")):
            spans[-1]["text"] += text
        else:
            spans.append(span)
    if "".join(s["text"] for s in spans) != result.paragraph:
        return result  # runs this reading does not follow (fields, text boxes): the plain text
    if any(s["bold"] or s["italic"] or s["href"] for s in spans):
        result.paragraph = [{k: v for k, v in s.items() if k == "text" or v} for s in spans]
    return result
