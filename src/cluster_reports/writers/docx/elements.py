"""WordprocessingML elements made quickly (the writer makes tens of thousands per document), and text
that XML can hold."""

from __future__ import annotations

from functools import cache

from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.parser import oxml_parser
from lxml import etree

from cluster_reports.documents.markdown_text import remove_controls


def clean_text(text: str) -> str:
    """Text that XML can hold: control characters other than tab and newline dropped."""
    return remove_controls(text)


@cache
def _tag(prefixed: str) -> tuple[str, dict[str, str]]:
    """Clark name and namespace map of a prefixed tag, as ``OxmlElement`` works them out each call."""
    tag = NamespacePrefixedTag(prefixed)
    return tag.clark_name, tag.nsmap


_qn = cache(qn)


def sub(parent: etree._Element, tag: str, attrs: dict[str, str] | None = None) -> etree._Element:
    """Append a new ``tag`` element (with ``w:``-style prefixed attributes) to ``parent``.

    The same element ``OxmlElement`` makes (python-docx's element class for the tag), made
    without re-parsing the tag each time.
    """
    clark, nsmap = _tag(tag)
    element = oxml_parser.makeelement(clark, nsmap=nsmap)
    for name, value in (attrs or {}).items():
        element.set(_qn(name), value)
    parent.append(element)
    return element


def add_text_run(parent: etree._Element, text: str) -> etree._Element:
    """Append ``<w:r><w:t>text</w:t></w:r>`` to ``parent`` (a paragraph, hyperlink or simple field)."""
    run = sub(parent, "w:r")
    t = sub(run, "w:t", {"xml:space": "preserve"})
    t.text = clean_text(text)
    return run
