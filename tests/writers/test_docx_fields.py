"""Field results the writer fills in: the TITLE of headers and footers, however the reference holds
the field. (The TOC field, the SEQ captions and the header's TITLE of a written document are checked
in test_docx.py.)"""

from __future__ import annotations

import docx
from conftest import ROOT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from cluster_reports.writers.docx.fields import fill_title


def _run(inner: str) -> str:
    return f"<w:r>{inner}</w:r>"


def test_title_result_in_a_simple_field_and_across_runs():
    """A reference restyled in Word may hold TITLE as a simple field, or its result in several runs."""
    word = docx.Document(str(ROOT / "templates" / "reference.docx"))
    header = word.sections[0].header._element
    simple = parse_xml(f'<w:p {nsdecls("w")}><w:fldSimple w:instr=" TITLE ">'
                       + _run("<w:t>Old</w:t>") + _run("<w:t> title</w:t>") + "</w:fldSimple></w:p>")
    split = parse_xml(
        f'<w:p {nsdecls("w")}>'
        + _run('<w:fldChar w:fldCharType="begin"/>') + _run("<w:instrText> TITLE </w:instrText>")
        + _run('<w:fldChar w:fldCharType="separate"/>')
        + _run("<w:t>Old</w:t>") + _run("<w:t> title</w:t>")
        + _run('<w:fldChar w:fldCharType="end"/>')
        + _run('<w:fldChar w:fldCharType="begin"/>') + _run("<w:instrText> PAGE </w:instrText>")
        + _run('<w:fldChar w:fldCharType="separate"/>') + _run("<w:t>7</w:t>")
        + _run('<w:fldChar w:fldCharType="end"/>')
        + "</w:p>"
    )
    header.append(simple)
    header.append(split)
    fill_title(word, "New\x01 title")
    texts = [[t.text for t in p.iter(qn("w:t"))] for p in (simple, split)]
    assert texts == [["New title"], ["New title", "", "7"]]
