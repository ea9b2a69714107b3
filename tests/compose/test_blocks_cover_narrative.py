"""Every narrative piece is reviewable (issue 14): a reviewer's edit is carried into a regenerated
report only inside a narrative block, so every paragraph and list of a document's body that is not a
heading, a table, a figure or a note sits in a block, in every kind and both languages, for the
Kebumen pilot (which has every sidecar), the general guideline, the roll-ups, and clusters with
little data (a Kebumen stripped of its optional sections, a one-firm Sukabumi, synthetic clusters).

Notes stay outside blocks on purpose: they are the tool's remarks on the data (illustrative,
synthetic, rounded, missing), which must change with the data (templates/markdown/macros.md.j2).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from conftest import SAMPLE
from docx.oxml.ns import qn

from cluster_reports.compose import composer, markdown
from cluster_reports.compose import tree as d
from cluster_reports.documents.registry import KINDS, NotAvailable
from cluster_reports.domain import summary
from cluster_reports.inputs import params_io, synth
from cluster_reports.review import reviewed as reviewed_file
from cluster_reports.writers.docx import write_docx
from cluster_reports.writers.html import write_html

LANGS = ("id", "en")
PILOT = "kebumen-roof-tile"
PROVINCE = "jawa-tengah"
# The characters block ids use (the Markdown reader's rule for ids).
BLOCK_ID = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
# Text left outside every block, by design: none. A sentence saying that something is not recorded
# is in the block of the section it stands for, so that block's id holds when the data come.
ALLOWED_OUTSIDE: tuple[re.Pattern[str], ...] = ()
# The optional sections stripped from the odd Kebumen, with the sidecars' optional parts.
STRIPPED = ("markets", "raw_materials", "constraints", "value_chain", "history", "production_process",
            "facilitator", "support_services", "workers", "annual_sales", "value_added")


def outside_blocks(document: d.Document) -> list[str]:
    """The body's paragraphs and lists (after the cover and the contents) that are in no block."""
    found = []
    for node in document.nodes:
        if isinstance(node, d.Paragraph):
            text = d.plain(node.runs)
        elif isinstance(node, d.BulletList):
            text = " | ".join(d.plain(item) for item in node.items)
        else:
            continue
        if not any(p.search(text) for p in ALLOWED_OUTSIDE):
            found.append(text)
    return found


def documents(items: list[params_io.LoadedParams], everyone: list[params_io.LoadedParams],
              templates: Path, provinces: tuple[str, ...]):
    """(name, document) of every kind each of ``items`` has, the general guideline and the roll-ups
    of ``provinces`` and the nation, among the clusters ``everyone``."""
    peers = [summary.summarise(item) for item in everyone]
    for lang in LANGS:
        for item in items:
            for kind in KINDS:
                try:
                    document = composer.compose(item, kind, lang, peers, templates)
                except NotAvailable:
                    continue
                yield f"{item.params.id} {kind}.{lang}", document
        yield f"general guideline.{lang}", composer.compose(None, "guideline", lang, peers, templates)
        for province in provinces:
            members = [s for s in peers if s.province_slug == province]
            yield f"{province} province-summary.{lang}", composer.compose_rollup(
                "province-summary", members, province, lang, templates)
        yield f"national-summary.{lang}", composer.compose_rollup("national-summary", peers, None, lang,
                                                                  templates)


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def pilot(sample_by_id) -> params_io.LoadedParams:
    item = sample_by_id[PILOT]
    assert {"strategy", "plan", "monitoring"} <= set(item.parts)  # every sidecar
    return item


@pytest.fixture(scope="module")
def odd(tmp_path_factory) -> list[params_io.LoadedParams]:
    """Kebumen without its optional sections, risks, reporting, approval, firm observations,
    indicators, corrective actions and DAC assessments, with one monitoring period; Sukabumi with one
    firm and no workers, sales or value added; three synthetic clusters (profile and guideline)."""
    root = tmp_path_factory.mktemp("odd") / "clusters"
    shutil.copytree(SAMPLE, root)
    folder = root / PROVINCE
    data = _load(folder / f"{PILOT}.yaml")
    for key in STRIPPED:
        data.pop(key, None)
    data["provenance"] = [p for p in data.get("provenance", [])
                          if str(p.get("field")).split(".")[0] not in STRIPPED]
    _dump(folder / f"{PILOT}.yaml", data)
    plan = _load(folder / f"{PILOT}.plan.yaml")
    for key in ("risks", "reporting", "approval"):
        plan.pop(key, None)
    _dump(folder / f"{PILOT}.plan.yaml", plan)
    monitoring = _load(folder / f"{PILOT}.monitoring.yaml")
    monitoring.pop("firms_csv")
    monitoring.pop("corrective_actions", None)
    monitoring.pop("dac", None)
    monitoring.update(firms=[], indicators=[], periods=monitoring["periods"][:1])
    _dump(folder / f"{PILOT}.monitoring.yaml", monitoring)

    sukabumi = root / "jawa-barat" / "sukabumi-metalwork.yaml"
    data = _load(sukabumi)
    data["firms"].update(by_size={"micro": 1, "small": 0, "medium": 0, "large": 0},
                         potentially_viable=0, cooperative_members=0)
    for key in ("workers", "annual_sales", "value_added"):
        data.pop(key, None)
    _dump(sukabumi, data)

    for province, cluster_id, params in synth.generate(3, 11):
        (root / province).mkdir(exist_ok=True)
        (root / province / f"{cluster_id}.yaml").write_text(synth.to_yaml(params, "# synthetic\n"),
                                                            encoding="utf-8")
    loaded, problems = params_io.load_many([root])
    assert not problems, "\n".join(map(str, problems))
    return loaded


def test_every_narrative_piece_of_the_pilot_is_in_a_block(pilot, sample, templates):
    names = []
    for name, document in documents([pilot], sample, templates, (PROVINCE,)):
        names.append(name)
        assert outside_blocks(document) == [], name
    # Every kind of the pilot, the general guideline and the roll-ups, in both languages.
    assert sorted(names) == sorted(
        [f"{PILOT} {kind}.{lang}" for kind in KINDS for lang in LANGS]
        + [f"{who}.{lang}" for who in ("general guideline", f"{PROVINCE} province-summary",
                                       "national-summary") for lang in LANGS])


def test_every_narrative_piece_is_in_a_block_when_data_are_missing(odd, templates):
    items = [item for item in odd if item.params.id in (PILOT, "sukabumi-metalwork") or item.params.synthetic]
    assert len(items) == 5
    provinces = tuple(sorted({item.params.location.province_record.slug for item in items}))
    names = []
    for name, document in documents(items, odd, templates, provinces):
        names.append(name)
        assert outside_blocks(document) == [], name
    assert f"{PILOT} monitoring.en" in names and "sukabumi-metalwork profile.id" in names
    assert sum(" profile." in n for n in names) == 2 * len(items)


def test_block_ids_are_unique_well_formed_and_hold_when_data_go(pilot, odd, sample, templates):
    peers = [summary.summarise(item) for item in sample]
    odd_kebumen = next(item for item in odd if item.params.id == PILOT)
    odd_peers = [summary.summarise(item) for item in odd]
    for kind in KINDS:
        for lang in LANGS:
            full = composer.compose(pilot, kind, lang, peers, templates).block_ids()
            assert len(full) == len(set(full)), (kind, lang)
            assert all(BLOCK_ID.match(b) for b in full), (kind, lang)
            stripped = composer.compose(odd_kebumen, kind, lang, odd_peers, templates).block_ids()
            # Missing data drop a block, never rename one: the reviewer's wording still finds its place.
            assert set(stripped) <= set(full), (kind, lang, set(stripped) - set(full))
            assert set(stripped) & set(full)
    profile = composer.compose(pilot, "profile", "en", peers, templates).block_ids()
    assert {f"swot-{q}" for q in ("strengths", "weaknesses", "opportunities", "threats")} <= set(profile)
    strategy = composer.compose(pilot, "strategy", "en", peers, templates).block_ids()
    for part in ("constraints", "strategy", "actions"):
        assert f"condition-demand-{part}" in strategy
    assert "vision-statement" in strategy
    plan = composer.compose(pilot, "action-plan", "en", peers, templates).block_ids()
    assert {f"programme-{p.id}-activities" for p in pilot.plan.programmes if p.content} <= set(plan)


def _block_of(document: d.Document, block_id: str) -> d.Block:
    return next(n for n in document.nodes if isinstance(n, d.Block) and n.id == block_id)


def _with_overrides(tmp_path: Path, documents_: dict) -> params_io.LoadedParams:
    root = tmp_path / "clusters"
    shutil.copytree(SAMPLE / PROVINCE, root / PROVINCE)
    (root / PROVINCE / f"{PILOT}.overrides.yaml").write_text(
        yaml.safe_dump({"cluster": PILOT, "documents": documents_}, allow_unicode=True), encoding="utf-8")
    return params_io.load_file(root / PROVINCE / f"{PILOT}.yaml")


def test_a_reviewed_swot_quadrant_reaches_word_and_html(sample, templates, tmp_path):
    wording = ["The Kebumen Sokka name, known across Java.", "Clay at hand & skilled kiln workers."]
    loaded = _with_overrides(tmp_path, {"profile": {"swot-strengths": {"en": wording}}})
    peers = [summary.summarise(item) for item in sample]
    document = composer.compose(loaded, "profile", "en", peers, templates)
    [items] = _block_of(document, "swot-strengths").children  # still a list: the block's shape
    assert isinstance(items, d.BulletList) and [d.plain(i) for i in items.items] == wording
    generated = composer.compose(loaded, "profile", "id", peers, templates)
    assert isinstance(_block_of(generated, "swot-strengths").children[0], d.BulletList)  # id: as generated

    write_docx(document, tmp_path / "profile.en.docx", templates / "reference.docx")
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "profile.en.docx")).paragraphs]
    at = paragraphs.index(wording[0])
    assert paragraphs[at + 1] == wording[1]
    assert paragraphs[at - 1].endswith("Strengths") and paragraphs[at + 2].endswith("Weaknesses")
    # Bookmarked as the block: the next regeneration reads it back as the reviewer's.
    assert reviewed_file.block_texts(tmp_path / "profile.en.docx")["swot-strengths"] == wording
    write_html(document, tmp_path / "profile.en.html", templates)
    page = html.unescape((tmp_path / "profile.en.html").read_text(encoding="utf-8"))
    section = page[page.index('data-block-id="swot-strengths"'):]
    section = section[: section.index("</section>")]
    assert all(w in section for w in wording)


def test_the_vision_statement_is_a_block_that_keeps_its_box(pilot, sample, templates, tmp_path):
    wording = "Kebumen Sokka tiles on every new roof of Java and Bali."
    loaded = _with_overrides(tmp_path, {"strategy": {"vision-statement": {"en": [wording]}}})
    peers = [summary.summarise(item) for item in sample]
    generated = composer.compose(pilot, "strategy", "en", peers, templates)
    block = _block_of(generated, "vision-statement")
    assert block.note == "vision" and block.children[0].runs[0].bold
    assert not any(isinstance(n, d.Note) and n.kind == "vision" for n in generated.nodes)

    document = composer.compose(loaded, "strategy", "en", peers, templates)
    write_docx(document, tmp_path / "strategy.en.docx", templates / "reference.docx")
    word = docx.Document(str(tmp_path / "strategy.en.docx"))
    [paragraph] = [p for p in word.paragraphs if p.text == wording]
    assert paragraph.style.name == "Note"  # boxed as the note it was
    marks = [b.get(qn("w:name")) for b in paragraph._p.iter(qn("w:bookmarkStart"))]
    assert len(marks) == 1 and marks[0].startswith("cr_")  # and reviewed as a block
    write_html(document, tmp_path / "strategy.en.html", templates)
    page = (tmp_path / "strategy.en.html").read_text(encoding="utf-8")
    assert re.search(r'<section class="block note note-vision" id="vision-statement" '
                     r'data-block-id="vision-statement">\s*<p>' + re.escape(wording) + "</p>", page)



def test_a_block_boxed_as_a_note_is_read_and_checked():
    [block] = markdown.parse("::: block vision-statement note vision\n**A vision.**\n:::\n")
    assert (block.id, block.note, block.children[0].runs[0].bold) == ("vision-statement", "vision", True)
    [plain_block] = markdown.parse("::: block summary\nText.\n:::\n")
    assert plain_block.note is None
    for source in ("::: block x note\nText.\n:::\n", "::: block x box vision\nText.\n:::\n"):
        with pytest.raises(markdown.MarkdownError, match="block 'x' takes only the option 'note KIND'"):
            markdown.parse(source)


@pytest.mark.parametrize("kind", ["strategy", "action-plan"])
def test_every_block_reads_back_from_word_long_ids_too(pilot, sample, templates, tmp_path, kind):
    """The longest new ids ('programme-cooperative-revitalisation-activities') exceed Word's
    40 characters for a bookmark: each block is read back from the file all the same."""
    peers = [summary.summarise(item) for item in sample]
    document = composer.compose(pilot, kind, "id", peers, templates)
    path = tmp_path / f"{kind}.id.docx"
    write_docx(document, path, templates / "reference.docx")
    texts = reviewed_file.block_texts(path)
    # Every block comes back (captions and narrative cells are blocks of their own besides).
    blocks = {b.id for b in document.nodes if isinstance(b, d.Block) and b.children}
    assert blocks <= set(texts)
    assert all(b in blocks or b.startswith("caption-") or b.startswith("tbl-") for b in texts)
    if kind == "strategy":
        actions = _block_of(document, "condition-demand-actions")
        assert texts["condition-demand-actions"] == [d.plain(actions.children[0].runs)] + [
            d.plain(item) for item in actions.children[1].items]
