"""The roll-ups' chapter on the twelve national action programmes of the 2004 study (Table 5.1,
sections 5.2-5.3): each programme with its lead, schedule and budget from the library, and the
area's cluster plans that draw on it with their budgets, summed only within one year's prices.

Figures are checked against hand sums of the sample plans' budget lines and against the study."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from checks import tree_lines
from conftest import SAMPLE
from docx import Document as open_docx

from cluster_reports import render
from cluster_reports.batch import rollups
from cluster_reports.batch.scan import Digests
from cluster_reports.compose import composer
from cluster_reports.compose.tree import Heading, Table, plain
from cluster_reports.documents import province_summary
from cluster_reports.domain.summary import ClusterSummary, summarise
from cluster_reports.inputs import params_io, programmes

LIBRARY = SAMPLE.parent / "programmes"
# Table 5.1: the agency that takes the initiative (underlined in the study), its budget figures
# (sections 5.2-5.3, 2003 prices) and schedule durations in months where the study gives them.
STUDY = {
    1: ("BAPPEDA", [3_000_000], [3, 1, 6]),
    2: ("Regency Disperindag and Dinkop", [10_000_000], [3]),
    3: ("MOCSME", [], [12]),
    4: ("Provincial and local cluster forums", [], []),
    5: ("Provincial and local cluster forums", [], []),
    6: ("Regency Disperindag and Dinkop", [3_000_000, 3_000_000, 4_500_000], []),
    7: ("Regency Disperindag and Dinkop", [4_800_000 * 12, 2_000_000 * 12], [12]),
    8: ("MOCSME and CD-SMEs", [18_000_000, 12_000_000], []),
    9: ("BRI", [], []),
    10: ("Venture capital", [], [3, 3, 3, 3]),
    11: ("Regency Disperindag", [], []),
    12: ("MOIT (IDKM)", [], [6, 6]),
}
# Hand sums of the sample plans' lines for the programmes they take from Table 5.1.
KEBUMEN_SOCIAL = 8 * 25 * 10_000 + 4 * 40 * 20_000  # 5,200,000 in 2003 prices
TEGAL_SOCIAL = 8 * 12 * 20_000 + 4 * 30 * 30_000  # 5,520,000 in 2015 prices
TEGAL_ENTREPRENEURSHIP = 2 * 6_500_000 + 300 * 15_000  # 17,500,000 in 2015 prices
SAMOSIR_DIRECTORY = 30 * 25_000 + 12 * 500_000  # 6,750,000 in 2016 prices


@pytest.fixture(scope="module")
def summaries(sample) -> list[ClusterSummary]:
    return [summarise(item) for item in sample]


def _lines(kind: str, summaries: list[ClusterSummary], key: str | None, lang: str, templates: Path):
    members = province_summary.members(summaries, key) if key else summaries
    return composer.compose_rollup(kind, members, key, lang, templates)


def _chapter(document) -> tuple[Heading, list[Table], list[str]]:
    """The chapter's heading, its two tables and its lines as a reader meets them."""
    nodes = document.nodes
    start = next(i for i, n in enumerate(nodes) if isinstance(n, Heading) and n.id == "sec-programmes")
    end = next((i for i, n in enumerate(nodes) if i > start and isinstance(n, Heading) and n.level == 1),
               len(nodes))
    part = nodes[start:end]
    tables = [n for n in part if isinstance(n, Table)]
    lines = tree_lines(SimpleNamespace(nodes=part), cover=False)
    return nodes[start], tables, lines


def test_the_library_holds_the_twelve_programmes_as_the_study_gives_them():
    library = programmes.load(LIBRARY)
    national = sorted((p for p in library.programmes.values() if p.source == "national"),
                      key=lambda p: p.number)
    assert [p.number for p in national] == list(range(1, 13))
    for p in national:
        lead, amounts, months = STUDY[p.number]
        assert p.initiative is not None and p.initiative.en.startswith(lead), p.id
        assert lead.split(" (")[0].split(" and ")[0].casefold() in p.who.en.casefold(), p.id
        assert [round(line.quantity * line.times * line.rate) for line in p.budget] == amounts, p.id
        assert p.costed_year == 2003 or not p.budget
        assert [s.months for s in p.schedule if s.months] == months, p.id


def test_a_record_carries_what_each_plan_puts_into_the_national_programmes(summaries):
    by_id = {s.id: s for s in summaries}
    assert by_id["kebumen-roof-tile"].plan_year == 2003
    assert by_id["kebumen-roof-tile"].plan_programmes == (("social-capital", 2003, KEBUMEN_SOCIAL),)
    assert by_id["kota-tegal-ship-parts"].plan_programmes == (
        ("entrepreneurship", 2015, TEGAL_ENTREPRENEURSHIP), ("social-capital", 2015, TEGAL_SOCIAL))
    samosir = by_id["samosir-ulos-weaving"].plan_programmes
    assert ("manufacturers-directory", 2016, SAMOSIR_DIRECTORY) in samosir
    # Pilot programme types (Box 3.1) are not Table 5.1's: the record leaves them out.
    assert all(key in {"social-capital", "entrepreneurship", "manufacturers-directory"}
               for s in summaries for key, _, _ in s.plan_programmes)
    assert by_id["garut-vetiver-oil"].plan_year is None and by_id["garut-vetiver-oil"].plan_programmes == ()
    # The record stays small and survives the manifest's JSON; records written before read as "no plan".
    for s in summaries:
        data = json.loads(json.dumps(s.to_dict()))
        assert ClusterSummary.from_dict(data) == s
        assert len(json.dumps(data["plan_programmes"])) < 200
    old = {k: v for k, v in by_id["kebumen-roof-tile"].to_dict().items()
           if k not in ("plan_year", "plan_programmes")}
    assert ClusterSummary.from_dict(old).plan_programmes == ()


def test_library_lines_taken_unchanged_stay_in_the_library_year(tmp_path: Path):
    """A 2015 plan that takes Table 5.1's directory lines as they are: Rp 10,500,000 in 2003 prices,
    kept apart from its own 2015 amounts."""
    folder = tmp_path / "clusters" / "jawa-tengah"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE / "jawa-tengah" / "kota-tegal-ship-parts.yaml", folder)
    plan = yaml.safe_load((SAMPLE / "jawa-tengah" / "kota-tegal-ship-parts.plan.yaml").read_text())
    base = next(p for p in plan["programmes"] if p["id"] == "buyer-meetings")
    plan["programmes"].append({
        **{k: v for k, v in base.items() if k not in ("budget", "content", "title")},
        "id": "directory", "library": "manufacturers-directory", "condition": "related_supporting",
        "indicator": {**base["indicator"], "id": "p-directory"},
    })
    (folder / "kota-tegal-ship-parts.plan.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True))
    record = summarise(params_io.load_file(folder / "kota-tegal-ship-parts.yaml", LIBRARY))
    assert record.plan_year == 2015
    assert ("manufacturers-directory", 2003, 10_500_000) in record.plan_programmes
    assert ("social-capital", 2015, TEGAL_SOCIAL) in record.plan_programmes


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_province_summary_lists_the_programmes_and_the_plans_drawing_on_them(summaries, templates, lang):
    heading, (programmes_table, plans_table), lines = _chapter(
        _lines("province-summary", summaries, "jawa-tengah", lang, templates))
    en = lang == "en"
    assert plain(heading.runs) == ("National action programmes of the 2004 study" if en
                                   else "Program Aksi Nasional dalam Studi 2004")
    assert heading.numbered and heading.number and heading.number.isdigit()
    assert len(programmes_table.rows) == 12
    first = " | ".join(plain(c) for c in programmes_table.rows[0])
    assert first.startswith("1 | Formation of a provincial cluster forum | BAPPEDA" if en
                            else "1 | Pembentukan forum sentra provinsi | BAPPEDA")
    assert first.endswith("Rp 3,000,000 per regency" if en else "Rp 3.000.000 per kabupaten")
    assert ("Identification of potential clusters: 6 months" if en
            else "Identifikasi sentra potensial: 6 bulan") in first
    rows = [" | ".join(plain(c) for c in row) for row in plans_table.rows]
    rp = (lambda n: f"Rp {n:,}") if en else (lambda n: f"Rp {n:,}".replace(",", "."))
    kebumen = "Kebumen roof-tile cluster (Kebumen Sokka)" if en else "Sentra IKM genteng Kebumen (Sokka)"
    tegal = "Tegal ship-parts cluster" if en else "Sentra IKM komponen kapal Tegal"
    assert f"{kebumen} | 2003 | {rp(KEBUMEN_SOCIAL)}" in " ".join(rows)
    assert f"{tegal} | 2015 | {rp(TEGAL_SOCIAL)}" in " ".join(rows)
    assert f"{tegal} | 2015 | {rp(TEGAL_ENTREPRENEURSHIP)}" in " ".join(rows)
    # Kebumen and Serenan (2003 prices) add up; Tegal's 2015 amount is not added to them.
    total = "Total in 2003 prices" if en else "Jumlah dalam harga 2003"
    assert f" |  | {total} | 2003 | {rp(2 * KEBUMEN_SOCIAL)}" in rows
    assert rp(2 * KEBUMEN_SOCIAL + TEGAL_SOCIAL) not in " ".join(lines)
    none = ("no plan in this province draws on it" if en
            else "tidak ada rencana aksi di provinsi ini yang memanfaatkannya")
    assert sum(none in r for r in rows) == 10
    text = " ".join(lines)
    assert ("Jawa Tengah has 3 clusters with an action plan." if en
            else "Di Jawa Tengah, 3 sentra memiliki rencana aksi.") in text
    assert ("different years (2003 and 2015)" if en else "harga tahun yang berbeda (2003 dan 2015)") in text


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_province_without_plans_says_that_no_plan_draws_on_any_programme(summaries, templates, lang):
    _, (programmes_table, plans_table), lines = _chapter(
        _lines("province-summary", summaries, "jawa-barat", lang, templates))
    assert len(programmes_table.rows) == 12 and len(plans_table.rows) == 12
    none = ("no plan in this province draws on it" if lang == "en"
            else "tidak ada rencana aksi di provinsi ini yang memanfaatkannya")
    assert all(plain(row[2]) == none and plain(row[4]) == "-" for row in plans_table.rows)
    assert ("No cluster of Jawa Barat has an action plan in these data" if lang == "en"
            else "belum ada sentra di Jawa Barat yang memiliki rencana aksi") in " ".join(lines)
    assert "Rp 0" not in " ".join(lines)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_national_summary_sums_the_plans_per_province_and_price_year(summaries, templates, lang):
    _, (programmes_table, plans_table), lines = _chapter(
        _lines("national-summary", summaries, None, lang, templates))
    en = lang == "en"
    rp = (lambda n: f"Rp {n:,}") if en else (lambda n: f"Rp {n:,}".replace(",", "."))
    assert len(programmes_table.rows) == 12
    rows = [" | ".join(plain(c) for c in row) for row in plans_table.rows]
    assert f"Jawa Tengah | 2 | 2003 | {rp(2 * KEBUMEN_SOCIAL)}" in " ".join(rows)
    assert f"Jawa Tengah | 1 | 2015 | {rp(TEGAL_SOCIAL)}" in " ".join(rows)
    assert f"Sumatera Utara | 1 | 2016 | {rp(SAMOSIR_DIRECTORY)}" in " ".join(rows)
    # Social capital: Kebumen, Serenan and Waru-Sidoarjo (2003); Tegal and Pontianak (2015).
    total = "Total in {y} prices" if en else "Jumlah dalam harga {y}"
    assert f" |  | {total.format(y=2003)} | 3 | 2003 | {rp(2 * KEBUMEN_SOCIAL + 4_800_000)}" in rows
    assert f" |  | {total.format(y=2015)} | 2 | 2015 | {rp(TEGAL_SOCIAL + 6_480_000)}" in rows
    none = ("no plan in these data draws on it" if en
            else "tidak ada rencana aksi dalam data ini yang memanfaatkannya")
    assert sum(none in r for r in rows) == 9
    assert ("In these data, 7 clusters have an action plan." if en
            else "Dalam data ini, 7 sentra memiliki rencana aksi.") in " ".join(lines)


def test_the_chapter_in_word_has_its_numbered_heading_and_both_tables(summaries, templates, tmp_path):
    members = province_summary.members(summaries, "jawa-tengah")
    outcome = render.render_rollup("province-summary", members, "jawa-tengah", ["en"], ["docx"], tmp_path,
                                   templates)
    assert outcome.error is None, outcome.error
    doc = open_docx(str(render.rollup_path(tmp_path, "province-summary", "jawa-tengah", "en", "docx")))
    tables = {t.rows[0].cells[2].text: t for t in doc.tables if len(t.rows[0].cells) > 2}
    leads = tables["Lead agency"]
    assert len(leads.rows) == 13
    assert [c.text for c in leads.rows[6].cells][:3] == ["6", "Manufacturers' directory",
                                                          "Regency Disperindag and Dinkop"]
    assert leads.rows[6].cells[5].text == "Rp 10,500,000"
    plans = tables["Cluster plan"]
    cells = [[c.text for c in row.cells] for row in plans.rows]
    assert ["", "", "Total in 2003 prices", "2003", "Rp 10,400,000"] in cells
    title = "National action programmes of the 2004 study"
    heading = next(p for p in doc.paragraphs if p.text.endswith(title))
    assert heading.style.name.startswith("Heading 1") and heading.text.split()[0].isdigit()


def test_a_roll_up_is_stale_when_the_programme_library_changes(summaries, tmp_path):
    members = rollups.members({s.id: s.to_dict() for s in summaries}, {}, [], ["en"], ["html"])
    selected = rollups.selection(["national-summary"], members)
    digests = Digests("t", "direct", {"national-summary": "k"})
    keys = [rollups.stale_rollups(selected, {}, digests, langs=["en"], formats=["html"], out=tmp_path,
                                  library=library).keys for library in ("a", "b")]
    assert keys[0] != keys[1]
