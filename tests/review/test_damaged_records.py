"""Damaged records never delete work: a reviewed .docx whose generation record (the custom
properties ``cr_*`` and the file's identity) is missing, empty, malformed or inconsistent with its
bookmarks is never overwritten; the new version is written beside it, the render says which
property is wrong and fails like a conflict, and harvest refuses the file (review/record_check.py).
An undamaged file, one LibreOffice saved, and one made by another tool are read as before."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from checks import edit_block
from conftest import ROOT
from lxml import etree

from cluster_reports import render, resources
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io
from cluster_reports.review import copies, merge, record_check
from cluster_reports.review import reviewed as reviewed_file
from cluster_reports.review.harvest import HarvestError, harvest
from cluster_reports.review.outcome import CONFLICT, HISTORY
from cluster_reports.writers.docx.properties import CUSTOM_NS, VT_NS, read_custom_properties

CLUSTER = "jawa-tengah/kebumen-roof-tile"
EDIT = "Products, as the reviewer put them."


@pytest.fixture(scope="module")
def params(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("damaged") / "params"
    shutil.copytree(ROOT / "params", target)
    return target / "clusters"


def _render(params: Path, out: Path) -> render.Outcome:
    loaded = params_io.load_file(params / f"{CLUSTER}.yaml")
    everyone, _ = params_io.load_many([params])
    peers = [summary.summarise(item) for item in everyone]
    return render.render_cluster(loaded, ["profile"], ["en"], ["docx"], out, peers, resources.templates())


@pytest.fixture(scope="module")
def generated(params, tmp_path_factory) -> Path:
    """A render of the Kebumen profile, sealed (generated text only)."""
    out = tmp_path_factory.mktemp("generated")
    assert _render(params, out).error is None
    return out / CLUSTER / "profile.en.docx"


@pytest.fixture(scope="module")
def edited(params, generated, tmp_path_factory) -> Path:
    """The profile with a block edited by the reviewer and regenerated once (the edit kept): the
    file a reviewer goes on working in."""
    out = tmp_path_factory.mktemp("edited")
    path = out / CLUSTER / "profile.en.docx"
    path.parent.mkdir(parents=True)
    shutil.copy2(generated, path)
    edit_block(path, "products", EDIT)
    outcome = _render(params, out)
    assert outcome.error is None, outcome.error
    assert outcome.reviews[0].kept == ["products"]
    return path


@pytest.fixture
def doc(edited, tmp_path) -> Path:
    target = tmp_path / "out" / CLUSTER / "profile.en.docx"
    target.parent.mkdir(parents=True)
    shutil.copy2(edited, target)
    return target


def _damage(path: Path, change) -> None:
    """Rewrite ``docProps/custom.xml`` in place: ``change`` gets the properties (name -> text) and
    returns them changed; every other part of the package is copied as it is."""
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info.filename)) for info in archive.infolist()]
    custom = next(data for info, data in items if info.filename == "docProps/custom.xml")
    root = etree.fromstring(custom)
    values = {p.get("name"): (next(iter(p)).text or "") for p in root}
    values = change(dict(values))
    new = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(values.items(), start=2):
        prop = etree.SubElement(new, f"{{{CUSTOM_NS}}}property",
                                fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    blob = etree.tostring(new, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            archive.writestr(info, blob if info.filename == "docProps/custom.xml" else data)


def _replace_part(path: Path, name: str, blob: bytes) -> None:
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            archive.writestr(info, blob if info.filename == name else data)


def _set(name: str, value: str):
    return lambda values: {**values, name: value}


def _drop(*names: str):
    return lambda values: {k: v for k, v in values.items() if k not in names}


def _json_edit(name: str, edit):
    def change(values):
        data = json.loads(values[name])
        edit(data)
        return {**values, name: json.dumps(data, ensure_ascii=False)}
    return change


def _swap_prefixes(data: dict) -> None:
    a = next(p for p, b in data.items() if b == "summary")
    b = next(p for p, b in data.items() if b == "products")
    data[a], data[b] = data[b], data[a]


def _two_plain_blocks(values) -> tuple[str, str]:
    """Two blocks the reviewer did not touch, with different generated texts."""
    generated = json.loads(values["cr_generated"])
    chosen = [b for b, t in generated.items() if b != "products" and any(x.strip() for x in t)]
    first = chosen[0]
    return first, next(b for b in chosen if generated[b] != generated[first])


def _swap_texts(values):
    a, b = _two_plain_blocks(values)
    generated = json.loads(values["cr_generated"])
    generated[a], generated[b] = generated[b], generated[a]
    return {**values, "cr_generated": json.dumps(generated, ensure_ascii=False)}


def _swap_layout_blocks(values):
    layout = json.loads(values["cr_layout"])
    body = layout["body"]
    first = next(i for i, e in enumerate(body) if isinstance(e, str))
    second = next(i for i, e in enumerate(body) if isinstance(e, str) and e != body[first])
    body[first], body[second] = body[second], body[first]
    return {**values, "cr_layout": json.dumps(layout, ensure_ascii=False)}


def _only_marks(values):  # Word's Document Inspector: every custom property removed
    return {}


# name -> (the damage, what the one-line reason must say)
DAMAGES = {
    "cr_blocks missing": (_drop("cr_blocks"), "cr_blocks is missing but the document holds the bookmarks of"),
    "cr_blocks []": (_set("cr_blocks", "[]"), "cr_blocks is empty but the document holds the bookmarks of"),
    "cr_blocks {}": (_set("cr_blocks", "{}"), "cr_blocks is empty but the document holds the bookmarks of"),
    "cr_blocks empty text": (_set("cr_blocks", ""), "cr_blocks is empty"),
    "cr_blocks not json": (_set("cr_blocks", "not json"), "cr_blocks is not valid JSON"),
    "cr_blocks a list": (_set("cr_blocks", '["cr_summary"]'), "cr_blocks is not a mapping"),
    "cr_blocks ids swapped": (_json_edit("cr_blocks", _swap_prefixes),
                              "cr_blocks exchanges blocks 'products' and 'summary'"),
    "cr_blocks id renamed": (_json_edit("cr_blocks", lambda d: d.update(cr_summary="overview")),
                             "cr_blocks gives bookmarks cr_summary to block 'overview'"),
    "cr_blocks an alias": (_json_edit("cr_blocks", lambda d: d.update({"cr_extra": "summary"})),
                           "cr_blocks gives block 'summary' two prefixes"),
    "cr_blocks entry lost": (_json_edit("cr_blocks", lambda d: d.pop("cr_summary")),
                             "cr_blocks has no bookmarks for block 'summary'"),
    "cr_generated missing": (_drop("cr_generated"), "cr_generated is missing from the record"),
    "cr_generated not json": (_set("cr_generated", "{garbage"), "cr_generated is not valid JSON"),
    "cr_generated wrong types": (_json_edit("cr_generated", lambda d: d.update({"summary": "one text"})),
                                 "cr_generated is not a mapping of block ids to lists of texts"),
    "cr_generated a number": (_set("cr_generated", "42"), "cr_generated is not a mapping"),
    "cr_generated a block lost": (_json_edit("cr_generated", lambda d: d.pop("summary")),
                                  "cr_generated has no text for block 'summary'"),
    "cr_generated empty": (_set("cr_generated", "{}"), "cr_generated has no text for blocks"),
    "cr_generated texts swapped": (_swap_texts, "(texts exchanged)"),
    "cr_layout missing": (_drop("cr_layout"), "cr_layout is missing from the record"),
    "cr_layout not json": (_set("cr_layout", "<layout/>"), "cr_layout is not valid JSON"),
    "cr_layout wrong shape": (_set("cr_layout", '{"body": 3}'), "cr_layout is not a mapping with body"),
    "cr_layout blocks swapped": (_swap_layout_blocks, "cr_layout puts the blocks in another order"),
    "cr_layout a block lost": (_json_edit("cr_layout", lambda d: d.update(
        body=[e for e in d["body"] if e != "summary"])), "cr_layout does not record block 'summary'"),
    "cr_layout numbers": (_json_edit("cr_layout", lambda d: d["outside"].append("x")),
                          "cr_layout numbers its"),
    "cr_outside not json": (_set("cr_outside", "[unclosed"), "cr_outside is not valid JSON"),
    "cr_outside wrong types": (_set("cr_outside", "[1, 2]"), "cr_outside is not a list of texts"),
    "cr_format missing": (_drop("cr_format"), "cr_format is missing from the record"),
    "cr_format not json": (_set("cr_format", "nope"), "cr_format is not valid JSON"),
    "cr_format a block lost": (_json_edit("cr_format", lambda d: d.pop("summary")),
                               "cr_format does not record block 'summary'"),
    "cr_written garbage": (_set("cr_written", "xyz"), "cr_written is not a digest"),
    "cr_body garbage": (_set("cr_body", "not a digest"), "cr_body is not a digest"),
    "document_kind missing": (_drop("document_kind"), "document_kind is missing from the record"),
    "language empty": (_set("language", ""), "language is empty"),
    "every property removed": (_only_marks, "cr_blocks and cr_generated are missing but the document holds"),
}


def _overrides(params: Path) -> Path:
    return params / f"{CLUSTER}.overrides.yaml"


@pytest.mark.parametrize("name", list(DAMAGES))
def test_a_damaged_record_is_never_overwritten_and_harvest_refuses_it(params, doc, name):
    change, reason = DAMAGES[name]
    _damage(doc, change)
    before = doc.read_bytes()
    reviewed = reviewed_file.open_reviewed(doc)
    assert reviewed.damage is not None and reason in reviewed.damage, reviewed.damage
    assert copies.reviewer_work(reviewed)  # of unknown extent: work, as far as anyone can tell

    outcome = _render(params, doc.parents[2])
    assert doc.read_bytes() == before  # never overwritten
    new = doc.with_name("profile.en.new.docx")
    assert new.is_file() and reviewed_file.open_reviewed(new).damage is None
    assert outcome.error is not None and outcome.error.startswith(CONFLICT), outcome.error
    assert len(outcome.error.splitlines()) == 1 and reason in outcome.error
    [review] = outcome.reviews
    assert review.new_version == new and not review.kept and review.history is None
    assert not (doc.parent / HISTORY).exists()

    with pytest.raises(HarvestError) as caught:
        harvest(doc, params)
    assert reason in str(caught.value) and str(doc) in str(caught.value)
    assert not _overrides(params).exists()  # nothing harvested, the HTML keeps the generated text
    assert doc.read_bytes() == before


def test_custom_properties_that_are_not_xml_are_damage(params, doc):
    _replace_part(doc, "docProps/custom.xml", b"<Properties><property name='cr_blocks'>")
    before = doc.read_bytes()
    reason = "docProps/custom.xml is not readable XML"
    assert reviewed_file.open_reviewed(doc).damage == reason
    outcome = _render(params, doc.parents[2])
    assert doc.read_bytes() == before and reason in (outcome.error or "")
    assert doc.with_name("profile.en.new.docx").is_file()
    with pytest.raises(HarvestError, match=reason):
        harvest(doc, params)


def test_a_damaged_copy_under_another_name_is_left_alone_and_so_is_the_file(params, doc, generated):
    """The reviewer's copy, saved under another name, has a damaged record; the document's own file
    is as generated. Neither is replaced or set aside: the copy is work of unknown extent."""
    copy_path = doc.with_name("profile.en (reviewed).docx")
    shutil.move(doc, copy_path)
    shutil.copy2(generated, doc)
    docx.Document(str(doc)).save(str(doc))  # saved since, so that it is read in full
    _damage(copy_path, _set("cr_generated", "oops"))
    copy_before, doc_before = copy_path.read_bytes(), doc.read_bytes()
    outcome = _render(params, doc.parents[2])
    assert copy_path.read_bytes() == copy_before and doc.read_bytes() == doc_before
    assert "'profile.en (reviewed).docx'" in outcome.error
    assert "cr_generated is not valid JSON" in outcome.error
    assert doc.with_name("profile.en.new.docx").is_file()
    assert not (doc.parent / HISTORY).exists()


def test_the_command_line_names_the_damage_and_fails(params, doc):
    from typer.testing import CliRunner

    from cluster_reports.cli import app

    _damage(doc, _set("cr_blocks", "[]"))
    before = doc.read_bytes()
    command = ["render", str(params / f"{CLUSTER}.yaml"), "--doc", "profile", "--lang", "en",
               "--format", "docx", "--out", str(doc.parents[2]), "--params-root", str(params)]
    result = CliRunner().invoke(app, command)
    assert result.exit_code != 0
    flat = " ".join(result.output.split())
    assert "conflict" in flat and "cr_blocks is empty but the document holds the bookmarks of" in flat
    assert doc.read_bytes() == before and doc.with_name("profile.en.new.docx").is_file()
    result = CliRunner().invoke(app, ["harvest", str(doc), "--params-root", str(params)])
    assert result.exit_code == 1 and "cr_blocks is empty" in " ".join(result.output.split())
    assert not _overrides(params).exists()


def test_an_id_no_bookmark_or_text_names_is_harmless(params, doc):
    """An entry of cr_blocks for a block with no bookmarks and no text is what the writer records
    for an empty block (a deletion harvested): it changes no reading, and the file is merged."""
    _damage(doc, _json_edit("cr_blocks", lambda d: d.update({"cr_unknown_block": "unknown-block"})))
    assert reviewed_file.open_reviewed(doc).damage is None
    outcome = _render(params, doc.parents[2])
    assert outcome.error is None, outcome.error
    assert reviewed_file.block_texts(doc)["products"] == [EDIT]


def test_an_undamaged_edited_file_regenerates_as_before(params, doc):
    assert reviewed_file.open_reviewed(doc).damage is None
    edit_block(doc, "summary", "The reviewer's summary.")
    outcome = _render(params, doc.parents[2])
    assert outcome.error is None, outcome.error
    assert sorted(outcome.reviews[0].kept) == ["products", "summary"]
    texts = reviewed_file.block_texts(doc)
    assert texts["products"] == [EDIT] and texts["summary"] == ["The reviewer's summary."]
    assert not doc.with_name("profile.en.new.docx").exists()
    harvested = harvest(doc, params)
    try:
        assert sorted(harvested.blocks) == ["products", "summary"]
    finally:
        _overrides(params).unlink(missing_ok=True)  # the other tests render without it


def test_paragraphs_moved_between_blocks_are_no_exchange(params, doc):
    """The reviewer puts the first paragraph of one section into another and the other's into
    the first: their bookmarks go with them, the reading records the moves, and the file is merged,
    not taken for a record whose texts were exchanged."""
    reviewed = reviewed_file.open_reviewed(doc)
    blocks = reviewed.reading.blocks
    a, b = "basic-data", "history-support"  # one paragraph each, under different headings
    first_a, first_b = blocks[a].elements[0], blocks[b].elements[0]
    first_a.addprevious(etree.Element("placeholder"))
    holder = first_a.getprevious()
    first_b.addprevious(first_a)
    holder.addprevious(first_b)
    holder.getparent().remove(holder)
    reviewed.word.save(str(doc))
    again = reviewed_file.open_reviewed(doc)
    assert again.damage is None, again.damage
    texts = {block: span.texts() for block, span in again.reading.blocks.items()}
    assert texts[a] == again.generated[b] and texts[b] == again.generated[a]  # looks exchanged
    assert again.reading.moved_in == {a: [b], b: [a]}  # but was moved
    outcome = _render(params, doc.parents[2])
    assert outcome.error is None, outcome.error


def test_a_sealed_file_nobody_saved_is_regenerated_whatever_its_record(params, generated, tmp_path):
    """The seal (cr_body) proves the body is byte for byte as generated: it holds no one's work,
    so a damaged property beside it loses nothing when the file is replaced."""
    path = tmp_path / "out" / CLUSTER / "profile.en.docx"
    path.parent.mkdir(parents=True)
    shutil.copy2(generated, path)
    _damage(path, _set("cr_blocks", "[]"))
    assert merge.untouched(path)
    outcome = _render(params, tmp_path / "out")
    assert outcome.error is None, outcome.error
    assert reviewed_file.open_reviewed(path).damage is None


def test_a_file_with_no_record_is_kept_in_history_and_replaced(params, tmp_path):
    """Another tool's document where ours goes (no record, none of our marks): as before, it is
    copied into history/ whole and replaced."""
    path = tmp_path / "out" / CLUSTER / "profile.en.docx"
    path.parent.mkdir(parents=True)
    other = docx.Document()
    other.add_paragraph("Someone else's notes.")
    other.save(str(path))
    before = path.read_bytes()
    assert reviewed_file.open_reviewed(path).damage is None
    outcome = _render(params, tmp_path / "out")
    assert outcome.error is None and outcome.reviews[0].unrecorded
    [kept] = list((path.parent / HISTORY).iterdir())
    assert kept.read_bytes() == before
    assert "summary" in reviewed_file.block_texts(path)


def test_a_record_of_the_versions_before_the_layout_is_read_as_before(params, doc):
    """cr_blocks, cr_generated and cr_outside (no cr_layout, cr_format): the record of the versions
    before the layout record is complete for them."""
    outside = [t for _h, t in reviewed_file.open_reviewed(doc).reading.outside_texts()]
    _damage(doc, lambda values: {**_drop("cr_layout", "cr_format", "cr_written")(values),
                                 "cr_outside": json.dumps(outside, ensure_ascii=False)})
    older = reviewed_file.open_reviewed(doc)
    assert older.damage is None and older.layout is None and older.generated_outside == outside
    outcome = _render(params, doc.parents[2])
    assert outcome.error is None, outcome.error
    assert reviewed_file.block_texts(doc)["products"] == [EDIT]


def test_a_file_of_the_first_versions_is_unrecorded_as_before(params, doc):
    """cr_blocks alone (the first versions marked the blocks, recorded no text): kept in history/
    and replaced, as before."""
    _damage(doc, _drop("cr_generated", "cr_layout", "cr_format", "cr_written"))
    before = doc.read_bytes()
    assert reviewed_file.open_reviewed(doc).damage is None
    outcome = _render(params, doc.parents[2])
    assert outcome.error is None and outcome.reviews[0].unrecorded
    [kept] = list((doc.parent / HISTORY).iterdir())
    assert kept.read_bytes() == before


def test_the_record_names_agree_with_the_writers():
    assert record_check.BODY_PROPERTY == merge.BODY_PROPERTY
    assert record_check.WRITTEN_PROPERTY == copies.WRITTEN_PROPERTY


@pytest.mark.clients
def test_a_file_libreoffice_saved_is_no_damage(params, doc, tmp_path):
    import clients

    shutil.copy2(clients.docx_resave(doc, tmp_path / "resaved"), doc)
    assert read_custom_properties(doc).get("cr_blocks")
    assert reviewed_file.open_reviewed(doc).damage is None
    outcome = _render(params, doc.parents[2])
    assert outcome.error is None, outcome.error
    assert reviewed_file.block_texts(doc)["products"] == [EDIT]
