"""The action plan's logical framework and its risks and mitigation: the four levels with the plan's
indicators and targets, means of verification and assumptions, the risks table, in both languages;
the matrix on a landscape page in Word and printed wide in HTML; a plan without the new fields
(every missing cell says "not recorded", no risks table); and the schema's refusals."""

from __future__ import annotations

import re

import docx
import pytest
from conftest import SAMPLE
from docx.oxml.ns import qn
from monlife_tree import copy_tree, edit

from cluster_reports import resources
from cluster_reports.compose import composer, templating
from cluster_reports.compose import tree as d
from cluster_reports.documents import i18n
from cluster_reports.inputs import params_io
from cluster_reports.inputs.yaml_io import ParamsError
from cluster_reports.writers.docx import write_docx
from cluster_reports.writers.html import render_html

LANGS = ("id", "en")
NOT_RECORDED = {"id": "tidak tercatat", "en": "not recorded"}
PLANNED = ("kebumen-roof-tile", "kota-tegal-ship-parts", "serenan-klaten-wood-furniture",
           "waru-sidoarjo-metalwork", "pontianak-rattan-furniture", "palu-cacao-processing",
           "samosir-ulos-weaving")


def text_of(loaded, lang: str) -> str:
    """The action plan's Markdown with its escapes undone and its whitespace flattened."""
    templates = resources.templates()
    ctx = composer.make_context(loaded, "action-plan", [], i18n.labels(templates, lang))
    source = templating.render(templates, f"action-plan/{lang}.md.j2", lang, ctx)
    return " ".join(re.sub(r"\\(.)", r"\1", source).split())


def table(doc: d.Document, ident: str) -> d.Table:
    return next(n for n in doc.nodes if isinstance(n, d.Table) and n.id == ident)


def cells(t: d.Table) -> list[list[str]]:
    return [["".join(r.text for r in c) for c in row] for row in t.rows]


def headings(doc: d.Document) -> list[str]:
    return [d.heading_text(h) for h in doc.headings()]


@pytest.fixture(scope="module")
def waru():
    return params_io.load_file(SAMPLE / "jawa-timur" / "waru-sidoarjo-metalwork.yaml")


@pytest.fixture(scope="module")
def waru_docs(waru):
    templates = resources.templates()
    return {lang: composer.compose(waru, "action-plan", lang, [], templates) for lang in LANGS}


# --- the sample ---------------------------------------------------------------------------------

def test_the_matrix_has_four_levels_with_the_plans_indicators_and_targets(waru, waru_docs):
    plan = waru.plan
    for lang in LANGS:
        rows = cells(table(waru_docs[lang], "tbl-logframe"))
        levels = [r[0] for r in rows]
        words = {"id": ("Tujuan akhir (visi)", "Sasaran", "Keluaran", "Kegiatan"),
                 "en": ("Goal (vision)", "Purpose", "Output", "Activities")}[lang]
        assert levels == ([words[0]] + [f"{words[1]} {n}" for n in (1, 2, 3)]
                          + [f"{words[2]} {n}" for n in (1, 2, 3, 4)]
                          + [f"{words[3]} {n}" for n in (1, 2, 3, 4)])
        goal = rows[0]
        assert goal[1] == plan.vision.get(lang)
        assert goal[3] == {"id": "30 pada tahun 2012", "en": "30 by 2012"}[lang]
        # the purpose: the medium plan's goals with their three yearly targets and baseline
        baseline = {"id": "nilai dasar", "en": "baseline"}[lang]
        assert rows[1][1] == plan.medium_plan[0].goal.get(lang)
        assert rows[1][3] == f"10 (2003), 15 (2004), 25 (2005); {baseline} 8"
        assert rows[3][3] == f"2 (2003), 10 (2004), 25 (2005); {baseline} 0"
        assert rows[1][4] == plan.medium_plan[0].indicator.verification.get(lang)
        assert rows[1][5] == plan.medium_plan[0].assumptions.get(lang)
        # the outputs: each programme's indicator, its target for the year, verification, assumptions
        guidance = rows[4]
        assert guidance[2].startswith(i18n.capfirst(plan.programmes[0].indicator.name.get(lang)))
        assert guidance[3] == f"25 (2003); {baseline} 0"
        assert guidance[4] == plan.programmes[0].indicator.verification.get(lang)
        assert guidance[5] == plan.programmes[0].assumptions.get(lang)
        # the activities: numbered items, months and budget, and the money the schedule needs
        act = rows[8]
        assert "1.1 " in act[1] and "1.2 " in act[1]
        assert act[3] == {"id": "Januari–Februari 2003; Rp 6.300.000",
                          "en": "January–February 2003; Rp 6,300,000"}[lang]
        assert act[5] == {
            "id": "Dana kegiatan tersedia paling lambat bulan Januari 2003, dari donor.",
            "en": "The money for the activities is available by January 2003, from donors."}[lang]
        assert not any(c in ("", NOT_RECORDED[lang]) for r in rows for c in r)


def test_risks_table_names_programmes_ratings_and_owners(waru, waru_docs):
    for lang in LANGS:
        rows = cells(table(waru_docs[lang], "tbl-risks"))
        assert [r[0] for r in rows] == ["1", "2", "3", "4"]
        whole = {"id": "Seluruh rencana", "en": "The whole plan"}[lang]
        high, medium = {"id": ("tinggi", "sedang"), "en": ("high", "medium")}[lang]
        assert rows[0][2] == whole and rows[0][3:5] == [high, high]
        assert rows[2][2].startswith("3. ") and rows[2][3:5] == [high, medium]
        assert rows[0][6] == "LPB Mitra Usaha Sidoarjo"
        assert rows[0][5] == waru.plan.risks[0].mitigation.get(lang)
    en, id_ = text_of(waru, "en"), text_of(waru, "id")
    assert "The plan records 4 risks, each with its likelihood" in en
    assert "Of these, 2 bear on the whole plan and 2 on single programmes." in en
    assert "Risk no. 1 is rated high in both likelihood and impact." in en
    assert "Rencana ini mencatat 4 risiko" in id_
    assert "Sebanyak 2 risiko berkaitan dengan seluruh rencana dan 2 risiko dengan program tertentu." in id_
    assert "Risiko nomor 1 dinilai tinggi, baik kemungkinan maupun dampaknya." in id_


def test_new_chapters_stand_between_the_schedule_and_the_budget(waru_docs):
    for lang, (schedule, logframe, risks, budget) in {
        "id": ("Jadwal Tahun Ini", "Kerangka Kerja Logis", "Risiko dan Mitigasi", "Ringkasan Anggaran"),
        "en": ("Schedule of the year", "Logical framework", "Risks and mitigation", "Budget summary"),
    }.items():
        found = headings(waru_docs[lang])
        chapters = [h for h in found if re.match(r"^\d+ ", h)]
        names = [h.split(" ", 1)[1] for h in chapters]
        assert names.index(logframe) == names.index(schedule) + 1
        assert names.index(risks) == names.index(logframe) + 1
        assert names.index(budget) == names.index(risks) + 1


@pytest.mark.parametrize("cluster_id", PLANNED)
def test_every_sample_plan_fills_the_matrix_and_records_risks(sample_by_id, cluster_id):
    loaded = sample_by_id[cluster_id]
    templates = resources.templates()
    for lang in LANGS:
        doc = composer.compose(loaded, "action-plan", lang, [], templates)
        rows = cells(table(doc, "tbl-logframe"))
        assert len(rows) == 1 + len(loaded.plan.medium_plan) + 2 * len(loaded.plan.programmes)
        assert not any(NOT_RECORDED[lang] in c for r in rows for c in r), cluster_id
        assert len(table(doc, "tbl-risks").rows) == len(loaded.plan.risks) >= 3


def test_figures_follow_the_language(sample_by_id):
    """Palu's fermented beans: a target of 4,000 kg, written as each language writes it."""
    loaded = sample_by_id["palu-cacao-processing"]
    templates = resources.templates()
    for lang, figure in (("id", "4.000 (2016)"), ("en", "4,000 (2016)")):
        rows = cells(table(composer.compose(loaded, "action-plan", lang, [], templates), "tbl-logframe"))
        output = {"id": "Keluaran", "en": "Output"}[lang]
        assert any(r[0].startswith(output) and r[3].startswith(figure) for r in rows), [r[3] for r in rows]


def test_word_puts_the_matrix_on_a_landscape_page_and_html_prints_it_wide(waru_docs, tmp_path):
    templates = resources.templates()
    for lang in LANGS:
        path = tmp_path / f"plan.{lang}.docx"
        write_docx(waru_docs[lang], path, templates / "reference.docx")
        word = docx.Document(str(path))
        head = {"id": "Tingkat", "en": "Level"}[lang]
        body = list(word.element.body.iterchildren())
        at = next(i for i, el in enumerate(body) if el.tag == qn("w:tbl")
                  and docx.table.Table(el, word).rows[0].cells[0].text == head)
        grid = docx.table.Table(body[at], word)
        assert [c.text for c in grid.rows[0].cells] == [
            {"id": "Tingkat", "en": "Level"}[lang], {"id": "Uraian ringkas", "en": "Narrative summary"}[lang],
            {"id": "Indikator", "en": "Indicators"}[lang], {"id": "Target", "en": "Targets"}[lang],
            {"id": "Alat verifikasi", "en": "Means of verification"}[lang],
            {"id": "Asumsi", "en": "Assumptions"}[lang]]
        assert any("25 (2003)" in c.text for row in grid.rows for c in row.cells)
        # the section the table sits in ends at the next section properties after it
        ends = next(el for el in body[at:] if el.tag == qn("w:sectPr")
                    or (el.tag == qn("w:p") and el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None))
        sect = ends if ends.tag == qn("w:sectPr") else ends.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        size = sect.find(qn("w:pgSz"))
        assert int(size.get(qn("w:w"))) > int(size.get(qn("w:h")))  # landscape
        page = render_html(waru_docs[lang], templates)
        assert re.search(r'<div class="table-wrap wide"[^>]*aria-labelledby="tbl-logframe-caption"', page)


# --- a plan without the new fields ------------------------------------------------------------------

def strip_new_fields(data: dict) -> None:
    data.pop("risks", None)
    data["provenance"] = [p for p in data["provenance"] if p["field"] != "risks"]
    for key in ("target_cases", "verification", "assumptions"):
        data["success_goal"].pop(key, None)
    for goal in data["medium_plan"]:
        goal.pop("assumptions", None)
        goal["indicator"].pop("verification", None)
    for p in data["programmes"]:
        p.pop("assumptions", None)
        p["indicator"].pop("verification", None)


def test_a_plan_without_the_new_fields_says_not_recorded(tmp_path):
    folder = copy_tree(tmp_path)
    edit(folder / "kebumen-roof-tile.plan.yaml", strip_new_fields)
    loaded = params_io.load_file(folder / "kebumen-roof-tile.yaml")
    assert loaded.plan.risks == []
    templates = resources.templates()
    for lang in LANGS:
        doc = composer.compose(loaded, "action-plan", lang, [], templates)
        rows = cells(table(doc, "tbl-logframe"))
        missing = NOT_RECORDED[lang]
        assert rows[0][3:] == [missing, missing, missing]  # the goal: target, verification, assumptions
        for r in rows[1:1 + len(loaded.plan.medium_plan) + len(loaded.plan.programmes)]:
            assert r[4:] == [missing, missing]
        # the activities' months, budget and the money they need come from the plan itself
        assert all(missing not in r[3] + r[5] for r in rows[-len(loaded.plan.programmes):])
        assert not any(c == "" for r in rows for c in r)
        assert not [n for n in doc.nodes if isinstance(n, d.Table) and n.id == "tbl-risks"]
    en, id_ = text_of(loaded, "en"), text_of(loaded, "id")
    assert 'Entries marked "not recorded" are not yet set in the plan' in en
    assert "No risks to this plan are recorded." in en
    assert 'Isian yang ditandai "tidak tercatat" belum ditetapkan' in id_
    assert "Risiko rencana ini tidak tercatat." in id_
    assert "None" not in en and "None" not in id_


# --- the schema refuses -------------------------------------------------------------------------

def risk(**changes) -> dict:
    base = {"risk": {"en": "Few firms join", "id": "Sedikit IKM yang ikut"}, "likelihood": "medium",
            "impact": "high", "mitigation": {"en": "Work with the willing", "id": "Bekerja dengan yang mau"},
            "owner": "lpm-ugm"}
    return {**base, **changes}


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["risks"].append(risk(owner="dinas-rahasia")),
     "'dinas-rahasia' is not a stakeholder of the cluster"),
    (lambda d: d["risks"].append(risk(programme="no-such-programme")),
     "'no-such-programme' is not a programme of this plan"),
    (lambda d: d["risks"].append(risk(likelihood="very high")), "likelihood"),
    (lambda d: d["risks"].append(risk(severity="high")), "severity"),
    (lambda d: d["medium_plan"][0]["indicator"].update(verfication={"en": "x", "id": "x"}), "verfication"),
    (lambda d: d["programmes"][0].update(assumption={"en": "x", "id": "x"}), "assumption"),
    (lambda d: d["success_goal"].update(target_cases=0), "target_cases"),
])
def test_bad_new_fields_are_refused_with_the_field_named(tmp_path, change, message):
    folder = copy_tree(tmp_path)
    edit(folder / "kebumen-roof-tile.plan.yaml", change)
    with pytest.raises(ParamsError) as caught:
        params_io.load_file(folder / "kebumen-roof-tile.yaml")
    assert message in str(caught.value)
    assert "kebumen-roof-tile.plan.yaml" in str(caught.value)


def test_risks_need_their_provenance(tmp_path):
    folder = copy_tree(tmp_path)
    edit(folder / "kebumen-roof-tile.plan.yaml",
         lambda d: d.update(provenance=[p for p in d["provenance"] if p["field"] != "risks"]))
    with pytest.raises(ParamsError) as caught:
        params_io.load_file(folder / "kebumen-roof-tile.yaml")
    assert "does not say where these come from: risks" in str(caught.value)


def test_a_programme_carried_out_in_kind_needs_its_contributions_at_the_start(tmp_path):
    def in_kind(data):
        meetings = next(p for p in data["programmes"] if p["id"] == "social-capital-meetings")
        meetings.update(in_kind=True, budget=[])

    folder = copy_tree(tmp_path)
    edit(folder / "kebumen-roof-tile.plan.yaml", in_kind)
    loaded = params_io.load_file(folder / "kebumen-roof-tile.yaml")
    templates = resources.templates()
    for lang, cost, needs in (
        ("en", "January–December 2003; In kind",
         "Those who take part contribute the staff time, rooms and services by January 2003."),
        ("id", "Januari–Desember 2003; Kontribusi nontunai",
         "Pihak-pihak yang terlibat menyumbangkan tenaga, tempat, dan jasa paling lambat bulan "
         "Januari 2003."),
    ):
        rows = cells(table(composer.compose(loaded, "action-plan", lang, [], templates), "tbl-logframe"))
        meetings = next(r for r in rows[-7:] if r[3].endswith(cost.split("; ")[1]))
        assert meetings[3] == cost and meetings[5] == needs
