"""Captions and the text cells of narrative tables are blocks a reviewer edits: in Word each carries
a block bookmark (registered in ``cr_blocks``), in HTML a ``data-block-id``; reviewed wording
harvested for one replaces its text; LibreOffice's save keeps the bookmarks."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import clients
import docx
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT
from docx.oxml.ns import qn
from pydantic import TypeAdapter

from cluster_reports import render, resources
from cluster_reports.compose import markdown
from cluster_reports.compose import tree as d
from cluster_reports.compose.composer import apply_overrides
from cluster_reports.documents import i18n
from cluster_reports.documents.registry import ComposeError
from cluster_reports.documents.strategy import condition_plans
from cluster_reports.domain import budget
from cluster_reports.inputs import params_io
from cluster_reports.inputs.schema.overrides import BlockId
from cluster_reports.writers.docx.blocks import BLOCKS_PROPERTY, BOOKMARK_MAX
from cluster_reports.writers.docx.captions import caption_text, is_caption
from cluster_reports.writers.docx.properties import custom_properties

CLUSTER = "jawa-tengah/kebumen-roof-tile"
PARAMS = ROOT / "params" / "clusters"
SEQ = re.compile(r"^\s*SEQ (Table|Figure)\b")


def _render(params: Path, out: Path, kinds: list[str], langs: list[str]) -> Path:
    loaded = params_io.load_file(params / f"{CLUSTER}.yaml")
    outcome = render.render_cluster(loaded, kinds, langs, ["docx", "html"], out, [],
                                    resources.templates())
    assert outcome.error is None, outcome.error
    return out / CLUSTER


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    return _render(PARAMS, tmp_path_factory.mktemp("cells"), ["action-plan", "strategy"], ["en", "id"])


@pytest.fixture(scope="module")
def loaded() -> params_io.LoadedParams:
    return params_io.load_file(PARAMS / f"{CLUSTER}.yaml")


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _bookmarks(path: Path | docx.document.Document) -> dict[str, tuple[str, object]]:
    """Block id -> (bookmark name, paragraph) of every block bookmark ``<prefix>_1``, with the
    bookmark checked: its end in the same paragraph."""
    word = docx.Document(str(path)) if isinstance(path, Path) else path
    prefixes = json.loads(custom_properties(word)[BLOCKS_PROPERTY])
    found = {}
    for start in word.element.body.iter(qn("w:bookmarkStart")):
        name = start.get(qn("w:name"))
        prefix, _, n = name.rpartition("_")
        if prefix not in prefixes or n != "1":
            continue
        p = start.getparent()
        assert p.tag == qn("w:p"), name
        ends = [e.get(qn("w:id")) for e in p.iter(qn("w:bookmarkEnd"))]
        assert start.get(qn("w:id")) in ends, f"{name} is closed in its own paragraph"
        found[prefixes[prefix]] = (name, p)
    return found


def _in_cell(p) -> bool:
    return p.getparent().tag == qn("w:tc")


def _seq_in(p) -> bool:
    return any(SEQ.match(i.text or "") for i in p.iter(qn("w:instrText")))


# --- Word: where the bookmarks sit ----------------------------------------------------------------


def test_action_plan_captions_and_narrative_cells_carry_block_bookmarks(rendered, loaded):
    word = docx.Document(str(rendered / "action-plan.en.docx"))
    found = _bookmarks(word)
    prefixes = json.loads(custom_properties(word)[BLOCKS_PROPERTY])
    assert set(found) == set(prefixes.values()), "every registered block has its bookmarks"
    # Every caption paragraph is a block, its number still a SEQ field inside the bookmark.
    captions = [p for p in word.element.body.iter(qn("w:p")) if _seq_in(p)]
    assert len(captions) >= 15
    caption_blocks = [next((b for b, (_n, q) in found.items() if q is p), None) for p in captions]
    assert all(b and b.startswith("caption-") for b in caption_blocks), caption_blocks
    for block in ("caption-tbl-logframe", "caption-tbl-risks", "caption-fig-gantt",
                  "caption-tbl-responsibilities"):
        assert block in caption_blocks
    labels = i18n.labels(resources.templates(), "en")
    logframe = found["caption-tbl-logframe"][1]
    assert re.fullmatch(r"Table \d+: " + re.escape(labels("plan.logframe.caption")), _text(logframe))
    assert caption_text(logframe) == labels("plan.logframe.caption") and is_caption(logframe)

    # Narrative cells: the words the plan gives, each in its cell, with its own bookmark.
    plan = loaded.plan
    cells = {b: p for b, (_n, p) in found.items() if "." in b}
    assert all(_in_cell(p) for p in cells.values())
    assert _text(cells["tbl-logframe.goal.2"]) == plan.vision.en
    programme = budget.resolve_plan(plan, loaded.library)[0]  # the library fills in what the plan leaves out
    objective = cells[f"tbl-programme-{programme.id}.objective.2"]
    assert _text(objective) == programme.objective.en
    assert _text(cells[f"tbl-logframe.output-{programme.id}.2"]).endswith(programme.objective.en)
    assert _text(cells["tbl-risks.1.2"]) == plan.risks[0].risk.en
    assert _text(cells["tbl-risks.1.6"]) == plan.risks[0].mitigation.en
    assert len([b for b in cells if b.startswith("tbl-risks.")]) == 2 * len(plan.risks)
    levels = 1 + len(plan.medium_plan) + 2 * len(plan.programmes)
    assert len([b for b in cells if b.startswith("tbl-logframe.")]) == 2 * levels
    # Computed columns and rows are no blocks: the logframe's targets, the programme's lead.
    assert not [b for b in cells if b.startswith("tbl-logframe.") and not b.endswith((".2", ".6"))]
    assert not [b for b in cells if b.startswith(f"tbl-programme-{programme.id}.")
                and not b.endswith(".objective.2")]
    # Valid names: Word's 40 characters, unique; ids the overrides file accepts.
    names = [name for name, _p in found.values()]
    assert len(set(names)) == len(names) and all(len(n) <= BOOKMARK_MAX for n in names)
    adapter = TypeAdapter(BlockId)
    for block in found:
        adapter.validate_python(block)


def test_strategy_three_c_and_condition_strategies_are_cell_blocks(rendered, loaded):
    found = _bookmarks(rendered / "strategy.id.docx")
    strategy = loaded.strategy
    for key in ("competition", "cooperation", "concentration"):
        name, p = found[f"tbl-three-c.{key}.2"]
        assert _in_cell(p) and _text(p) == getattr(strategy.three_c, key).id
    labels = i18n.labels(resources.templates(), "id")
    plans = condition_plans(loaded.params, strategy, labels)
    for plan in plans:
        _name, p = found[f"tbl-conditions.{plan.key}.4"]
        assert _in_cell(p) and _text(p) == plan.strategy
    assert not [b for b in found if b.startswith("tbl-conditions.") and not b.endswith(".4")]
    assert {"caption-tbl-three-c", "caption-tbl-conditions", "caption-fig-conditions"} <= set(found)
    three_c = found["caption-tbl-three-c"][1]
    assert caption_text(three_c) == labels("strategy.caption.three_c")
    assert _text(three_c).startswith("Tabel ") and _seq_in(three_c)


# --- HTML -------------------------------------------------------------------------------------------


def test_html_marks_the_same_blocks_as_word(rendered, loaded):
    for kind in ("action-plan", "strategy"):
        page = BeautifulSoup((rendered / f"{kind}.en.html").read_text(encoding="utf-8"), "html.parser")
        marked = {el["data-block-id"] for el in page.select("[data-block-id]")}
        word = docx.Document(str(rendered / f"{kind}.en.docx"))
        assert marked == set(json.loads(custom_properties(word)[BLOCKS_PROPERTY]).values()), kind
        for table in page.select("table[id]"):
            assert table.caption["data-block-id"] == f"caption-{table['id']}"
        for figure in page.select("figure[id]"):
            assert figure.figcaption["data-block-id"] == f"caption-{figure['id']}"
    page = BeautifulSoup((rendered / "action-plan.en.html").read_text(encoding="utf-8"), "html.parser")
    goal = page.select_one('td[data-block-id="tbl-logframe.goal.2"]')
    assert goal.get_text() == loaded.plan.vision.en
    assert goal.find_parent("table")["id"] == "tbl-logframe"


# --- reviewed wording replaces a cell's and a caption's text ----------------------------------------


def test_harvested_wording_of_a_cell_and_a_caption_is_rendered(loaded, tmp_path):
    params = tmp_path / "params"
    shutil.copytree(ROOT / "params", params)
    clusters = params / "clusters"
    programme = loaded.plan.programmes[0].id
    overrides = {"cluster": loaded.params.id, "documents": {"action-plan": {
        "tbl-logframe.goal.2": {"en": ["Sokka tiles, as the reviewer words the goal."]},
        f"tbl-programme-{programme}.objective.2": {"en": ["First line of mine.", "Second line."]},
        "caption-tbl-risks": {"en": ["Risks, as the reviewer titles them"]},
    }}}
    (clusters / f"{CLUSTER}.overrides.yaml").write_text(yaml.safe_dump(overrides), encoding="utf-8")
    folder = _render(clusters, tmp_path / "out", ["action-plan"], ["en", "id"])
    found = _bookmarks(folder / "action-plan.en.docx")
    goal = found["tbl-logframe.goal.2"][1]
    assert _in_cell(goal) and _text(goal) == "Sokka tiles, as the reviewer words the goal."
    caption = found["caption-tbl-risks"][1]
    assert re.fullmatch(r"Table \d+: Risks, as the reviewer titles them", _text(caption))
    assert _seq_in(caption) and caption_text(caption) == "Risks, as the reviewer titles them"
    # Two paragraphs of a cell: two paragraphs in the Word cell, each with its bookmark.
    first_name, first = found[f"tbl-programme-{programme}.objective.2"]
    second = first.getnext()
    assert _text(first) == "First line of mine." and _text(second) == "Second line."
    assert [b.get(qn("w:name")) for b in second.iter(qn("w:bookmarkStart"))] == [
        first_name.removesuffix("_1") + "_2"]
    page = BeautifulSoup((folder / "action-plan.en.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one('td[data-block-id="tbl-logframe.goal.2"]').get_text() == (
        "Sokka tiles, as the reviewer words the goal.")
    cell = page.select_one(f'td[data-block-id="tbl-programme-{programme}.objective.2"]')
    assert cell.find("br") is not None and cell.get_text() == "First line of mine.Second line."
    assert page.select_one("#tbl-risks caption").get_text().endswith(": Risks, as the reviewer titles them")
    # The other language keeps its generated text.
    id_goal = _bookmarks(folder / "action-plan.id.docx")["tbl-logframe.goal.2"][1]
    assert _text(id_goal) == loaded.plan.vision.id


def test_an_override_of_a_cell_the_document_lacks_names_the_blocks():
    nodes = markdown.parse(
        "::: table tbl-a narrative=-n\nCaption\n\n| a | b |\n| --- | --- |\n| x | y |\n:::\n")
    with pytest.raises(ComposeError, match=r"where\.tbl-a\.1\.3: the document has no such block"):
        apply_overrides(nodes, {"tbl-a.1.3": ["z"]}, "where")
    apply_overrides(nodes, {"tbl-a.1.2": ["z"], "caption-tbl-a": []}, "where")
    assert nodes[0].rows == [[[d.Run("x")], [d.Run("z")]]] and nodes[0].caption == []


# --- the Markdown dialect -----------------------------------------------------------------------------


def _table(options: str, rows: int = 3) -> str:
    body = "".join(f"| r{n} | text {n} | {n} |\n" for n in range(1, rows + 1))
    return f"::: table tbl-x {options}\nCaption\n\n| a | b | c |\n| --- | --- | --: |\n{body}:::\n"


def test_narrative_columns_and_row_keys_make_cell_block_ids():
    [table] = markdown.parse(_table("narrative=-n"))
    assert table.cell_blocks == {(0, 1): "tbl-x.1.2", (1, 1): "tbl-x.2.2", (2, 1): "tbl-x.3.2"}
    assert table.caption_block == "caption-tbl-x"
    [table] = markdown.parse(_table("landscape narrative=nn- keys=goal,-,output-a"))
    assert table.landscape and table.cell_blocks == {
        (0, 0): "tbl-x.goal.1", (0, 1): "tbl-x.goal.2", (2, 0): "tbl-x.output-a.1",
        (2, 1): "tbl-x.output-a.2"}
    assert markdown.parse(_table(""))[0].cell_blocks == {}


@pytest.mark.parametrize(("options", "message"), [
    ("narrative=-n keys=a,b", "has 3 rows but 2 row keys"),
    ("narrative=-n keys=a,a,b", "row key 'a' is used twice"),
    ("narrative=-n keys=a,B,c", "row key 'B' is not lower-case"),
    ("narrow=1", "takes only the options"),
])
def test_bad_narrative_options_are_refused(options, message):
    with pytest.raises(markdown.MarkdownError, match=message):
        markdown.parse(_table(options))


def test_a_caption_block_id_may_not_repeat_a_block():
    with pytest.raises(markdown.MarkdownError, match="block id 'caption-tbl-x' is used twice"):
        markdown.parse("::: block caption-tbl-x\nText.\n:::\n\n" + _table(""))


def test_macro_marks_narrative_columns(templates):
    from cluster_reports.compose import templating

    env = templating.environment(templates, "en")
    source = env.from_string(
        '{% import "markdown/macros.md.j2" as m %}'
        '{{ m.table("tbl-x", "Cap", ["A", "B"], [["a", "b"], ["c", "d"]],'
        ' narrative="-n", keys=["k-1", none]) }}'
    ).render()
    [table] = markdown.parse(source)
    assert table.cell_blocks == {(0, 1): "tbl-x.k-1.2"}


# --- a caption block's text -----------------------------------------------------------------------------


def _caption_paragraph(word_xml: str):
    return docx.oxml.parse_xml(
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"{word_xml}</w:p>")


def _r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _complex(number: str) -> str:
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> SEQ Table \\* ARABIC </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'{_r(number)}<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def test_a_caption_reads_the_same_whatever_its_number():
    three = _caption_paragraph(_r("Table ") + _complex("3") + _r(": ") + _r("Firms by size"))
    twelve = _caption_paragraph(_r("Tabel ") + _complex("12") + _r(": Firms by size"))
    simple = _caption_paragraph(
        _r("Table ") + '<w:fldSimple w:instr=" SEQ Table \\* ARABIC ">' + _r("4") + "</w:fldSimple>"
        + _r(": Firms by size"))
    assert caption_text(three) == caption_text(twelve) == caption_text(simple) == "Firms by size"
    assert all(is_caption(p) for p in (three, twelve, simple))
    # Tracked deletions are left out; a caption whose number the reviewer removed reads whole.
    deleted = _caption_paragraph(
        _r("Table ") + _complex("3") + _r(": Firms")
        + '<w:del w:id="1" w:author="R"><w:r><w:delText> old</w:delText></w:r></w:del>'
        + '<w:del w:id="2" w:author="R">' + _r(" gone") + "</w:del>")
    assert caption_text(deleted) == "Firms"
    plain = _caption_paragraph(_r("Firms by size, my title"))
    assert not is_caption(plain) and caption_text(plain) == "Firms by size, my title"


# --- LibreOffice ------------------------------------------------------------------------------------------


@pytest.mark.clients
def test_libreoffice_keeps_caption_and_cell_bookmarks(rendered, tmp_path):
    path = rendered / "action-plan.en.docx"
    before = _bookmarks(path)
    resaved = clients.docx_resave(path, tmp_path / "resaved")
    after = _bookmarks(resaved)
    for block in before:
        if block.startswith("caption-") or "." in block:
            assert block in after, f"{block} lost its bookmark"
            name, p = after[block]
            assert name == before[block][0]
            assert _in_cell(p) == _in_cell(before[block][1])
            if block.startswith("caption-"):
                assert caption_text(p) == caption_text(before[block][1]) and is_caption(p)
            else:
                assert _text(p) == _text(before[block][1])
    assert "tbl-logframe.goal.2" in after and "caption-tbl-logframe" in after


def test_cell_blocks_in_a_new_paragraph_keep_the_cell_style():
    """A second line of a narrative cell is a paragraph like the first (style, alignment)."""
    from cluster_reports.writers.docx import build

    doc = d.Document(markdown.parse(_table("narrative=-n")), {}, d.Properties(
        "T", "S", "en", "x", "h", "v", "profile"))
    apply_overrides(doc.nodes, {"tbl-x.2.2": ["One", "Two"]}, "where")
    word, prefixes = build(doc, resources.templates() / "reference.docx")
    cell = [tc for tc in word.element.body.iter(qn("w:tc")) if "One" in _text(tc)][0]
    first, second = cell.findall(qn("w:p"))
    style = first.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    assert style is not None and second.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == (
        style.get(qn("w:val")))
    names = [b.get(qn("w:name")) for p in (first, second) for b in p.iter(qn("w:bookmarkStart"))]
    assert [prefixes[n.rpartition("_")[0]] for n in names] == ["tbl-x.2.2", "tbl-x.2.2"]
    assert [n.rpartition("_")[2] for n in names] == ["1", "2"]
