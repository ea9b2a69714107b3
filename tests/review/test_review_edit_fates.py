"""The judge of the LibreOffice cases (tests/review/uno_cases.py) judges right: a document with a
section printed twice is corrupted, a bold word is seen only where it is bold, a paragraph moved is
seen in its new place. Edited here with python-docx and lxml, without LibreOffice."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import docx
import pytest
import uno_cases
from conftest import ROOT
from docx.oxml.ns import qn

from cluster_reports import render, resources
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fates")
    clusters = ROOT / "params" / "clusters"
    loaded = params_io.load_file(clusters / f"{uno_cases.CLUSTER}.yaml")
    everyone, _ = params_io.load_many([clusters])
    peers = [summary.summarise(item) for item in everyone]
    outcome = render.render_cluster(loaded, ["strategy"], ["en"], ["docx"], out, peers, resources.templates())
    assert outcome.error is None, outcome.error
    return out / uno_cases.CLUSTER / "strategy.en.docx"


def _case(expect=()) -> uno_cases.Case:
    return uno_cases.Case("probe", "strategy.en", [], list(expect))


def test_a_section_printed_twice_is_corruption(fresh, tmp_path):
    path = tmp_path / "twice.docx"
    word = docx.Document(str(fresh))
    body = word.element.body
    tops = [el for el in body if el.tag != qn("w:sectPr")]
    headings = [i for i, el in enumerate(tops) if el.tag == qn("w:p") and uno_cases.is_heading(el)]
    start, end = headings[1], headings[2]  # the vision section, with its text
    for el in tops[start:end]:
        tops[end - 1].addnext(copy.deepcopy(el))
    word.save(str(path))
    problems = uno_cases.structure_problems(uno_cases.read_docx(path), uno_cases.read_docx(fresh), _case())
    assert any("headings" in p and "twice" in p for p in problems), problems
    assert any("printed twice" in p for p in problems), problems
    same = tmp_path / "same.docx"
    shutil.copy2(fresh, same)
    assert uno_cases.structure_problems(uno_cases.read_docx(same), uno_cases.read_docx(fresh), _case()) == []


def test_bold_and_moves_are_seen_where_they_are(fresh, tmp_path):
    word = docx.Document(str(fresh))
    target = next(p for p in word.paragraphs if p.text.startswith("The pilot projects showed that only"))
    run = target.runs[0]
    run.text, rest = "The pilot projects", run.text[len("The pilot projects"):]
    run.bold = True
    run._r.addnext(copy.deepcopy(run._r))
    target.runs[1].text, target.runs[1].bold = rest, False
    anchor = next(p for p in word.paragraphs if p.text.startswith("The strategy keeps the cluster"))
    anchor._p.addnext(target._p)  # moved, not copied
    path = tmp_path / "edited.docx"
    word.save(str(path))
    edited, generated = uno_cases.read_docx(path), uno_cases.read_docx(fresh)
    bold = {"format": "The pilot projects", "prop": "bold"}
    assert uno_cases._check(edited, bold) is None
    assert uno_cases._check(generated, bold) is not None
    assert uno_cases._check(edited, {"format": "The pilot projects showed", "prop": "bold"}) is not None
    moved = {"after": ["The pilot projects showed that only", "The strategy keeps the cluster"]}
    assert uno_cases._check(edited, moved) is None
    assert uno_cases._check(generated, moved) is not None
    assert uno_cases.structure_problems(edited, generated, _case([bold])) == []  # a move is no corruption
