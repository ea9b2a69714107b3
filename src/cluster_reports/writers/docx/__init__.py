"""The Word writer: a composed ``Document`` tree onto the reference document, as a .docx.

``build`` opens the reference (``templates/reference.docx``, built by ``reference.py``), keeps its
styles, page setup, header and footer, and writes the tree into its emptied body with real Word
structures (``body``): heading styles, a TOC field whose entries end with PAGEREF page numbers,
captions numbered by SEQ fields (``fields``), a table style with a repeating header row and rows
kept whole, column widths measured with the font's metrics (``tables``, ``metrics``), the cover as
a section of its own with the pages after it numbered from 1, landscape sections for tables too
wide for a portrait page (``sections``), pictures with alt text; then the document language, the
core and custom document properties (``properties``), and a header that fits its line.
``toc_pages`` writes the contents' page numbers as LibreOffice lays the pages out (``render
--page-numbers``).

Narrative blocks carry one bookmark per paragraph, ``cr_<block id>_<n>``: bookmarks inside one
paragraph survive a round trip through LibreOffice, bookmarks spanning paragraphs do not (see
DESIGN.md). The custom property ``cr_blocks`` maps each bookmark prefix back to its block id, and
``cr_generated`` / ``cr_outside`` record the text generated in and outside the blocks, so that
``blocks`` can read a reviewed file exactly and ``review`` tell the reviewer's edits.
"""

from __future__ import annotations

from pathlib import Path

import docx

from cluster_reports.atomic import write_atomic
from cluster_reports.compose import tree as d

from . import sections
from .body import BodyWriter
from .fields import fill_title, fit_headers, set_update_fields
from .properties import set_language, set_properties
from .recording import record


def build(doc: d.Document, reference: Path) -> tuple[docx.document.Document, dict[str, str]]:
    """The python-docx document for ``doc`` on ``reference``, not yet saved, and its blocks' bookmark
    prefixes (prefix -> block id)."""
    reference = Path(reference)
    word = docx.Document(str(reference))
    body = BodyWriter(doc, word, reference)
    body.write()
    set_language(word, doc.properties.language_tag)
    set_update_fields(word)
    set_properties(word, doc.properties, record(word, body.block_prefixes))
    fill_title(word, doc.properties.title)
    fit_headers(word, doc.properties.title, sections.portrait_text_width(word))
    return word, body.block_prefixes


def write_docx(doc: d.Document, path: Path, reference: Path) -> None:
    """Write ``doc`` as a new .docx at ``path``, atomically. Over a reviewed file, write through
    ``review.merge.write_docx`` instead, which keeps the reviewer's work."""
    word, _prefixes = build(doc, reference)
    write_atomic(Path(path), lambda tmp: word.save(str(tmp)))
