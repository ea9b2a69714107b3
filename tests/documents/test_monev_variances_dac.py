"""The monitoring report's variances (each with its reason or marked "explanation needed"), the
corrective actions agreed (who, by when, past due), the evaluation by the six OECD DAC criteria with
the figures that bear on each, and the pilots' lessons quoted only where they apply: read in the
rendered HTML (and once in the docx) in both languages, on the sample and on files without the data."""

from __future__ import annotations

import html as html_lib
import re

import docx
import pytest
from monlife_tree import copy_tree, edit, monitoring_file

from cluster_reports import render, resources
from cluster_reports.compose import composer
from cluster_reports.domain import budget, indicators
from cluster_reports.inputs import params_io
from cluster_reports.inputs.schema.plan import Funding

LANGS = ("en", "id")
KEBUMEN, KLATEN, WARU, SAMOSIR = ("kebumen-roof-tile", "serenan-klaten-wood-furniture",
                                  "waru-sidoarjo-metalwork", "samosir-ulos-weaving")
CRITERIA = {"en": ["Relevance", "Coherence", "Effectiveness", "Efficiency", "Impact", "Sustainability"],
            "id": ["Relevansi", "Koherensi", "Efektivitas", "Efisiensi", "Dampak", "Keberlanjutan"]}


def page(loaded, lang: str, tmp_path, fmt: str = "html"):
    templates = resources.templates()
    doc = composer.compose(loaded, "monitoring", lang, [], templates)
    path = tmp_path / f"monitoring.{lang}.{fmt}"
    render.write(doc, path, fmt, templates)
    return path if fmt == "docx" else path.read_text(encoding="utf-8")


def clean(fragment: str) -> str:
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment))
    return " ".join(text.split())


def section(html: str, heading_id: str) -> str:
    """The text from a heading's id up to the next heading of the same or a higher level."""
    start = html.index(f'id="{heading_id}"')
    level = int(html[html.rindex("<h", 0, start) + 2])
    ends = [m.start() for m in re.finditer(r"<h([1-6])", html[start:]) if int(m.group(1)) <= level]
    return clean(html[start: start + ends[0]] if ends else html[start:])


def rows(html: str, table_id: str) -> list[list[str]]:
    start = html.index(f'id="{table_id}"')
    table = html[start: html.index("</table>", start)]
    return [[clean(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
            for r in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]


@pytest.fixture(scope="module")
def kebumen(sample_by_id, tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("kebumen")
    return {lang: page(sample_by_id[KEBUMEN], lang, tmp) for lang in LANGS}


# --- variances --------------------------------------------------------------------------------------

def test_a_variance_with_its_reason_and_one_marked_explanation_needed(kebumen):
    en = {r[0]: r for r in rows(kebumen["en"], "tbl-variances")[1:]}
    assert en["Process improvement"][1:] == [
        "Delayed", "% done", "100", "75", "-25",
        "Balai Besar Keramik could test the clay samples only after its own schedule allowed, in December."]
    quality = en["Share of members' tiles meeting the quality standard"]
    assert quality[1:6] == ["Target not reached", "%", "50", "48", "-2"]
    assert quality[6].startswith(
        "The standard clay mix waits for the clay tests of Balai Besar Keramik")
    assert en["Firms that visited a more advanced cluster"][1:] == [
        "Target not reached", "firms", "25", "22", "-3", "Explanation needed"]
    # Indicators at their target are not variances.
    assert not any(name.startswith("Members of the marketing consortium") for name in en)
    text = section(kebumen["en"], "sec-variances")
    assert "At the end of Q4 2003, 5 indicators and 1 programme are off the plan." in text
    assert "One of them has no recorded reason and is marked “Explanation needed”" in text
    id_ = {r[0]: r for r in rows(kebumen["id"], "tbl-variances")[1:]}
    assert id_["Perbaikan proses produksi"][1:6] == ["Terlambat dari jadwal", "% terlaksana", "100", "75",
                                                     "-25"]
    assert id_["IKM yang mengunjungi sentra yang lebih maju"][-1] == "Perlu penjelasan"
    assert "Pada akhir Triwulan IV 2003, 5 indikator dan 1 program menyimpang dari rencana." in section(
        kebumen["id"], "sec-variances")


def test_an_indicator_that_should_fall_is_not_said_to_be_below_its_target(sample_by_id, tmp_path):
    # Pontianak's reject share should fall to 15% and rose to 25%: the target is not reached, the gap +10.
    html = page(sample_by_id["pontianak-rattan-furniture"], "en", tmp_path)
    row = next(r for r in rows(html, "tbl-variances") if r[0].startswith("Share of the supported firms"))
    assert row[1:6] == ["Target not reached", "%", "15", "25", "+10"]


def test_an_overspent_programme_is_a_variance_in_rupiah(sample_by_id, tmp_path):
    html = page(sample_by_id[KLATEN], "en", tmp_path)
    row = next(r for r in rows(html, "tbl-variances") if r[0] == "Exhibition participation")
    assert row[1:6] == ["Over budget", "Rupiah", "Rp 26,500,000", "Rp 27,300,000", "+Rp 800,000"]
    assert "Every variance has its reason recorded." in section(html, "sec-variances")


def test_corrective_actions_with_who_and_when(kebumen, sample_by_id):
    params = sample_by_id[KEBUMEN].params
    names = {s.id: s.name for s in params.stakeholders}
    en = rows(kebumen["en"], "tbl-corrective-actions")
    assert en[0] == ["Action", "Addresses", "By", "Due"]
    # By due date; the one due before the last records (31 December 2003) is flagged.
    assert [r[3] for r in en[1:]] == ["12 December 2003 (past due)", "27 February 2004", "31 March 2004",
                                      "30 June 2004"]
    assert en[2][1:3] == ["Process improvement", names["disperindag-kebumen"]]
    assert en[1][1] == "Firms that visited a more advanced cluster"
    text = section(kebumen["en"], "sec-corrective-actions")
    assert "The report records 4 corrective actions, each with who carries it out and by when." in text
    assert "One of them fell due before 31 December 2003, the date of the latest routine records" in text
    id_ = rows(kebumen["id"], "tbl-corrective-actions")
    assert id_[0] == ["Tindakan", "Untuk", "Pelaksana", "Tenggat"]
    assert id_[1][3] == "12 Desember 2003 (lewat tenggat)" and id_[2][3] == "27 Februari 2004"


# --- the OECD DAC criteria --------------------------------------------------------------------------

def test_the_six_dac_criteria_with_the_figures_computed(kebumen, sample_by_id):
    item = sample_by_id[KEBUMEN]
    resolved = budget.resolve_plan(item.plan, item.library)
    done = indicators.completion(resolved, item.monitoring)
    funding = budget.by_funding(resolved)
    self_funded = funding[Funding.self_funded] / sum(funding.values()) * 100
    for lang in LANGS:
        html = kebumen[lang]
        headings = re.findall(r'id="sec-dac-[a-z]+"[^>]*>(.*?)</h[1-6]>', html, re.S)
        assert [clean(h).split(" ", 1)[1] for h in headings] == CRITERIA[lang]
        efficiency = dict(r for r in rows(html, "tbl-dac-efficiency")[1:])
        of = "of" if lang == "en" else "dari"
        rp = (lambda n: f"Rp {n:,}") if lang == "en" else (lambda n: f"Rp {n:,}".replace(",", "."))
        assert f"{rp(done.spent)} {of} {rp(done.planned)}" in efficiency.values()
        assert f"{done.done} {of} {done.count} (85{'.' if lang == 'en' else ','}7%)" in efficiency.values()
        sustain = dict(r for r in rows(html, "tbl-dac-sustainability")[1:])
        assert f"{self_funded:.1f}%".replace(".", "." if lang == "en" else ",") in sustain.values()
        assert "4 → 4" in sustain.values()
        effective = dict(r for r in rows(html, "tbl-dac-effectiveness")[1:])
        assert f"5 {of} 10 (50{'.' if lang == 'en' else ','}0%)" in effective.values()
        assert "5 " + of + " 12" in " ".join(effective.values())
    en = section(kebumen["en"], "sec-dac")
    assert ("The working group with the facilitator assessed the plan by all six evaluation criteria of the "
            "OECD Development Assistance Committee (OECD DAC) at the end of the routine monitoring "
            "(31 December 2003).") in en
    assert "Assessment (rated high): The plan answered what the firms themselves named" in en
    assert "Penilaian (peringkat sedang): Program selaras dengan program Disperindag" in section(
        kebumen["id"], "sec-dac")


def test_a_criterion_without_an_assessment_says_so_and_keeps_its_figures(sample_by_id, tmp_path):
    for lang, phrase, lead in (("en", "Not assessed.", "by 5 of the 6 evaluation criteria of the OECD"),
                               ("id", "Tidak dinilai.", "menurut 5 dari 6 kriteria")):
        html = page(sample_by_id[WARU], lang, tmp_path)
        coherence = section(html, "sec-dac-coherence")
        assert phrase in coherence
        assert dict(rows(html, "tbl-dac-coherence")[1:3]).values()  # the figures are still there
        assert lead in section(html, "sec-dac")
        assert phrase not in section(html, "sec-dac-relevance")


def test_an_ex_post_assessment_names_its_visit(sample_by_id, tmp_path):
    en = section(page(sample_by_id[SAMOSIR], "en", tmp_path), "sec-dac")
    assert ("The Disperindag, drawing on the findings of the SMIDeP ex-post evaluation, assessed the plan by "
            "all six evaluation criteria of the OECD Development Assistance Committee (OECD DAC) at the "
            "ex-post evaluation of 30 June 2021.") in en
    assert "Omzet" not in en and "Supported firms' turnover against baseline +13.1%" in en
    # Actions are judged by the routine records (to the end of 2016), not by the ex-post visit of
    # 2021, at which every action of 2017 would look overdue.
    actions = section(page(sample_by_id[SAMOSIR], "en", tmp_path), "sec-corrective-actions")
    assert "fell due before" not in actions and "past due" not in actions


def test_the_notebook_tables_carry_the_variances_and_actions(sample_by_id):
    from cluster_reports.documents import i18n
    from cluster_reports.documents import monitoring as report

    labels = i18n.labels(resources.templates(), "en")
    ctx = report.context(sample_by_id[KEBUMEN], [], labels)
    tables = report.tables(ctx, labels)
    variances = tables["variances"]
    assert list(variances["Reason"]).count("Explanation needed") == 1 and len(variances) == 6
    assert list(tables["corrective_actions"]["past due"]) == [True, False, False, False]


# --- the pilots' lessons ------------------------------------------------------------------------------

def test_lessons_quoted_where_they_apply_and_why(sample_by_id, tmp_path):
    waru = section(page(sample_by_id[WARU], "en", tmp_path), "sec-lessons-pilots")
    assert "Of these, 4 apply here; each ends with the reason it is quoted." in waru
    assert "It applies here because only 1 of the 8 supported firms is a success case." in waru
    assert "It applies here because the social-capital score stayed at 2 of 5." in waru
    assert "It applies here because a programme is off its schedule: Core product development." in waru
    assert "It applies here because the demand-conditions score stayed at 3 of 5." in waru
    assert "The cost of a working group" not in waru  # Waru-Sidoarjo has its working group
    id_ = section(page(sample_by_id[WARU], "id", tmp_path), "sec-lessons-pilots")
    assert "Pelajaran ini berlaku karena skor modal sosial tetap 2 dari 5." in id_
    # Klaten's records meet none of the conditions: one true sentence, no list.
    klaten = {lang: section(page(sample_by_id[KLATEN], lang, tmp_path), "sec-lessons-pilots")
              for lang in LANGS}
    # A plan of 2003 comes before SMIDeP: its lessons are not weighed, nor named.
    assert ("None of the lessons that the 2004 study drew from its pilot projects (2002–2003) matches the "
            "situation this cluster's records show, so none is quoted here.") in klaten["en"]
    assert "SMIDeP" not in klaten["en"] + klaten["id"]
    assert "It applies here" not in klaten["en"]
    assert "Tidak satu pun pelajaran" in klaten["id"] and "berlaku karena" not in klaten["id"]


def test_a_fall_in_social_capital_brings_in_the_trust_lesson(tmp_path):
    folder = copy_tree(tmp_path)
    edit(monitoring_file(folder), lambda d: d["conditions"]["social_capital"].update(score=3))
    html = page(params_io.load_file(folder / "kebumen-roof-tile.yaml"), "en", tmp_path)
    text = section(html, "sec-lessons-pilots")
    assert "Trust among the members" in text
    assert "It applies here because the social-capital score fell from 4 to 3." in text


# --- files without the new fields, and files that meet the plan ---------------------------------------

NEW_KEYS = ("corrective_actions", "dac")


def strip_new_fields(d: dict) -> None:
    for key in NEW_KEYS:
        d.pop(key, None)
    d["provenance"] = [e for e in d["provenance"] if e["field"] not in NEW_KEYS]
    for item in d["indicators"] + d["programmes"]:
        item.pop("explanation", None)


def test_a_monitoring_file_without_the_new_fields(tmp_path):
    folder = copy_tree(tmp_path)
    edit(monitoring_file(folder), strip_new_fields)
    loaded = params_io.load_file(folder / "kebumen-roof-tile.yaml")
    assert loaded.monitoring.dac is None and loaded.monitoring.corrective_actions == []
    for lang, no_action, no_dac, not_assessed, needed in (
            ("en", "No corrective action has been recorded for these variances.",
             "No assessment by the OECD DAC evaluation criteria", "Not assessed.", "Explanation needed"),
            ("id", "Belum ada tindakan perbaikan yang tercatat untuk penyimpangan tersebut.",
             "Belum ada penilaian menurut kriteria evaluasi OECD DAC", "Tidak dinilai.", "Perlu penjelasan")):
        html = page(loaded, lang, tmp_path)
        assert no_action in section(html, "sec-corrective-actions")
        assert 'id="tbl-corrective-actions"' not in html  # no empty table
        assert no_dac in section(html, "sec-dac")
        assert section(html, "sec-dac").count(not_assessed) == 6
        reasons = [r[-1] for r in rows(html, "tbl-variances")[1:]]
        # The delayed programme keeps its status's reason; the indicators need one.
        assert reasons.count(needed) == 5 and len(reasons) == 6
        assert "None" not in section(html, "sec-variances")


def test_a_year_on_plan_has_no_variance_table(tmp_path):
    folder = copy_tree(tmp_path)
    plan = params_io.load_file(folder / "kebumen-roof-tile.yaml").plan
    targets = {g.indicator.id: g.targets[0] for g in plan.medium_plan}
    targets.update({p.indicator.id: p.indicator.target for p in plan.programmes})

    def on_plan(d):
        strip_new_fields(d)
        for item in d["indicators"]:
            item["actuals"]["q4"] = targets[item["indicator"]]
        for item in d["programmes"]:
            item.update(status="done", done_pct=100, spent=0)
            item.pop("reason", None)
    edit(monitoring_file(folder), on_plan)
    loaded = params_io.load_file(folder / "kebumen-roof-tile.yaml")
    html = {lang: page(loaded, lang, tmp_path) for lang in LANGS}
    assert ("At the end of Q4 2003, no indicator or programme is off the plan: every target that has fallen "
            "due has been reached, and every programme keeps its schedule and its budget.") in section(
        html["en"], "sec-variances")
    assert "No corrective action has been recorded, and no variance calls for one." in html["en"]
    assert "tidak ada indikator atau program yang menyimpang dari rencana" in html["id"]
    assert 'id="tbl-variances"' not in html["en"] + html["id"]


# --- the docx ---------------------------------------------------------------------------------------

def test_the_docx_has_the_new_chapters_and_tables(sample_by_id, tmp_path):
    path = page(sample_by_id[KEBUMEN], "en", tmp_path, fmt="docx")
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for wanted in ("Variances and corrective actions", "Corrective actions",
                   "Evaluation by the OECD DAC criteria", "Sustainability",
                   "Lessons of the pilot projects that apply"):
        assert any(h.endswith(wanted) for h in headings), wanted
    # Numbered as the other chapters: variances after programme completion, the criteria before lessons.
    numbered = [h for h in headings if re.match(r"\d+\s", h)]
    order = [next(n for n, h in enumerate(numbered) if h.endswith(w)) for w in (
        "Programme completion", "Variances and corrective actions", "Evaluation by the OECD DAC criteria",
        "Lessons")]
    assert order == sorted(order)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Explanation needed" in cells and "12 December 2003 (past due)" in cells
    assert "Rp 58,550,000 of Rp 66,075,000" in cells


# --- schema errors ----------------------------------------------------------------------------------

def problems(folder) -> str:
    with pytest.raises(params_io.ParamsError) as failure:
        params_io.load_file(folder / "kebumen-roof-tile.yaml")
    return "\n".join(str(p) for p in failure.value.problems)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["corrective_actions"][0].update(by="bupati"),
     ["corrective_actions", "by", "'bupati' is not a stakeholder of the cluster", "pokja-sentra-genteng"]),
    (lambda d: d["corrective_actions"][0].update(addresses="kiln"),
     ["addresses", "'kiln' is neither an indicator nor a programme of the plan", "process-improvement"]),
    (lambda d: d["corrective_actions"][0].update(due="next year"), ["corrective_actions", "due"]),
    (lambda d: d["dac"].update(period="q4"),
     ["dac.period: 'q4' is not an evaluation period (mid-term, final or ex-post)", "it has: none"]),
    (lambda d: d["dac"]["relevance"].update(rating="excellent"), ["dac", "rating", "high", "fair", "low"]),
    (lambda d: d["dac"].update(usefulness=d["dac"]["relevance"]), ["dac", "usefulness"]),
    (lambda d: d["indicators"][0].update(explanation="too low"), ["indicators", "explanation"]),
    (lambda d: d["provenance"].pop(next(n for n, e in enumerate(d["provenance"]) if e["field"] == "dac")),
     ["does not say where these come from: dac"]),
])
def test_bad_new_fields_are_refused_with_a_clear_message(tmp_path, change, expected):
    folder = copy_tree(tmp_path)
    edit(monitoring_file(folder), change)
    message = problems(folder)
    for part in expected:
        assert part in message, (part, message)


def test_a_gap_in_the_firm_records_of_a_smidep_era_plan_brings_in_the_records_lesson(tmp_path):
    from monlife_tree import plan_2016

    folder = plan_2016(copy_tree(tmp_path))
    csv_path = folder / "kebumen-roof-tile.monitoring-firms.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines(keepends=True)
    dropped = next(n for n, line in enumerate(lines) if ",q2," in line)
    csv_path.write_text("".join(lines[:dropped] + lines[dropped + 1:]), encoding="utf-8")
    loaded = params_io.load_file(folder / "kebumen-roof-tile.yaml")
    supported = len(indicators.supported_firms(loaded.monitoring))
    en = section(page(loaded, "en", tmp_path), "sec-lessons-pilots")
    assert "and those of SMIDeP (2013–2016), are quoted only where" in en
    assert "Records that trace the supported firms (SMIDeP, 2013–2016)." in en
    assert (f"It applies here because 1 of the {supported} supported firms was not observed in every "
            "routine period.") in en
    id_ = section(page(loaded, "id", tmp_path), "sec-lessons-pilots")
    assert (f"Pelajaran ini berlaku karena 1 dari {supported} IKM yang didampingi tidak diamati pada setiap "
            "periode rutin.") in id_


def test_variances_no_action_addresses_are_named(sample_by_id, tmp_path):
    """Waru's report agrees 3 actions for 7 items off the plan: the 4 others are named, so the gap
    shows as plainly as a missing reason does."""
    item = sample_by_id[WARU]
    addressed = {a.addresses for a in item.monitoring.corrective_actions}
    for lang, lead in (("en", "No corrective action is recorded for 4 of the 7 items off the plan: "),
                       ("id", "Belum ada tindakan perbaikan yang tercatat untuk 4 dari 7 butir yang "
                              "menyimpang dari rencana, yaitu ")):
        text = section(page(item, lang, tmp_path), "sec-corrective-actions")
        assert lead in text, lang
        assert len(addressed) == 3
