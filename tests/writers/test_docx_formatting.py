"""A block's formatting fingerprint: a reviewer's bold, italic or link is a difference, a word
processor's plain re-save is none (edits made with python-docx and in LibreOffice itself)."""

from __future__ import annotations

import copy
import difflib
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

import clients
import pytest
from conftest import ROOT, SAMPLE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.run import Run

from cluster_reports import render, resources
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io
from cluster_reports.review import reviewed as reviewed_file
from cluster_reports.writers.docx.blocks import paragraph_text
from cluster_reports.writers.docx.formatting import describe, fingerprint

CLUSTER = "jawa-tengah/kebumen-roof-tile"
UNO_SCRIPT = ROOT / "tests" / "review" / "uno_bold.py"
SYSTEM_PYTHON = "/usr/bin/python3"  # has LibreOffice's uno module (python3-uno)


def _render(out: Path, docs: list[str], langs: list[str]) -> None:
    loaded = params_io.load_file(SAMPLE / f"{CLUSTER}.yaml")
    everyone, _ = params_io.load_many([SAMPLE])
    peers = [summary.summarise(item) for item in everyone]
    render.render_cluster(loaded, docs, langs, ["docx"], out, peers, resources.templates())


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fmt-profile")
    _render(out, ["profile"], ["en"])
    return out / CLUSTER / "profile.en.docx"


def _open(path: Path) -> reviewed_file.Reviewed:
    return reviewed_file.open_reviewed(path)


def _digests(path: Path) -> dict[str, str]:
    reviewed = _open(path)
    return {b: fingerprint(span.elements, reviewed.word) for b, span in reviewed.reading.blocks.items()}


def _edited(profile: Path, tmp_path: Path, name: str, edit) -> Path:
    """A copy of the profile with ``edit(word, paragraph)`` applied to the first paragraph of
    the 'markets' block; the copy's path."""
    reviewed = _open(profile)
    edit(reviewed.word, reviewed.reading.blocks["markets"].elements[0])
    path = tmp_path / f"{name}.docx"
    reviewed.word.save(str(path))
    return path


def _isolate(p, start: int, end: int):
    """Split the paragraph's one run so that characters ``start:end`` of its text are a run of
    their own (the same formatting as before); that run."""
    (run,) = p.findall(qn("w:r"))
    text = run.find(qn("w:t")).text
    pieces = []
    for part in (text[:start], text[start:end], text[end:]):
        new = copy.deepcopy(run)
        t = new.find(qn("w:t"))
        t.text = part
        t.set(qn("xml:space"), "preserve")
        run.addprevious(new)
        pieces.append(new)
    p.remove(run)
    return pieces[1]


def _word_at(p, word: str, nth: int = 0) -> tuple[int, int]:
    starts = [m.start() for m in re.finditer(rf"\b{re.escape(word)}\b", paragraph_text(p))]
    assert len(starts) > nth, f"{word!r} occurs {len(starts)} times in {paragraph_text(p)!r}"
    return starts[nth], starts[nth] + len(word)


def _bold(word_text: str, nth: int = 0):
    def edit(word, p):
        Run(_isolate(p, *_word_at(p, word_text, nth)), None).bold = True
    return edit


def test_a_generated_block_without_formatting_has_none_and_bold_generated_text_counts(tmp_path):
    _render(tmp_path, ["action-plan"], ["en"])
    reviewed = _open(tmp_path / CLUSTER / "action-plan.en.docx")
    blocks = reviewed.reading.blocks
    assert fingerprint(blocks["summary"].elements, reviewed.word) == ""
    vision = blocks["vision-statement"].elements
    assert len(fingerprint(vision, reviewed.word)) == 40
    (pieces,) = describe(vision, reviewed.word)
    assert [props for _text, props in pieces] == [{"bold": True}]
    assert pieces[0][0] == paragraph_text(vision[0]).strip()


def test_bold_on_one_word_is_a_difference_for_that_block_only(profile, tmp_path):
    edited = _edited(profile, tmp_path, "bold", _bold("channel"))
    before, after = _digests(profile), _digests(edited)
    assert before["markets"] == "" and after["markets"] != ""
    assert {b for b in before if before[b] != after[b]} == {"markets"}
    reviewed = _open(edited)
    assert describe(reviewed.reading.blocks["markets"].elements, reviewed.word)[0] == [
        ("channel", {"bold": True})]


def test_a_run_split_in_two_is_no_difference(profile, tmp_path):
    split = _edited(profile, tmp_path, "split", lambda word, p: _isolate(p, 5, 17))
    assert len(_open(split).reading.blocks["markets"].elements[0].findall(qn("w:r"))) == 3
    assert _digests(split) == _digests(profile)
    # and the same bold in one run or two is the same
    one = _edited(profile, tmp_path, "one", _bold("main market"))

    def two_runs(word, p):
        start, end = _word_at(p, "main market")
        Run(_isolate(p, start, end), None).bold = True
        bold = p.findall(qn("w:r"))[1]
        t = bold.find(qn("w:t"))
        second = copy.deepcopy(bold)
        t.text, second.find(qn("w:t")).text = "main ", "market"
        bold.addnext(second)

    two = _edited(profile, tmp_path, "two", two_runs)
    assert _digests(one)["markets"] == _digests(two)["markets"] != ""


def test_bold_moved_to_another_word_is_a_difference(profile, tmp_path):
    text = paragraph_text(_open(profile).reading.blocks["markets"].elements[0])
    word = next(w for w in set(re.findall(r"\b[a-z]{3,}\b", text))
                if len(re.findall(rf"\b{w}\b", text)) >= 2)  # a word the paragraph has twice
    first = _digests(_edited(profile, tmp_path, "first", _bold(word, 0)))["markets"]
    second = _digests(_edited(profile, tmp_path, "second", _bold(word, 1)))["markets"]
    other = _digests(_edited(profile, tmp_path, "other", _bold("channel")))["markets"]
    assert len({first, second, other, ""}) == 4
    italic = _digests(_edited(profile, tmp_path, "italic", lambda w, p: setattr(
        Run(_isolate(p, *_word_at(p, "channel")), None), "italic", True)))["markets"]
    assert italic not in {other, ""}


def _link(url: str | None, anchor: str | None = None):
    def edit(word, p):
        run = _isolate(p, *_word_at(p, "channel"))
        link = OxmlElement("w:hyperlink")
        if url:
            link.set(qn("r:id"), word.part.relate_to(url, RT.HYPERLINK, is_external=True))
        if anchor:
            link.set(qn("w:anchor"), anchor)
        run.addprevious(link)
        link.append(run)
    return edit


def test_a_link_added_is_a_difference_and_its_address_counts(profile, tmp_path):
    plain = _digests(profile)["markets"]
    one = _digests(_edited(profile, tmp_path, "link1", _link("https://kebumenkab.go.id/")))["markets"]
    other = _digests(_edited(profile, tmp_path, "link2", _link("https://jatengprov.go.id/")))["markets"]
    inner = _digests(_edited(profile, tmp_path, "link3", _link(None, "_Toc_cr_1")))["markets"]
    assert len({plain, one, other, inner}) == 4


def _tracked(tag: str, word_text: str):
    """Wrap a word and its space, made bold, in a tracked deletion or insertion."""
    def edit(word, p):
        start, end = _word_at(p, word_text)
        run = _isolate(p, start, end + 1)
        Run(run, None).bold = True
        change = OxmlElement(tag)
        change.set(qn("w:id"), "901")
        change.set(qn("w:author"), "Reviewer")
        run.addprevious(change)
        change.append(run)
        if tag == "w:del":
            run.find(qn("w:t")).tag = qn("w:delText")
        Run(_isolate_after(p, "channel"), None).bold = True
    return edit


def _isolate_after(p, word_text: str):
    """Make ``word_text`` (in the paragraph's last run) a run of its own."""
    run = p.findall(qn("w:r"))[-1]
    t = run.find(qn("w:t"))
    start = t.text.index(word_text)
    pieces = []
    for part in (t.text[:start], word_text, t.text[start + len(word_text):]):
        new = copy.deepcopy(run)
        new.find(qn("w:t")).text = part
        new.find(qn("w:t")).set(qn("xml:space"), "preserve")
        run.addprevious(new)
        pieces.append(new)
    p.remove(run)
    return pieces[1]


def test_a_tracked_deletion_of_a_bold_word_is_as_if_the_word_were_gone(profile, tmp_path):
    # "The main market channel ...": "main" deleted (bold, tracked), "channel" bold
    deleted = _edited(profile, tmp_path, "del", _tracked("w:del", "main"))

    def gone(word, p):
        t = p.find(f"{qn('w:r')}/{qn('w:t')}")
        t.text = t.text.replace("main ", "", 1)
        Run(_isolate(p, *_word_at(p, "channel")), None).bold = True

    without = _edited(profile, tmp_path, "gone", gone)
    assert _digests(deleted)["markets"] == _digests(without)["markets"] != ""
    inserted = _edited(profile, tmp_path, "ins", _tracked("w:ins", "main"))
    assert _digests(inserted)["markets"] not in {_digests(deleted)["markets"], ""}


def test_explicit_values_equal_to_the_style_and_a_bold_space_are_no_formatting(profile, tmp_path):
    def explicit(word, p):
        (run,) = p.findall(qn("w:r"))
        r_pr = run.get_or_add_rPr()
        for tag, val in (("w:b", "0"), ("w:i", "false"), ("w:color", "1F2A30"), ("w:sz", "21"),
                         ("w:u", "none"), ("w:highlight", "none"), ("w:vertAlign", "baseline")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            r_pr.append(el)
        fonts = OxmlElement("w:rFonts")
        fonts.set(qn("w:ascii"), "Arial")
        fonts.set(qn("w:hAnsi"), "Arial")
        r_pr.insert(0, fonts)
        space = _isolate(p, 8, 9)  # "The main| |market"
        assert space.find(qn("w:t")).text == " "
        Run(space, None).bold = True

    assert _digests(_edited(profile, tmp_path, "explicit", explicit))["markets"] == ""
    red = _digests(_edited(profile, tmp_path, "red", lambda w, p: p.find(qn("w:r")).get_or_add_rPr()
                           .append(_element("w:color", "C00000"))))["markets"]
    assert red != ""


def _element(tag: str, val: str):
    el = OxmlElement(tag)
    el.set(qn("w:val"), val)
    return el


# --- LibreOffice itself ---------------------------------------------------------------------------

# A reviewer's formatting of every kind, as Word writes it: (text, rPr children, link)
FORMATTED = [
    ("Bold ", [("w:b", {})], None), ("italic ", [("w:i", {})], None),
    ("double ", [("w:u", {"w:val": "double"})], None), ("struck ", [("w:strike", {})], None),
    ("marked ", [("w:highlight", {"w:val": "yellow"})], None),
    ("shaded ", [("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": "D9E2F3"})], None),
    ("red ", [("w:color", {"w:val": "C00000"})], None), ("big ", [("w:sz", {"w:val": "28"})], None),
    ("serif", [("w:rFonts", {"w:ascii": "Times New Roman", "w:hAnsi": "Times New Roman"})], None),
    ("2", [("w:vertAlign", {"w:val": "superscript"})], None),
    (" and a ", [("w:b", {"w:val": "0"}), ("w:color", {"w:val": "1F2A30"})], None),
    ("site", [("w:rStyle", {"w:val": "Hyperlink"})], "https://kebumenkab.go.id/"),
    (" or the ", [], None), ("summary", [("w:rStyle", {"w:val": "Hyperlink"})], "#_Toc_cr_1"),
    (", code", [("w:rStyle", {"w:val": "Code"})], None), (" in ", [], None),
    ("two ", [("w:b", {}), ("w:i", {})], None), ("runs", [("w:b", {}), ("w:i", {})], None), (".", [], None),
]


def _formatted(source: Path, target: Path) -> None:
    """A copy of ``source`` whose 'markets' block's first paragraph is ``FORMATTED``."""
    reviewed = _open(source)
    p = reviewed.reading.blocks["markets"].elements[0]
    end = p.find(qn("w:bookmarkEnd"))
    for run in p.findall(qn("w:r")):
        p.remove(run)
    for text, props, href in FORMATTED:
        run = OxmlElement("w:r")
        if props:
            r_pr = OxmlElement("w:rPr")
            for tag, attrs in props:
                el = OxmlElement(tag)
                for key, value in attrs.items():
                    el.set(qn(key), value)
                r_pr.append(el)
            run.append(r_pr)
        t = OxmlElement("w:t")
        t.text = text
        t.set(qn("xml:space"), "preserve")
        run.append(t)
        if href:
            link = OxmlElement("w:hyperlink")
            if href.startswith("#"):
                link.set(qn("w:anchor"), href[1:])
            else:
                link.set(qn("r:id"), reviewed.word.part.relate_to(href, RT.HYPERLINK, is_external=True))
            link.append(run)
            run = link
        end.addprevious(run)
    reviewed.word.save(str(target))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unique_word(reviewed: reviewed_file.Reviewed, block: str) -> str:
    """A word of the block that occurs nowhere else in the document (so LibreOffice's search
    finds it there)."""
    everything = " ".join(paragraph_text(p) for p in reviewed.word.element.body.iter(qn("w:p")))
    for p in reviewed.reading.blocks[block].elements:
        for word in re.findall(r"\b[A-Za-z]{6,}\b", paragraph_text(p)):
            if len(re.findall(rf"\b{word}\b", everything)) == 1:
                return word
    raise AssertionError(f"no word of {block!r} is unique in {reviewed.path}")


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory):
    """The Kebumen profile and action plan in both languages, each re-saved by LibreOffice
    without an edit, and two with a word made bold or italic there: one rendering, one
    LibreOffice (own profile, free port, stopped by its pid)."""
    soffice = clients.require_soffice()
    assert os.access(SYSTEM_PYTHON, os.X_OK), "python3-uno is needed: apt-get install python3-uno"
    out = tmp_path_factory.mktemp("fmt-lo")
    _render(out, ["profile", "action-plan"], ["en", "id"])
    folder = out / CLUSTER
    _formatted(folder / "profile.en.docx", folder / "formatted.en.docx")
    names = ["profile.en", "profile.id", "action-plan.en", "action-plan.id", "formatted.en"]
    edits = {"profile.en": ("markets", "bold"), "action-plan.id": ("budget", "italic")}
    jobs, words = [], {}
    for name in names:
        jobs.append({"in": str(folder / f"{name}.docx"), "out": str(out / "resaved" / f"{name}.docx"),
                     "find": None, "make": None})
    for name, (block, make) in edits.items():
        words[name] = _unique_word(_open(folder / f"{name}.docx"), block)
        jobs.append({"in": str(folder / f"{name}.docx"), "out": str(out / "edited" / f"{name}.docx"),
                     "find": words[name], "make": make})
    (out / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="fmt-lo-profile-") as profile_dir:
        office = subprocess.Popen(
            [soffice, "--headless", "--invisible", "--norestore", "--nologo",
             f"-env:UserInstallation={Path(profile_dir).as_uri()}",
             f"--accept=socket,host=127.0.0.1,port={port};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            done = subprocess.run([SYSTEM_PYTHON, str(UNO_SCRIPT), str(port), str(out / "jobs.json")],
                                  capture_output=True, text=True, timeout=300)
        finally:
            os.killpg(office.pid, signal.SIGKILL)
            office.wait(timeout=30)
    assert done.returncode == 0, f"the UNO script failed:\n{done.stderr[-2000:]}"
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert [f["found"] for f in found[len(names):]] == [True, True], words
    return folder, out, edits, words


@pytest.mark.clients
@pytest.mark.parametrize("name", ["profile.en", "profile.id", "action-plan.en", "action-plan.id",
                                  "formatted.en"])
def test_a_libreoffice_resave_without_edit_changes_no_digest(libreoffice, name):
    folder, out, _edits, _words = libreoffice
    generated, resaved = _open(folder / f"{name}.docx"), _open(out / "resaved" / f"{name}.docx")
    before = {b: fingerprint(s.elements, generated.word) for b, s in generated.reading.blocks.items()}
    after = {b: fingerprint(s.elements, resaved.word) for b, s in resaved.reading.blocks.items()}
    assert len(before) > 20 and after == before
    if name.startswith("action-plan"):
        assert before["vision-statement"] != ""  # generated bold, kept as such
    if name == "formatted.en":  # a reviewer's formatting of every kind, re-saved, reads the same
        pieces = describe(resaved.reading.blocks["markets"].elements, resaved.word)[0]
        assert [text for text, _props in pieces] == [
            "Bold", "italic", "double", "struck", "marked", "shaded", "red", "big", "serif", "2",
            "site", "summary", ", code", "two runs"]
        assert pieces[10][1]["link"] == "https://kebumenkab.go.id/"
        assert pieces[4][1] == {"background": "FFFF00"}
    # every paragraph of the document, tables' cells and the contents included, reads the same
    # (LibreOffice writes a table style's header bold into the runs)
    ps = [list(doc.word.element.body.iter(qn("w:p"))) for doc in (generated, resaved)]
    texts = [[paragraph_text(p) for p in group] for group in ps]
    matcher = difflib.SequenceMatcher(None, *texts, autojunk=False)
    pairs = [(i, j) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag == "equal"
             for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
    assert len(pairs) > 0.95 * len(ps[0])
    differing = [texts[0][i] for i, j in pairs
                 if fingerprint([ps[0][i]], generated.word) != fingerprint([ps[1][j]], resaved.word)]
    assert differing == []


@pytest.mark.clients
@pytest.mark.parametrize("name", ["profile.en", "action-plan.id"])
def test_a_word_made_bold_or_italic_in_libreoffice_changes_that_block_only(libreoffice, name):
    folder, out, edits, words = libreoffice
    block, make = edits[name]
    generated, edited = _open(folder / f"{name}.docx"), _open(out / "edited" / f"{name}.docx")
    before = {b: fingerprint(s.elements, generated.word) for b, s in generated.reading.blocks.items()}
    after = {b: fingerprint(s.elements, edited.word) for b, s in edited.reading.blocks.items()}
    assert before.keys() == after.keys()
    assert {b for b in before if before[b] != after[b]} == {block}
    pieces = [piece for paragraph in describe(edited.reading.blocks[block].elements, edited.word)
              for piece in paragraph]
    assert pieces == [(words[name], {"bold" if make == "bold" else "italic": True})]
