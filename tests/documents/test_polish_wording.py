"""Wording that must stay true for any real cluster (issue 11), read in the composed documents of both
languages: in-kind programmes in the monitoring report, ties for the largest programme and funding
source, roll-ups without workers or value added, sources of absent data, a change of zero, a plan
year that is over, selection rounds other than the 2004 study's, SMIDeP by its years, the glossary's
terms and single cases.

The tree is the shipped sample with these changes (numbers the tests check are computed from it, so
the sample may grow):
- Kebumen: a programme wholly in kind and one partly in kind; a second programme as large as the
  largest; a supported firm's last-quarter turnover raised so the quarter equals its baseline; its
  selection round a 2014 one of its own.
- Serenan-Klaten: two funding sources with equally much money.
- Waru-Sidoarjo: monitoring up to its first quarter only (a report in the course of the year).
- Jawa Tengah: no cluster records workers or value added.
- Jawa Barat: Sukabumi alone (the other clusters removed), with one firm in its firm table and no
  workers given.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE
from test_edge_wording import _text as _paragraphs

from cluster_reports.compose import composer
from cluster_reports.compose.tree import Block, BulletList, Note, plain
from cluster_reports.documents.i18n import Formatter
from cluster_reports.domain import budget, indicators, summary
from cluster_reports.inputs import params_io

LANGS = ("en", "id")
KEBUMEN, SERENAN, WARU, SUKABUMI = ("kebumen-roof-tile", "serenan-klaten-wood-furniture",
                                    "waru-sidoarjo-metalwork", "sukabumi-metalwork")

# An amount as running text rounds it ("Rp 67.1 million", "Rp 250 juta"), or under a million exact.
RP_EN = r"Rp [\d.,]+(?: million| billion)?"
RP_ID = r"Rp [\d.,]+(?: juta| miliar)?"


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _programme(data: dict, pid: str) -> dict:
    return next(p for p in data["programmes"] if p["id"] == pid)


def _extra_line(rate: int, funding: str | None = None) -> dict:
    line = {"item": {"en": "Additional materials", "id": "Bahan tambahan"}, "quantity": 1,
            "unit": {"en": "lot", "id": "paket"}, "rate": rate}
    return {**line, "funding": funding} if funding else line


def _text(document) -> str:
    """The document's paragraphs and table rows (test_edge_wording), then its bullet items."""
    items: list[str] = []

    def walk(nodes):
        for node in nodes:
            if isinstance(node, BulletList):
                items.extend(" ".join(plain(i).split()) for i in node.items)
            elif isinstance(node, (Block, Note)):
                walk(node.children)

    walk(document.nodes)
    return "\n".join([_paragraphs(document), *items])


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> dict[str, params_io.LoadedParams]:
    root = tmp_path_factory.mktemp("polish") / "params"
    shutil.copytree(SAMPLE.parent / "programmes", root / "programmes")
    clusters = root / "clusters"
    shutil.copytree(SAMPLE, clusters)
    tengah, barat = clusters / "jawa-tengah", clusters / "jawa-barat"

    # Kebumen: programmes in kind; a tie for the largest programme; a round of its own
    plan = tengah / f"{KEBUMEN}.plan.yaml"

    def in_kind(d):
        meetings = _programme(d, "social-capital-meetings")
        del meetings["budget"]
        meetings["in_kind"] = True
        tour = _programme(d, "study-tour")
        tour["in_kind"] = True
        tour["budget"].append({"item": {"en": "Bus lent by the regency office", "id": "Bus pinjaman dinas"},
                               "quantity": 1, "unit": {"en": "bus", "id": "bus"}, "times": 2,
                               "times_unit": {"en": "days", "id": "hari"}, "rate": 0})
    _edit(plan, in_kind)
    _edit(tengah / f"{KEBUMEN}.monitoring.yaml",
          lambda d: _programme_progress(d, "social-capital-meetings").update(spent=0))
    item = params_io.load_file(tengah / f"{KEBUMEN}.yaml")
    totals = {p.id: p.total for p in budget.resolve_plan(item.plan, item.library)}
    largest = max(totals.values())
    runner_up = next(pid for pid, total in sorted(totals.items(), key=lambda kv: -kv[1])
                     if total < largest)
    _edit(plan, lambda d: _programme(d, runner_up)["budget"].append(_extra_line(largest - totals[runner_up])))
    _edit(tengah / f"{KEBUMEN}.yaml", lambda d: d["selection"].update(round="jawa-tengah-2014"))

    # Kebumen: the last quarter's turnover equal to its baseline
    item = params_io.load_file(tengah / f"{KEBUMEN}.yaml")
    last = indicators.turnover_by_period(item.params, item.monitoring)[-1]
    gap = round(last.baseline - last.total)
    firms_csv = tengah / f"{KEBUMEN}.monitoring-firms.csv"
    rows = list(csv.reader(firms_csv.read_text(encoding="utf-8").splitlines()))
    row = next(r for r in rows[1:] if r[1] == last.period)
    row[2] = str(int(row[2]) + gap)
    firms_csv.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")

    # Serenan: the two largest funding sources equal
    serenan = tengah / f"{SERENAN}.plan.yaml"
    item = params_io.load_file(tengah / f"{SERENAN}.yaml")
    by_source = budget.by_funding(budget.resolve_plan(item.plan, item.library))
    sums = sorted(by_source.items(), key=lambda kv: -kv[1])
    (_, first), (second, amount) = sums[0], sums[1]

    def tie_funding(d):
        own = next(p for p in d["programmes"] if p.get("budget"))
        own["budget"].append(_extra_line(first - amount, second.value))
    _edit(serenan, tie_funding)

    # Waru: monitoring in the course of the year (its first period only)
    def first_period(d):
        keep = d["periods"][0]["id"]
        d["periods"] = d["periods"][:1]
        for i in d.get("indicators", []):
            i["actuals"] = {k: v for k, v in i["actuals"].items() if k == keep}
        d["firms"] = [f for f in d.get("firms", []) if f["period"] == keep]
    _edit(clusters / "jawa-timur" / f"{WARU}.monitoring.yaml", first_period)

    # Jawa Tengah: no cluster records workers or value added
    for path in tengah.glob("*.yaml"):
        if path.name.count(".") == 1:  # a cluster file, not a sidecar
            _edit(path, lambda d: [d.pop(k, None) for k in ("workers", "value_added")])

    # Jawa Barat: Sukabumi alone, one firm in its table, workers not given
    for path in barat.iterdir():
        if not path.name.startswith(SUKABUMI + "."):
            path.unlink()

    def one_firm(d):
        d["firms"] = {"table": [{"name": "CV Logam Sukabumi Jaya", "workers": 30, "annual_sales": 900_000_000,
                                 "willing_to_improve": True}]}
        d.pop("workers", None)
        d.pop("annual_sales", None)  # the table gives the sales
    _edit(barat / f"{SUKABUMI}.yaml", one_firm)

    loaded, problems = params_io.load_many([clusters])
    assert not problems, "\n".join(map(str, problems))
    return {i.params.id: i for i in loaded}


def _programme_progress(data: dict, pid: str) -> dict:
    return next(p for p in data["programmes"] if p["programme"] == pid)


@pytest.fixture(scope="module")
def text(tree, templates):
    peers = [summary.summarise(i) for i in tree.values()]
    made: dict[tuple[str, str, str], str] = {}

    def get(cluster: str, kind: str, lang: str) -> str:
        if (cluster, kind, lang) not in made:
            made[cluster, kind, lang] = _text(composer.compose(tree[cluster], kind, lang, peers, templates))
        return made[cluster, kind, lang]

    return get


def _rollup(templates, kind: str, members, province: str | None, lang: str) -> str:
    return _text(composer.compose_rollup(kind, list(members), province, lang, templates))


# --- 1. in-kind programmes in the monitoring report ---------------------------------------------------

def test_monitoring_budget_cells_of_in_kind_programmes(text, tree):
    resolved = {p.id: p for p in budget.resolve_plan(tree[KEBUMEN].plan, tree[KEBUMEN].library)}
    tour = resolved["study-tour"]
    for lang, whole, part in (("en", "In kind", f"Rp {tour.total:,} + in kind"),
                              ("id", "Kontribusi nontunai",
                               f"Rp {tour.total:,}".replace(",", ".") + " + kontribusi nontunai")):
        lines = text(KEBUMEN, "monitoring", lang).splitlines()
        rows = {line.split(" | ")[0]: line.split(" | ") for line in lines if line.count(" | ") == 6}
        meetings = rows[resolved["social-capital-meetings"].title.get(lang)]
        assert meetings[4] == whole and meetings[6] == "-", meetings  # no Rp 0, no share of nothing
        assert rows[tour.title.get(lang)][4] == part
    assert "natura" not in text(KEBUMEN, "monitoring", "id")
    assert "its budget is shown as “In kind”" in text(KEBUMEN, "monitoring", "en")
    assert ("dilaksanakan dengan kontribusi nontunai. Program tersebut tidak ikut membobot"
            in text(KEBUMEN, "monitoring", "id"))
    assert "in-kind" not in text(KEBUMEN, "monitoring", "id")


# --- 2. ties for the largest programme and funding source -------------------------------------------

def test_action_plan_names_tied_largest_programmes_and_funding_sources(text, tree):
    en, id_ = text(KEBUMEN, "action-plan", "en"), text(KEBUMEN, "action-plan", "id")
    assert re.search(r'The largest programmes are "[^"]+" and "[^"]+", with ' + RP_EN + r' \([\d.]+%\) '
                     r'each\.', en)
    assert re.search(r'Program dengan anggaran terbesar adalah "[^"]+" dan "[^"]+", masing-masing '
                     + RP_ID + r' \([\d,]+%\)\.', id_)
    assert "The largest programme is" not in en
    en, id_ = text(SERENAN, "action-plan", "en"), text(SERENAN, "action-plan", "id")
    assert re.search(r"The largest shares, [\d.]+% each, come from [^.]+ and [^.]+\.", en), en
    assert re.search(r"Porsi dana terbesar, masing-masing [\d,]+%, berasal dari [^.]+ dan [^.]+\.", id_)
    assert "The largest share," not in en


# --- 3. roll-ups without workers or value added; ties -------------------------------------------------

def test_province_without_workers_or_value_added_shows_dashes(tree, templates):
    members = [summary.summarise(i) for i in tree.values() if i.params.location.province_record.slug
               == "jawa-tengah"]
    en = _rollup(templates, "province-summary", members, "jawa-tengah", "en")
    id_ = _rollup(templates, "province-summary", members, "jawa-tengah", "id")
    total_firms = sum(s.firms for s in members)
    assert f"Total | {len(members)} | 100.0% | {total_firms:,} | - | -" in en
    assert f"Jumlah | {len(members)} | 100,0% | {Formatter('id').number(total_firms)} | - | -" in id_
    assert "No cluster records its workers. No cluster records its value added." in en
    assert ("Tidak satu pun sentra mencatat jumlah tenaga kerjanya. Tidak satu pun sentra mencatat "
            "nilai tambahnya.") in id_
    assert "No cluster records its workers, so the sub-sectors cannot be compared by employment." in en
    assert "sub-sector with the most workers" not in en
    assert "Tidak ada sentra yang mencatat jumlah tenaga kerjanya, sehingga subsektor tidak dapat" in id_


def test_national_summary_says_how_many_clusters_record_the_figures(tree, templates):
    members = [summary.summarise(i) for i in tree.values()]
    workers = sum(1 for s in members if s.workers is not None)
    added = sum(1 for s in members if s.value_added is not None)
    en = _rollup(templates, "national-summary", members, None, "en")
    id_ = _rollup(templates, "national-summary", members, None, "id")
    assert (f"Workers are recorded for {workers} of the {len(members)} clusters. Value added is recorded "
            f"for {added} of the {len(members)} clusters. Sums and shares count only the clusters "
            "that record the figure.") in en
    assert (f"Jumlah tenaga kerja tercatat untuk {workers} dari {len(members)} sentra. Nilai "
            f"tambah tercatat untuk {added} dari {len(members)} sentra.") in id_
    assert "Workers are not recorded for" not in en


def test_subsectors_tied_for_the_most_workers_are_named_together(tree, templates):
    chosen = {}
    for item in tree.values():
        s = summary.summarise(item)
        if s.province_slug == "jawa-tengah":
            chosen.setdefault(s.isic, s)
    first, second, *_ = chosen.values()
    members = [dataclasses.replace(first, workers=500), dataclasses.replace(second, workers=500)]
    members += [dataclasses.replace(s, workers=None) for s in list(chosen.values())[2:]]
    en = _rollup(templates, "province-summary", members, "jawa-tengah", "en")
    id_ = _rollup(templates, "province-summary", members, "jawa-tengah", "id")
    assert re.search(r"The sub-sectors with the most workers are ISIC \d{4} \([^)]+\) and "
                     r"ISIC \d{4} \([^)]+\), with 500 workers each\.", en), en
    assert re.search(r"Subsektor dengan tenaga kerja terbanyak adalah ISIC \d{4} \([^)]+\) dan "
                     r"ISIC \d{4} \([^)]+\), masing-masing dengan 500 tenaga kerja\.", id_)
    national = _rollup(templates, "national-summary", members, None, "en")
    assert "The sub-sectors with the most workers are ISIC" in national


# --- 4. no source row for data the file leaves out -----------------------------------------------------

def test_profile_sources_table_lists_no_row_for_absent_workers(text):
    for lang, workers, sales in (("en", "Workers", "Annual sales"),
                                 ("id", "Tenaga kerja", "Penjualan tahunan")):
        rows = [line.split(" | ")[0] for line in text(KEBUMEN, "profile", lang).splitlines()
                if line.count(" | ") == 2]
        assert workers not in rows, rows
        assert not any(r.startswith(("Value added", "Nilai tambah")) for r in rows), rows
        assert sales in rows  # given, so still listed


# --- 5. a change of zero; a plan year that is over ----------------------------------------------------

def test_a_change_that_rounds_to_zero_reads_the_same(text):
    en, id_ = text(KEBUMEN, "monitoring", "en"), text(KEBUMEN, "monitoring", "id")
    assert re.search(r"the 12 firms observed sold goods worth " + RP_EN + r", the same as that baseline\.",
                     en), en
    assert re.search(r"12 IKM yang diamati membukukan omzet " + RP_ID + r", sama dengan nilai dasar "
                     r"tersebut\.", id_)
    assert "0.0% less" not in en and "0.0% below" not in en and "0,0% di bawah" not in id_
    assert "| -0.0%" not in en and "| 0.0%" in en


def test_a_plan_year_that_is_over_gives_the_years_result(text):
    en, id_ = text(KEBUMEN, "monitoring", "en"), text(KEBUMEN, "monitoring", "id")
    assert re.search(r"All \d+ indicators of the plan were measured in the plan year, and \d+ of those "
                     r"reached the target for the year\.", en), en
    assert "records of four quarters of monitoring up to 31 December 2003." in en
    assert "Kesepuluh indikator dalam rencana diukur sepanjang tahun rencana" in id_
    assert "catatan fasilitator sentra untuk empat triwulan pemantauan sampai 31 Desember 2003." in id_
    assert re.search(r"budgeted, " + RP_EN + r" was spent in the plan year \(", en)
    assert "has been measured" not in en and "has been spent" not in en
    assert re.search(r"In total, " + RP_EN + r" of " + RP_EN + r" was spent in the plan year", en)
    assert re.search(r"Kesepuluh indikator dalam rencana diukur sepanjang tahun rencana, dan \d+ di "
                     r"antaranya mencapai target tahun rencana\.", id_)
    assert re.search(r"terpakai " + RP_ID + r" sepanjang tahun rencana \(", id_)
    assert "mencapai target tahun ini" not in id_


def test_a_report_in_the_course_of_the_year_keeps_so_far(text):
    en, id_ = text(WARU, "monitoring", "en"), text(WARU, "monitoring", "id")
    assert re.search(r"Of the plan's \d+ indicators, \d+ (has|have) been measured", en), en
    assert re.search(RP_EN + r" has been spent", en)
    assert "were measured in the plan year" not in en and "was spent in the plan year" not in en
    assert "telah terpakai" in id_ and "diukur sepanjang tahun rencana" not in id_


# --- 6. selection rounds; SMIDeP by its years ---------------------------------------------------------

def test_a_round_other_than_the_studys_names_a_candidate_not_a_pilot(text):
    en, id_ = text(KEBUMEN, "profile", "en"), text(KEBUMEN, "profile", "id")
    assert "jawa-tengah-2014" not in en  # the round is not named by its id
    assert ("This selection round uses the method by which the 2004 study chose its pilot clusters. The "
            "first cluster of each group is the round's candidate for a Local Industry Action Plan (LIAP). "
            "The method uses two scores: growth opportunity") in en
    assert ("It is therefore the group's candidate for a Local Industry Action Plan (LIAP) in this "
            "round.") in en  # alone in its round
    assert "pilot cluster" not in en.replace("chose its pilot clusters", "")
    assert "The 2004 study chose its pilot clusters" not in en
    assert "jawa-tengah-2014" not in id_
    assert ("Putaran seleksi ini memakai metode yang dipakai studi 2004 untuk memilih sentra percontohan. "
            "Sentra teratas setiap kelompok menjadi sentra calon Rencana Aksi Industri Daerah (LIAP).") in id_
    assert "sentra calon Rencana Aksi Industri Daerah (LIAP) kelompok tersebut" in id_
    # the study's own round keeps the study's words
    serenan = text(SERENAN, "profile", "en")
    assert "The 2004 study chose its pilot clusters by two scores: growth opportunity" in serenan


def test_smidep_is_named_by_its_years(text):
    for kind in ("monitoring", "action-plan", "guideline"):
        en, id_ = text(KEBUMEN, kind, "en"), text(KEBUMEN, kind, "id")
        assert "later SMIDeP" not in en and "later project" not in en, kind
        assert "lanjutan SMIDeP" not in id_ and "proyek lanjutan" not in id_, kind
    # A plan of 2003 and its monitoring report come before SMIDeP: they do not measure themselves by it.
    for kind in ("monitoring", "action-plan"):
        assert "SMIDeP" not in text(KEBUMEN, kind, "en") and "SMIDeP" not in text(KEBUMEN, kind, "id"), kind


# --- 7, 8. the glossary's terms -----------------------------------------------------------------------

def test_indonesian_documents_use_the_glossary_terms(text):
    plan = text(KEBUMEN, "action-plan", "id")
    assert "Rencana Aksi Industri Daerah (LIAP) ini memuat 7 program aksi bagi" in plan
    assert "Industri Lokal" not in plan and "industri lokal" not in plan
    assert "dana swadaya perajin" not in plan and "Swadana perajin" not in plan
    assert "para perajin bertemu" not in plan and "Para perajin sendiri" not in plan
    assert "IKM bertemu pada hari" in plan
    for kind in ("guideline", "strategy"):
        doc = text(KEBUMEN, kind, "id")
        assert "kooperasi" not in doc.lower(), kind
    assert "prinsip 3K (kompetisi, kerja sama, dan konsentrasi)" in text(KEBUMEN, "guideline", "id")


# --- 9. single cases -------------------------------------------------------------------------------------

def test_a_province_of_one_cluster_is_worded_as_such(tree, templates):
    members = [summary.summarise(tree[SUKABUMI])]
    en = _rollup(templates, "province-summary", members, "jawa-barat", "en")
    id_ = _rollup(templates, "province-summary", members, "jawa-barat", "id")
    name_en, name_id = tree[SUKABUMI].params.name.get("en"), tree[SUKABUMI].params.name.get("id")
    assert f"{name_en} is the only cluster of Jawa Barat in this group, with a score of" in en
    assert "1 cluster of Jawa Barat belongs" not in en
    assert "The cluster of Jawa Barat works in one sub-sector of the ISIC classification." in en
    assert "The chart shows the number of clusters of the sub-sector." in en and "the 1 sub-sector" not in en
    assert "is the only regency or city of Jawa Barat with clusters in these data" in en
    assert f"{name_id} merupakan satu-satunya sentra Provinsi Jawa Barat dalam kelompok ini" in id_
    assert "Sebanyak 1 sentra di Provinsi Jawa Barat termasuk" not in id_
    assert "Grafik menyajikan jumlah sentra subsektor tersebut." in id_


def test_a_firm_table_of_one_firm_is_worded_as_such(text):
    en, id_ = text(SUKABUMI, "profile", "en"), text(SUKABUMI, "profile", "id")
    assert "of the 1 firm" not in en and "Of the 1 firm" not in en
    assert ("The only firm of the cluster is willing to improve, and it sells more than Rp 700 million "
            "a year") in en
    assert ("Satu-satunya unit usaha sentra ini memiliki kemauan untuk maju, dan penjualannya di atas "
            "Rp 700 juta setahun") in id_
    assert "Dari 1 unit usaha" not in id_
