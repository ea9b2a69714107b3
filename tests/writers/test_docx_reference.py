"""The reference document: built as shipped, with the styles, page, header and footer the writer uses."""

from __future__ import annotations

from pathlib import Path

import docx
import docx_sample as sample  # tests/writers/docx_sample.py
import pytest
from conftest import ROOT
from docx.oxml.ns import qn

SHIPPED_REFERENCE = ROOT / "templates" / "reference.docx"


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    return sample.reference(tmp_path_factory)


def test_reference_is_shipped_with_the_writers_styles(reference):
    """templates/reference.docx exists and has the styles the writer uses."""
    assert SHIPPED_REFERENCE.is_file(), "run: python -m cluster_reports.writers.docx.reference " \
                                        "templates/reference.docx"
    for path in (reference, SHIPPED_REFERENCE):
        names = {s.name for s in docx.Document(str(path)).styles}
        for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "TOC Heading",
                     "List Bullet", "List Number", "Caption", "Note", "Cluster Table",
                     "Table Text", "Hyperlink", "Code"):
            assert name in names, f"{path}: style {name!r} missing"


def test_reference_page_header_and_footer(reference):
    word = docx.Document(str(reference))
    section = word.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    for margin in (section.left_margin, section.right_margin, section.top_margin,
                   section.bottom_margin):
        assert round(margin.cm, 2) == 2.5
    header = section.header.paragraphs[0]
    assert [f[0].split()[0] for f in sample.fields(header)] == ["TITLE"]
    assert header.alignment is None and header.style.name == "Header"
    assert header.style.paragraph_format.alignment == 2  # right
    footer = section.footer.paragraphs[0]
    # the page number alone: a NUMPAGES total would count the unnumbered cover
    assert [f[0].split()[0] for f in sample.fields(footer)] == ["PAGE"]
    assert footer.text.strip() == "1"
    defaults = word.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}")
    assert defaults.find(f".//{qn('w:widowControl')}") is not None  # no line alone on a page
    note = word.styles["Note"].element
    assert note.find(f".//{qn('w:shd')}") is not None
    assert note.find(f".//{qn('w:pBdr')}/{qn('w:left')}") is not None
