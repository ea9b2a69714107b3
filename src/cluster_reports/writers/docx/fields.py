"""Word fields: complex fields (begin, instruction, separate, cached result, end), the instructions
the writer uses (the table of contents, its entries' PAGEREF page numbers, SEQ caption numbers), the
TITLE fields of headers and footers given the title as their result (or, where the title is too
long for the header's line, replaced by it shortened), and the setting that has Word update every
field on opening.

The reference document's header and footer carry their own fields (TITLE, PAGE, NUMPAGES: see
``reference.py``); the writer fills in TITLE's cached result, so the header reads right even where
fields are not updated.
"""

from __future__ import annotations

from copy import deepcopy

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from .elements import add_text_run, clean_text
from .metrics import text_twips

HEADER_PT = 8  # the Header style's size (reference.py)
ELLIPSIS = "\u2026"

TOC_INSTRUCTION = ' TOC \\o "1-3" \\h \\z \\u '


def seq_instruction(sequence: str) -> str:
    """The instruction numbering a caption in its sequence ("Table", "Figure")."""
    return f" SEQ {sequence} \\* ARABIC "


def page_ref_instruction(bookmark: str) -> str:
    """The instruction giving the page a bookmark is on, as a link (a TOC entry's number)."""
    return f" PAGEREF {bookmark} \\h "


def _field_char(parent: etree._Element, kind: str, dirty: bool = False) -> None:
    run = OxmlElement("w:r")
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    if dirty:
        fld.set(qn("w:dirty"), "true")
    run.append(fld)
    parent.append(run)


def begin_field(parent: etree._Element, instruction: str, dirty: bool = False) -> None:
    """The start of a complex field: begin, the instruction, separate (the result follows)."""
    _field_char(parent, "begin", dirty)
    run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run.append(instr)
    parent.append(run)
    _field_char(parent, "separate")


def end_field(parent: etree._Element) -> None:
    """The end of a complex field, which may be in a later paragraph than its start (the TOC)."""
    _field_char(parent, "end")


def add_field(parent: etree._Element, instruction: str, result: str = "",
              dirty: bool = False) -> None:
    """Append a complex field (begin, instruction, separate, cached result, end) to ``parent``."""
    begin_field(parent, instruction, dirty)
    add_text_run(parent, result)  # a result run even when empty, for a later fill
    end_field(parent)


def fill_title(word: docx.document.Document, title: str) -> None:
    """Give the TITLE fields of headers and footers the title as their cached result."""
    title = clean_text(title)
    for rel in list(word.part.rels.values()):
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            _set_field_result(rel.target_part.element, "TITLE", title)


def running_head(title: str, width: int, size: float = HEADER_PT) -> str:
    """The title as it fits one line ``width`` twips wide: whole if it fits; else the part
    after its colon (the cluster's name) shortened at a word, with an ellipsis."""
    title = clean_text(title)
    if text_twips(title, size) <= width:
        return title
    kind, sep, name = title.partition(": ")
    head, words = (kind + sep, name.split()) if sep else ("", title.split())
    while len(words) > 1:
        words.pop()
        shortened = head + " ".join(words).rstrip(",;:(") + ELLIPSIS
        if text_twips(shortened, size) <= width:
            return shortened
    shortened = head.rstrip() + ELLIPSIS if head else ""
    if shortened and text_twips(shortened, size) <= width:
        return shortened
    while title and text_twips(title + ELLIPSIS, size) > width:  # a single overlong word
        title = title[:-1]
    return title + ELLIPSIS


def fit_headers(word: docx.document.Document, title: str, width: int) -> None:
    """Where the title is too long for the header's line (``width`` twips), the headers show it
    shortened (``running_head``) as plain text: a TITLE field would show the whole title again
    wherever fields are updated, and LibreOffice breaks an overlong field inside a word."""
    head = running_head(title, width)
    if head == clean_text(title):
        return
    for rel in list(word.part.rels.values()):
        if rel.reltype == RT.HEADER and not rel.is_external:
            _replace_field(rel.target_part.element, "TITLE", head)


def _replace_field(root: etree._Element, field: str, value: str) -> None:
    """Replace each ``field`` field in ``root`` (simple or complex) by a run of ``value``,
    formatted as the field's result was."""
    for simple in list(root.iter(qn("w:fldSimple"))):
        if simple.get(qn("w:instr"), "").split()[:1] == [field]:
            run = simple.find(qn("w:r"))
            simple.addprevious(_text_run(run, value))
            simple.getparent().remove(simple)
    for paragraph in root.iter(qn("w:p")):
        runs = list(paragraph.iter(qn("w:r")))
        begin = None
        for i, run in enumerate(runs):
            fld = run.find(qn("w:fldChar"))
            kind = fld.get(qn("w:fldCharType")) if fld is not None else None
            if kind == "begin" and begin is None:
                begin = i
            elif kind == "end" and begin is not None:
                span = runs[begin:i + 1]
                instruction = "".join(t.text or "" for r in span for t in r.iter(qn("w:instrText")))
                if instruction.split()[:1] == [field]:
                    shown = next((r for r in span if r.find(qn("w:t")) is not None), None)
                    span[0].addprevious(_text_run(shown, value))
                    for r in span:
                        r.getparent().remove(r)
                begin = None


def _text_run(model: etree._Element | None, value: str) -> etree._Element:
    """A run of ``value`` with ``model``'s run properties (none if no model)."""
    run = OxmlElement("w:r")
    r_pr = model.find(qn("w:rPr")) if model is not None else None
    if r_pr is not None:
        run.append(deepcopy(r_pr))
    t = OxmlElement("w:t")
    t.text = value
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    return run


def _set_field_result(root: etree._Element, field: str, value: str) -> None:
    for simple in root.iter(qn("w:fldSimple")):
        if simple.get(qn("w:instr"), "").split()[:1] == [field]:
            runs = simple.findall(qn("w:r"))
            for run in runs:
                simple.remove(run)
            add_text_run(simple, value)
    for paragraph in root.iter(qn("w:p")):
        state = None  # None, "instr", "result"
        instruction = ""
        result_runs: list[etree._Element] = []
        for run in paragraph.iter(qn("w:r")):
            fld = run.find(qn("w:fldChar"))
            kind = fld.get(qn("w:fldCharType")) if fld is not None else None
            if kind == "begin":
                state, instruction, result_runs = "instr", "", []
            elif kind == "separate" and state == "instr":
                state = "result"
            elif kind == "end" and state is not None:
                if instruction.split()[:1] == [field] and result_runs:
                    texts = [t for r in result_runs for t in r.findall(qn("w:t"))]
                    if texts:
                        texts[0].text = value
                        texts[0].set(qn("xml:space"), "preserve")
                        for t in texts[1:]:
                            t.text = ""
                state = None
            elif state == "instr":
                instruction += "".join(t.text or "" for t in run.findall(qn("w:instrText")))
            elif state == "result":
                result_runs.append(run)


def set_update_fields(word: docx.document.Document) -> None:
    """``w:updateFields``: Word refreshes the TOC (page numbers) and captions on opening."""
    settings = word.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    successors = (
        "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
        "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
        "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
        "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
        "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
    )
    tags = {qn(t) for t in successors}
    after = next((el for el in settings if el.tag in tags), None)
    if after is not None:
        after.addprevious(update)
    else:
        settings.append(update)
