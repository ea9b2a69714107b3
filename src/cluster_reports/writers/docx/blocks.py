"""The marks of a .docx's narrative blocks, and its paragraphs' texts as a reviewer leaves them.

The writer marks each paragraph of a block with a bookmark ``<prefix>_<n>`` and maps prefixes to
block ids in the ``cr_blocks`` custom property: one bookmark per paragraph survives LibreOffice as
well as Word (DESIGN.md). ``recording`` marks the other elements it wrote and records what was
generated; ``reading`` tells, in a reviewed file, which block owns each paragraph.

These modules know Word's XML only; deciding what to keep, and carrying a reviewer's paragraphs
into a new document, is ``review``'s business.
"""

from __future__ import annotations

import hashlib
import re

from docx.oxml.ns import qn
from lxml import etree

BLOCKS_PROPERTY = "cr_blocks"  # bookmark prefix -> block id
GENERATED_PROPERTY = "cr_generated"  # block id -> its paragraphs' texts, as generated
OUTSIDE_PROPERTY = "cr_outside"  # older files: texts of the paragraphs outside blocks, as generated
LAYOUT_PROPERTY = "cr_layout"  # the generated body: blocks and numbered outside elements, in order
FORMAT_PROPERTY = "cr_format"  # block id -> the fingerprint of its formatting, as generated
OUTSIDE_MARK = "cx"  # bookmarks cx_<n> mark the generated elements outside the blocks
BOOKMARK = re.compile(r"^(?P<prefix>.+)_(?P<n>\d+)$")
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


DELETED = {qn("w:del"), qn("w:moveFrom")}  # text a tracked change took out (or moved away)


def is_deleted(node: etree._Element, paragraph: etree._Element) -> bool:
    """Whether a node of the paragraph is inside text a tracked change deleted."""
    ancestor = node.getparent()
    while ancestor is not None and ancestor is not paragraph:
        if ancestor.tag in DELETED:
            return True
        ancestor = ancestor.getparent()
    return False


def paragraph_text(p: etree._Element) -> str:
    """A paragraph's text as it reads with tracked changes accepted (deleted text left out)."""
    parts = []
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if is_deleted(el, p):
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


def paragraphs(top: etree._Element) -> list[etree._Element]:
    """The paragraphs of a body element: itself, or those of a table or content control."""
    return [top] if top.tag == qn("w:p") else list(top.iter(qn("w:p")))


_SHOWN = (qn("w:drawing"), qn("w:pict"), qn("w:object"))


def is_layout(top: etree._Element) -> bool:
    """An empty paragraph: a page or section break, a spacer. It is layout, not anyone's words:
    a word processor may drop it or move its bookmarks to the next paragraph on saving."""
    if top.tag != qn("w:p") or paragraph_text(top).strip():
        return False
    return next(top.iter(*_SHOWN), None) is None


def is_contents(top: etree._Element) -> bool:
    """The table of contents: Word and LibreOffice fill it in on their own, it is nobody's edit."""
    if top.tag == qn("w:sdt"):
        gallery = top.find(f".//{qn('w:docPartGallery')}")
        return gallery is not None and "contents" in (gallery.get(qn("w:val")) or "").lower()
    style = top.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    value = (style.get(qn("w:val")) or "") if style is not None else ""
    return value.lower().startswith(("toc", "contents", "tocheading", "daftarisi"))


def is_heading(p: etree._Element) -> bool:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    outline = p.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    return outline is not None or (
        style is not None and bool(_HEADING_STYLE.match(style.get(qn("w:val")) or ""))
    )
