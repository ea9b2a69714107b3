"""The contents list's page numbers as LibreOffice lays the pages out, written into the .docx.

Word updates the TOC field itself (``w:updateFields``), but LibreOffice shows a TOC field's cached
result as it is and does not update it when it converts a file: without numbers in the cache, an
official's PDF has a contents list without page numbers. LibreOffice does compute a PAGEREF field
outside a TOC when it lays the pages out; so each file is converted once with its TOC field
markers taken out (the same paragraphs, the entries' PAGEREF fields live), the numbers are read off
the PDF's contents page, and written as the cached results of the real file's PAGEREF fields. The
TOC stays a TOC field, which Word can update.

Needs LibreOffice (``soffice``) and poppler's ``pdftotext``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from copy import deepcopy
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

from cluster_reports.atomic import write_atomic

DOCUMENT = "word/document.xml"
_LEADER_NUMBER = re.compile(r"\.{3,}\s*(\d+)\s*$")  # "Summary ........ 3"


class PageNumberError(RuntimeError):
    """The page numbers could not be found (LibreOffice or pdftotext missing or failing)."""


def missing_tools() -> list[str]:
    """The programs this needs that are not installed, with how to install them."""
    needs = {"soffice": "LibreOffice (apt-get install libreoffice-writer)",
             "pdftotext": "poppler (apt-get install poppler-utils)"}
    return [what for program, what in needs.items() if shutil.which(program) is None]


def _fields(root: etree._Element):
    """Every complex field in document order: (instruction, its runs from begin to end, the
    runs of its result)."""
    stack: list[dict] = []
    for run in root.iter(qn("w:r")):
        fld = run.find(qn("w:fldChar"))
        kind = fld.get(qn("w:fldCharType")) if fld is not None else None
        for field in stack:  # a nested field's runs are its outer fields' runs too
            field["runs"].append(run)
            if field is not stack[-1] and field["in_result"]:
                field["result"].append(run)
        if kind == "begin":
            stack.append({"instr": "", "runs": [run], "result": [], "in_result": False})
            continue
        if not stack:
            continue
        top = stack[-1]
        if kind == "separate":
            top["in_result"] = True
        elif kind == "end":
            stack.pop()
            yield top["instr"].strip(), top["runs"], top["result"]
        elif top["in_result"]:
            top["result"].append(run)
        else:
            top["instr"] += "".join(t.text or "" for t in run.iter(qn("w:instrText")))


def _toc_page_refs(root: etree._Element) -> tuple[list[etree._Element], list[list[etree._Element]]]:
    """The TOC field's own runs (begin, instruction, separate, end: not a nested field's) and
    the result runs of each PAGEREF field inside it, in order."""
    fields = list(_fields(root))
    toc = next((f for f in fields if f[0].split()[:1] == ["TOC"]), None)
    if toc is None:
        return [], []
    _, toc_runs, _ = toc
    own, depth, in_result = [], 0, False
    for run in toc_runs:
        fld = run.find(qn("w:fldChar"))
        kind = fld.get(qn("w:fldCharType")) if fld is not None else None
        depth += kind == "begin"
        if depth == 1 and (kind is not None
                           or (not in_result and run.find(qn("w:instrText")) is not None)):
            own.append(run)
            in_result = in_result or kind == "separate"
        depth -= kind == "end"
    inside = {id(r) for r in toc_runs}
    refs = [result for instr, runs, result in fields
            if instr.split()[:1] == ["PAGEREF"] and id(runs[0]) in inside]
    return own, refs


def _read(path: Path) -> tuple[list[tuple[zipfile.ZipInfo, bytes]], etree._Element]:
    with zipfile.ZipFile(path) as package:
        items = [(info, package.read(info.filename)) for info in package.infolist()]
    document = next(data for info, data in items if info.filename == DOCUMENT)
    return items, etree.fromstring(document)


def _write(items, root: etree._Element, target: Path) -> None:
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info, xml if info.filename == DOCUMENT else data)


def _run(cmd: list[str], timeout: float) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PageNumberError(f"{cmd[0]} failed: {exc}") from exc
    if done.returncode != 0:
        raise PageNumberError(f"{cmd[0]} failed (exit {done.returncode}): {done.stderr[-500:]}")
    return done.stdout


def number_contents(paths: list[Path], timeout: float = 600) -> list[str]:
    """Write into each .docx the page numbers of its contents list, as LibreOffice lays it out.

    One LibreOffice run converts every file. Returns a problem per file left unnumbered (none
    when all went well); raises ``PageNumberError`` when LibreOffice or pdftotext is missing or
    fails.
    """
    missing = missing_tools()
    if missing:
        raise PageNumberError(f"page numbers of the contents need {' and '.join(missing)}")
    problems: list[str] = []
    jobs = []
    with tempfile.TemporaryDirectory(prefix="cr-toc-pages-") as tmp:
        work = Path(tmp)
        for n, path in enumerate(paths):
            items, root = _read(path)
            markers, refs = _toc_page_refs(root)
            if not refs:
                continue  # no contents list, or one without entries
            variant = deepcopy(root)
            v_markers, _ = _toc_page_refs(variant)
            for run in v_markers:
                run.getparent().remove(run)
            source = work / f"doc{n}.docx"
            _write(items, variant, source)
            jobs.append((path, items, root, refs, source))
        if not jobs:
            return problems
        profile = (work / "profile").as_uri()
        _run(["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
              "--outdir", str(work), *(str(j[4]) for j in jobs)], timeout)
        for path, items, root, refs, source in jobs:
            pdf = source.with_suffix(".pdf")
            if not pdf.is_file():
                problems.append(f"{path}: LibreOffice wrote no PDF, contents left without numbers")
                continue
            text = _run(["pdftotext", "-layout", str(pdf), "-"], timeout)
            numbers = [m.group(1) for line in text.splitlines()
                       if (m := _LEADER_NUMBER.search(line))][:len(refs)]
            if len(numbers) != len(refs):
                problems.append(f"{path}: found {len(numbers)} of the {len(refs)} page numbers "
                                "of the contents; left without numbers")
                continue
            for result, number in zip(refs, numbers, strict=True):
                texts = [t for r in result for t in r.iter(qn("w:t"))]
                if texts:
                    texts[0].text = number
                    for t in texts[1:]:
                        t.text = ""
            write_atomic(path, lambda tmp_path, i=items, r=root: _write(i, r, tmp_path))
    return problems
