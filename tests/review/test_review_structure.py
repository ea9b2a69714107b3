"""Structure-safe merging: whatever a reviewer moved, joined, split or retyped, the regenerated
report has the new generation's structure once, with the reviewer's blocks in their places (edits
made with python-docx here, as Word writes them; tests/review/test_review_libreoffice.py makes them
in LibreOffice itself)."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import docx
import pytest
from conftest import ROOT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from cluster_reports import render, resources
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io
from cluster_reports.review import merge
from cluster_reports.review import reviewed as reviewed_file
from cluster_reports.review.harvest import harvest
from cluster_reports.review.outcome import HISTORY
from cluster_reports.writers.docx.blocks import paragraph_text

CLUSTER = "jawa-tengah/kebumen-roof-tile"


@pytest.fixture(scope="module")
def params(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("structure") / "params"
    shutil.copytree(ROOT / "params", target)
    return target / "clusters"


@pytest.fixture(scope="module")
def generated(params, tmp_path_factory) -> Path:
    """One render of the Kebumen profile (English Word file), copied for each test."""
    out = tmp_path_factory.mktemp("generated")
    assert _render(params, out).error is None
    return out / CLUSTER / "profile.en.docx"


@pytest.fixture
def doc(generated, tmp_path) -> Path:
    target = tmp_path / "out" / CLUSTER / "profile.en.docx"
    target.parent.mkdir(parents=True)
    shutil.copy2(generated, target)
    return target


def _render(params: Path, out: Path) -> render.Outcome:
    loaded = params_io.load_file(params / f"{CLUSTER}.yaml")
    everyone, _ = params_io.load_many([params])
    peers = [summary.summarise(item) for item in everyone]
    return render.render_cluster(loaded, ["profile"], ["en"], ["docx"], out, peers, resources.templates())


def _regenerate(params: Path, doc: Path):
    outcome = _render(params, doc.parents[2])
    assert outcome.error is None, outcome.error
    [review] = outcome.reviews or [None]
    return review


def _structure(path: Path) -> tuple[list[str], int]:
    word = docx.Document(str(path))
    headings = [p.text for p in word.paragraphs if p.style.name.lower().startswith("heading")]
    return headings, len(word.tables)


def _body_text(path: Path) -> str:
    word = docx.Document(str(path))
    return "\n".join(paragraph_text(p) for p in word.element.body.iter(qn("w:p")))


def _blocks(path: Path):
    return reviewed_file.open_reviewed(path)


def _set_text(p, text: str) -> None:
    for run in p.findall(qn("w:r")):
        p.remove(run)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(t)
    p.append(run)


def _strip_marks(p) -> None:
    for mark in list(p.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd"))):
        mark.getparent().remove(mark)


def test_a_paragraph_moved_into_another_block_stays_where_the_reviewer_put_it(params, doc, generated):
    reviewed = _blocks(doc)
    moved = reviewed.reading.blocks["products"].elements[0]
    moved_text = paragraph_text(moved)
    reviewed.reading.blocks["summary"].elements[-1].addnext(moved)  # cut from products, pasted
    reviewed.word.save(str(doc))

    review = _regenerate(params, doc)
    assert _structure(doc) == _structure(generated)  # every heading and table once
    texts = reviewed_file.block_texts(doc)
    assert texts["summary"][-1] == moved_text
    assert moved_text not in texts.get("products", [])  # its only paragraph went
    assert _body_text(doc).count(moved_text) == 1
    assert review.moved_in == {"summary": ["products"]}
    assert set(review.kept) == {"summary", "products"}
    assert not [e for e in review.outside if e.what == "removed"]
    # Harvest takes the block's own paragraphs only: no heading or table cell among them.
    result = harvest(doc, params.parent)
    assert "summary" in result.blocks
    headings, _ = _structure(doc)
    assert not set(texts["summary"]) & set(headings)


def test_two_blocks_joined_into_one_paragraph_print_once(params, doc, generated):
    reviewed = _blocks(doc)
    first, second = (reviewed.reading.blocks[b].elements for b in ("history", "history-support"))
    assert first[-1].getnext() is not second[0]  # a table stands between them
    # The reviewer joins the last paragraph of "history" with the first of "history-support".
    for node in list(second[0]):
        if node.tag != qn("w:pPr"):
            first[-1].append(node)
    second[0].getparent().remove(second[0])
    joined = paragraph_text(first[-1])
    reviewed.word.save(str(doc))

    _regenerate(params, doc)
    assert _structure(doc) == _structure(generated)
    assert _body_text(doc).count(joined) == 1


def test_a_block_joined_with_the_heading_after_it_keeps_the_heading_once(params, doc, generated):
    reviewed = _blocks(doc)
    last = reviewed.reading.blocks["summary"].elements[-1]
    heading = last.getnext()
    heading_text = paragraph_text(heading)
    assert heading_text.endswith("Basic data")
    for node in list(heading):
        if node.tag != qn("w:pPr"):
            last.append(node)
    heading.getparent().remove(heading)
    reviewed.word.save(str(doc))

    review = _regenerate(params, doc)
    assert _structure(doc) == _structure(generated)
    summary_text = reviewed_file.block_texts(doc)["summary"]
    assert not summary_text[-1].endswith(heading_text)
    assert [e for e in review.outside if e.what == "merged" and e.text == heading_text]


def test_a_paragraph_added_after_a_block_and_a_retyped_paragraph_are_kept(params, doc, generated):
    reviewed = _blocks(doc)
    last = reviewed.reading.blocks["firms"].elements[-1]
    added = copy.deepcopy(last)
    _strip_marks(added)
    _set_text(added, "A paragraph the reviewer added after pressing Enter.")
    last.addnext(added)
    # "basic-data" has one paragraph: the reviewer selects it whole and types over it (its mark goes).
    [only] = reviewed.reading.blocks["basic-data"].elements
    _strip_marks(only)
    _set_text(only, "The reviewer's own introduction to the basic data.")
    reviewed.word.save(str(doc))

    review = _regenerate(params, doc)
    texts = reviewed_file.block_texts(doc)
    assert texts["firms"][-1] == "A paragraph the reviewer added after pressing Enter."
    assert texts["basic-data"] == ["The reviewer's own introduction to the basic data."]
    assert {"firms", "basic-data"} <= set(review.kept)
    assert _structure(doc) == _structure(generated)


def test_edits_outside_the_blocks_are_reported_with_their_cell_and_heading(params, doc):
    word = docx.Document(str(doc))
    cell = word.tables[0].rows[1].cells[1]
    was = cell.text
    cell.paragraphs[0].runs[0].text = "corrected by the reviewer"
    heading = next(p for p in word.paragraphs if p.text.endswith("Basic data"))
    heading.runs[-1].text = heading.runs[-1].text.replace("Basic data", "Basic facts")
    word.save(str(doc))

    review = _regenerate(params, doc)
    [cell_edit] = [e for e in review.outside if e.what == "cell"]
    assert cell_edit.was == was and cell_edit.text == "corrected by the reviewer"
    caption, row, column, header = cell_edit.where.split("|")
    assert caption.endswith("Basic data of the cluster") and (row, column) == ("2", "2")
    assert header == "Value"
    assert f"{caption}, row 2, column “Value”" in review.report.read_text(encoding="utf-8")
    [changed] = [e for e in review.outside if e.what == "changed"]
    assert changed.was.endswith("Basic data") and changed.text.endswith("Basic facts")
    assert review.history is not None and review.report.exists()


def test_history_only_for_reviewer_work_and_kept_to_the_limit(params, doc, monkeypatch):
    _regenerate(params, doc)
    assert not (doc.parent / HISTORY).exists()  # an unedited file is not copied
    for _ in range(4):
        merge.keep_history(doc, limit=3)
    assert len(list((doc.parent / HISTORY).glob("profile.en.*.docx"))) == 3
    monkeypatch.setenv("CLUSTER_REPORTS_HISTORY", "2")
    merge.keep_history(doc)
    assert len(list((doc.parent / HISTORY).glob("profile.en.*.docx"))) == 2


def test_formatting_alone_is_an_edit_kept_like_text(params, doc):
    reviewed = _blocks(doc)
    [first, *_] = reviewed.reading.blocks["markets"].elements
    run = first.find(qn("w:r"))
    rpr = run.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        run.insert(0, rpr)
    rpr.append(OxmlElement("w:b"))  # the reviewer makes the first words bold; the text is unchanged
    before = paragraph_text(first)
    reviewed.word.save(str(doc))

    review = _regenerate(params, doc)
    assert "markets" in review.kept and review.formatted == ["markets"]
    again = _blocks(doc).reading.blocks["markets"].elements[0]
    assert paragraph_text(again) == before
    assert again.find(qn("w:r")).find(qn("w:rPr")).find(qn("w:b")) is not None
    assert review.history is not None  # the reviewer's file is kept before it is replaced


def test_formatting_alone_is_harvested_and_shown_in_word_and_html(params, doc):
    import yaml

    reviewed = _blocks(doc)
    first = reviewed.reading.blocks["markets"].elements[0]
    run = first.find(qn("w:r"))
    rpr = run.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        run.insert(0, rpr)
    rpr.append(OxmlElement("w:i"))
    reviewed.word.save(str(doc))
    overrides = params / "jawa-tengah" / "kebumen-roof-tile.overrides.yaml"
    try:
        result = harvest(doc, params.parent)
        assert result.blocks == ["markets"]
        data = yaml.safe_load(overrides.read_text(encoding="utf-8"))
        wording = data["documents"]["profile"]["markets"]["en"]
        assert any(span.get("italic") for span in wording["text"][0])
        outcome = render.render_cluster(
            params_io.load_file(params / f"{CLUSTER}.yaml"), ["profile"], ["en"], ["html"],
            doc.parents[2], [], resources.templates())
        assert outcome.error is None
        page = (doc.parent / "profile.en.html").read_text(encoding="utf-8")
        assert "<em>" in page.split('data-block-id="markets"')[1].split("</section>")[0]
    finally:
        overrides.unlink(missing_ok=True)  # the module's other tests render without it


def test_the_history_option_keeps_the_last_copies(params, doc, monkeypatch):
    from typer.testing import CliRunner

    from cluster_reports.cli import app

    monkeypatch.setenv("CLUSTER_REPORTS_HISTORY", "10")  # undone after the test: the option sets it
    reviewed = _blocks(doc)
    _set_text(reviewed.reading.blocks["products"].elements[0], "The reviewer's account of the products.")
    reviewed.word.save(str(doc))
    command = ["render", str(params / f"{CLUSTER}.yaml"), "--doc", "profile", "--lang", "en",
               "--format", "docx", "--out", str(doc.parents[2]), "--params-root", str(params),
               "--history", "1"]
    for _ in range(2):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 0, result.output
    assert "reviewed:" in result.output
    assert len(list((doc.parent / HISTORY).glob("profile.en.*.docx"))) == 1
    assert reviewed_file.block_texts(doc)["products"] == ["The reviewer's account of the products."]


def test_a_reviewed_copy_under_another_name_is_read_and_set_aside(params, doc):
    copy_path = doc.with_name("profile.en (reviewed).docx")
    shutil.copy2(doc, copy_path)
    reviewed = _blocks(copy_path)
    _set_text(reviewed.reading.blocks["products"].elements[0], "Products as the reviewer sees them.")
    reviewed.word.save(str(copy_path))

    review = _regenerate(params, doc)
    assert review.source == copy_path and "products" in review.kept
    assert reviewed_file.block_texts(doc)["products"] == ["Products as the reviewer sees them."]
    assert not copy_path.exists()  # set aside, so that it is not read again
    [aside] = review.set_aside
    assert aside.parent.name == HISTORY and aside.name.startswith("profile.en (reviewed).")
    assert "profile.en (reviewed).docx" in review.report.read_text(encoding="utf-8")
    # The next render reads the document's own file, which now holds the reviewer's text.
    again = _regenerate(params, doc)
    assert again.source is None and "products" in again.kept


def test_harvested_wording_keeps_the_shape_of_a_block_with_a_list():
    from cluster_reports.compose.composer import apply_overrides
    from cluster_reports.compose.tree import Block, BulletList, Paragraph, Run

    def block():
        return Block("condition-x-actions", [Paragraph([Run("Actions:", bold=True)]),
                                             BulletList([[Run("One")], [Run("Two")]])])

    items = block()
    apply_overrides([items], {"condition-x-actions": ["Actions:", "One", "Two", "Three, added"]}, "f")
    label, actions = items.children
    assert isinstance(label, Paragraph) and isinstance(actions, BulletList)
    assert [item[0].text for item in actions.items] == ["One", "Two", "Three, added"]
    plain = Block("summary", [Paragraph([Run("Old.")])])
    apply_overrides([plain], {"summary": ["New.", "Second."]}, "f")
    assert all(isinstance(child, Paragraph) for child in plain.children)


def test_a_narrative_cell_and_a_caption_edited_are_kept_in_their_places(params, doc, generated):
    reviewed = _blocks(doc)
    [cell] = reviewed.reading.blocks["tbl-constraints.1.2"].elements
    _set_text(cell, "Quality differs between kilns, as the reviewer puts it.")
    [caption] = reviewed.reading.blocks["caption-tbl-constraints"].elements
    last = [t for t in caption.iter(qn("w:t"))][-1]
    last.text = last.text + " (reviewed)"
    reviewed.word.save(str(doc))

    review = _regenerate(params, doc)
    assert {"tbl-constraints.1.2", "caption-tbl-constraints"} <= set(review.kept)
    texts = reviewed_file.block_texts(doc)
    assert texts["tbl-constraints.1.2"] == ["Quality differs between kilns, as the reviewer puts it."]
    assert texts["caption-tbl-constraints"][0].endswith("(reviewed)")
    assert not texts["caption-tbl-constraints"][0].startswith("Table")  # its number is the writer's
    assert _structure(doc) == _structure(generated)
    assert not [e for e in review.outside if e.what == "cell"]


@pytest.mark.clients
def test_a_libreoffice_resave_of_every_kind_is_no_edit(params, tmp_path):
    """Page and section breaks, landscape pages, forms and captions of every document kind come
    through a plain LibreOffice save without counting as a reviewer's work."""
    import clients

    cluster = "sulawesi-tengah/palu-cacao-processing"
    loaded = params_io.load_file(params / f"{cluster}.yaml")
    everyone, _ = params_io.load_many([params])
    peers = [summary.summarise(item) for item in everyone]
    kinds = ["profile", "strategy", "action-plan", "monitoring", "guideline"]
    out = tmp_path / "out"
    assert render.render_cluster(loaded, kinds, ["id"], ["docx"], out, peers,
                                 resources.templates()).error is None
    folder = out / cluster
    for path in sorted(folder.glob("*.docx")):
        shutil.copy2(clients.docx_resave(path, tmp_path / "resaved"), path)
    outcome = render.render_cluster(loaded, kinds, ["id"], ["docx"], out, peers, resources.templates())
    assert outcome.error is None
    assert [(r.path.name, r.kept, [e.what for e in r.outside]) for r in outcome.reviews] == []
    assert not (folder / HISTORY).exists()


def test_a_generated_file_nobody_saved_is_seen_at_once_and_any_save_is_read(params, doc):
    assert merge.untouched(doc)  # sealed: generated text only, as written
    docx.Document(str(doc)).save(str(doc))  # a save, even with no edit, rewrites the body
    assert not merge.untouched(doc)
    assert _regenerate(params, doc) is None  # read in full, and no edit found
    assert merge.untouched(doc)
    reviewed = _blocks(doc)
    _set_text(reviewed.reading.blocks["products"].elements[0], "Kept by the reviewer.")
    reviewed.word.save(str(doc))
    _regenerate(params, doc)
    assert not merge.untouched(doc)  # it holds the reviewer's work: read again next time
