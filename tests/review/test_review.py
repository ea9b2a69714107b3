"""Reviewers' edits survive regeneration: kept, updated and conflicting blocks, edits outside the
blocks, history, tracked changes and comments, a real word processor's save, and harvest."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import clients
import docx
import pytest
from checks import edit_block
from conftest import ROOT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from cluster_reports import render, resources
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io
from cluster_reports.review import merge, report
from cluster_reports.review import reviewed as reviewed_file
from cluster_reports.review.harvest import harvest
from cluster_reports.review.outcome import HISTORY, Review

CLUSTER = "jawa-tengah/kebumen-roof-tile"
VENV_BIN = Path(sys.executable).parent


@pytest.fixture
def params(tmp_path: Path) -> Path:
    target = tmp_path / "params"
    shutil.copytree(ROOT / "params", target)
    return target / "clusters"


def _render(params: Path, out: Path, langs=("en",), formats=("docx",)) -> render.Outcome:
    loaded = params_io.load_file(params / f"{CLUSTER}.yaml")
    everyone, _ = params_io.load_many([params])
    peers = [summary.summarise(item) for item in everyone]
    return render.render_cluster(loaded, ["profile"], list(langs), list(formats), out, peers,
                                 resources.templates())


def _docx(out: Path, lang: str = "en") -> Path:
    return out / CLUSTER / f"profile.{lang}.docx"


def _set_workers(params: Path, workers: int) -> None:
    path = params / f"{CLUSTER}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^workers: \d+$", f"workers: {workers}", text), encoding="utf-8")


def _texts(path: Path) -> dict[str, list[str]]:
    return reviewed_file.block_texts(path)


SUMMARY_NUMBER = "2,400 workers"


# --- the rules, on plain texts ---------------------------------------------------------------------


def test_decide_keeps_updates_and_conflicts():
    old = {"a": ["A"], "b": ["B"], "c": ["C"], "d": ["D"]}
    new = {"a": ["A2"], "b": ["B"], "c": ["C2"], "d": ["D"], "e": ["E"]}
    reviewer = {"a": ["A"], "b": ["B, reviewed"], "c": ["C, reviewed"], "d": ["D"]}
    result = Review(Path("x.docx"))
    keep = merge.decide(reviewer, {"d": ["comments"]}, old, new, result)
    assert keep == ["b", "d"]  # d: a comment counts as the reviewer's work
    assert result.updated == ["a"]
    assert [(c.block, c.reviewer, c.old, c.new) for c in result.conflicts] == [
        ("c", ["C, reviewed"], ["C"], ["C2"])
    ]


def test_a_reviewer_text_now_generated_is_no_conflict():
    """After harvest the new generated text is the reviewer's: nothing to resolve."""
    result = Review(Path("x.docx"))
    keep = merge.decide({"a": ["Mine"]}, {}, {"a": ["Old"]}, {"a": ["Mine"]}, result)
    assert keep == ["a"] and not result.conflicts


def test_outside_edits_are_described_under_their_heading():
    generated = ["Title", "Basic data", "Table 1", "Cell", "Sources"]
    reviewer = [("", "Title"), ("Basic data", "Basic data"), ("Basic data", "Table 1"),
                ("Basic data", "Cell, corrected"), ("Basic data", "A note of mine"),
                ("Sources", "Sources")]
    edits = [(e.what, e.heading, e.text, e.was) for e in merge.outside_edits(reviewer, generated)]
    assert ("changed", "Basic data", "", "Cell") in edits
    assert ("added", "Basic data", "Cell, corrected", None) in edits
    assert ("added", "Basic data", "A note of mine", None) in edits
    text = report.render_report(Review(Path("x.docx"), outside=merge.outside_edits(reviewer, generated)))
    assert "A paragraph added under “Basic data”:\n\n> A note of mine" in text


# --- regenerating a reviewed document -----------------------------------------------------------------


def test_kept_updated_and_outside_edits_with_history(params, tmp_path):
    out = tmp_path / "out"
    assert _render(params, out).error is None
    path = _docx(out)
    generated = _texts(path)
    assert SUMMARY_NUMBER in generated["summary"][0]
    edit_block(path, "products", "The reviewer's own account of the products.")
    word = docx.Document(str(path))
    word.add_paragraph("A remark the reviewer added after the sources.")
    word.save(str(path))
    reviewed_bytes = path.read_bytes()

    _set_workers(params, 2500)
    outcome = _render(params, out)
    assert outcome.error is None
    texts = _texts(path)
    assert texts["products"] == ["The reviewer's own account of the products."]  # kept
    assert "2,500 workers" in texts["summary"][0]  # untouched: new text
    assert texts["swot"] == generated["swot"]
    [result] = outcome.reviews
    assert result.kept == ["products"] and "summary" in result.updated
    assert any("A remark the reviewer added" in edit.text for edit in result.outside)
    history = list((path.parent / HISTORY).iterdir())
    assert len(history) == 1 and history[0].read_bytes() == reviewed_bytes
    report = result.report.read_text(encoding="utf-8")
    assert f"Your text kept in “{result.heading('products')}”" in report and "`products`" not in report
    assert "A remark the reviewer added" in report
    # Kept again on the next regeneration: the record still says what was generated.
    _set_workers(params, 2550)
    assert _render(params, out).error is None
    assert _texts(path)["products"] == ["The reviewer's own account of the products."]
    assert "2,550 workers" in _texts(path)["summary"][0]
    assert len(list((path.parent / HISTORY).iterdir())) == 2


def test_a_conflict_leaves_the_document_alone_and_writes_the_new_version(params, tmp_path):
    out = tmp_path / "out"
    _render(params, out)
    path = _docx(out)
    edit_block(path, "summary", "Kebumen, in the reviewer's words: 2,400 workers.")
    before = path.read_bytes()
    _set_workers(params, 2500)
    # The command line: exit status 1, the conflict named.
    result = subprocess.run(
        [str(VENV_BIN / "cluster-reports"), "render", str(params / f"{CLUSTER}.yaml"), "--params-root",
         str(params), "--doc", "profile", "--lang", "en", "--format", "docx,html", "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "conflict in the reviewed report" in result.stderr and "profile.en.new.docx" in result.stderr
    assert path.read_bytes() == before  # not overwritten
    assert (out / CLUSTER / "profile.en.html").is_file()  # the rest was written
    new = path.with_name("profile.en.new.docx")
    assert "2,500 workers" in _texts(new)["summary"][0]
    report = path.with_name("profile.en.review.md").read_text(encoding="utf-8")
    assert "### Conflict in “" in report and "`summary`" not in report
    assert "in the reviewer's words" in report  # the reviewer's text
    assert "~~2,400~~ **2,500** workers" in report  # what the new data changes, word by word
    assert not (path.parent / HISTORY).exists()  # nothing was replaced


def test_tracked_changes_and_comments_are_kept_and_reported(params, tmp_path):
    out = tmp_path / "out"
    _render(params, out)
    path = _docx(out)
    reviewed = reviewed_file.open_reviewed(path)
    word, span = reviewed.word, reviewed.reading.blocks["markets"]
    paragraph = docx.text.paragraph.Paragraph(span.elements[0], word.part)
    word.add_comment(paragraph.runs[0], text="Check the share of traders.", author="Reviewer")
    deleted = OxmlElement("w:del")
    for key, value in (("w:id", "901"), ("w:author", "Reviewer"), ("w:date", "2026-11-30T00:00:00Z")):
        deleted.set(qn(key), value)
    run = OxmlElement("w:r")
    deleted_text = OxmlElement("w:delText")
    deleted_text.text = "Struck out. "
    run.append(deleted_text)
    deleted.append(run)
    span.elements[0].append(deleted)
    word.save(str(path))

    _set_workers(params, 2500)
    outcome = _render(params, out)
    assert outcome.error is None
    [result] = outcome.reviews
    assert result.annotated == {"markets": ["tracked changes", "comments"]}
    assert "markets" in result.kept
    regenerated = docx.Document(str(path))
    body = regenerated.element.body
    assert body.findall(f".//{qn('w:del')}") and body.findall(f".//{qn('w:commentReference')}")
    assert [c.text for c in regenerated.comments] == ["Check the share of traders."]
    assert "This section holds tracked changes and comments." in result.report.read_text(encoding="utf-8")


def test_a_file_without_a_generation_record_is_kept_in_history(params, tmp_path):
    out = tmp_path / "out"
    path = _docx(out)
    path.parent.mkdir(parents=True)
    docx.Document().save(str(path))  # someone else's document where ours goes
    outcome = _render(params, out)
    assert outcome.error is None and outcome.reviews[0].unrecorded
    assert len(list((path.parent / HISTORY).iterdir())) == 1
    assert "summary" in _texts(path)


@pytest.mark.clients
def test_blocks_survive_a_libreoffice_save_and_are_kept(params, tmp_path):
    """A reviewer working in LibreOffice: the tags must survive its save for edits to be kept."""
    out = tmp_path / "out"
    _render(params, out)
    path = _docx(out)
    edit_block(path, "products", "Products, as the reviewer put it.")
    resaved_dir = tmp_path / "resaved"
    clients.docx_resave(path, resaved_dir)
    shutil.copy2(resaved_dir / path.name, path)
    assert _texts(path)["products"] == ["Products, as the reviewer put it."]

    _set_workers(params, 2500)
    outcome = _render(params, out)
    assert outcome.error is None, outcome.error
    texts = _texts(path)
    assert texts["products"] == ["Products, as the reviewer put it."]
    assert "2,500 workers" in texts["summary"][0]
    assert outcome.reviews[0].outside == []  # LibreOffice's own rewriting is nobody's edit
    pdf = clients.docx_to_pdf(path, tmp_path / "pdf")  # and the merged file opens
    assert "Products, as the reviewer put it." in clients.pdf_text(pdf)


# --- harvest: the reviewed wording becomes the source --------------------------------------------------


def test_harvest_writes_overrides_used_by_word_and_html(params, tmp_path):
    out = tmp_path / "out"
    _render(params, out, langs=("en", "id"), formats=("docx", "html"))
    path = _docx(out)
    wording = 'Reviewed: tiles <b>fired</b> in "tungku" & sold {{ far }}.'
    edit_block(path, "products", wording)
    result = harvest(path, params)
    assert result.blocks == ["products"]
    overrides = params / "jawa-tengah" / "kebumen-roof-tile.overrides.yaml"
    assert result.overrides == overrides and overrides.is_file()
    loaded = params_io.load_file(params / f"{CLUSTER}.yaml")
    assert loaded.parts["overrides"].blocks("profile", "en") == {"products": [wording]}

    _set_workers(params, 2500)
    outcome = _render(params, out, langs=("en", "id"), formats=("docx", "html"))
    assert outcome.error is None
    page = (out / CLUSTER / "profile.en.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;fired&lt;/b&gt;" in page and "<b>fired" not in page  # text, not markup
    assert wording in html.unescape(page)
    assert "Reviewed: tiles" not in (out / CLUSTER / "profile.id.html").read_text(encoding="utf-8")
    assert _texts(path)["products"] == [wording]
    # The reviewer's file now reads as generated: nothing to report for that block.
    assert not any(r.conflicts for r in outcome.reviews)


def test_harvest_refuses_what_it_cannot_place(params, tmp_path):
    out = tmp_path / "out"
    _render(params, out)
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    with pytest.raises(Exception, match="no record of the generated text"):
        harvest(plain, params)
    broken = tmp_path / "broken.docx"
    broken.write_text("not a zip")
    with pytest.raises(Exception, match="broken.docx: not a readable Word document"):
        harvest(broken, params)


def test_an_override_of_an_unknown_block_names_file_and_field(params, tmp_path):
    overrides = params / "jawa-tengah" / "kebumen-roof-tile.overrides.yaml"
    overrides.write_text(
        "cluster: kebumen-roof-tile\ndocuments:\n  profile:\n    sumary:\n      en: [Text]\n",
        encoding="utf-8",
    )
    outcome = _render(params, tmp_path / "out")
    assert outcome.error is not None
    assert "kebumen-roof-tile.overrides.yaml: documents.profile.sumary" in outcome.error
    assert "no such block" in outcome.error
    overrides.write_text("cluster: kebumen-roof-tile\ndocument: {}\n", encoding="utf-8")
    with pytest.raises(params_io.ParamsError) as caught:
        params_io.load_file(params / f"{CLUSTER}.yaml")
    assert any(p.field == "document" for p in caught.value.problems)
