"""Money over time in the action plan and the monitoring report, as a reader checks it in the HTML:
a 2015 plan with its own rate gives every US$ figure at that rate and says which year's prices it
uses; library budget lines costed in 2003 and taken unchanged into it are said to be so (or, with
the plan's price index, restated); in-kind programmes read as in kind, never as "Rp 0"; the shipped
2003 plans read as before, with the price year now stated."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from checks import LEFTOVERS, html_text, output_path
from conftest import ROOT, SAMPLE

from cluster_reports import render
from cluster_reports.documents.i18n import Formatter
from cluster_reports.domain import budget, shares
from cluster_reports.inputs import params_io

CLUSTER = "kebumen-roof-tile"
RATE = 13000
# Test figures, not an official index: the sample ships none.
INDEX = {2003: 100, 2015: 250}
TEXT = {"en": "Illustrative test figures.", "id": "Angka uji ilustratif."}
ZERO = re.compile(r"Rp 0(?![0-9.,])")  # "Rp 0" alone, not "Rp 0.5" or "Rp 0,"


def programme(data: dict, pid: str) -> dict:
    return next(p for p in data["programmes"] if p["id"] == pid)


def add_directory(data: dict) -> None:
    """A programme taking the library's 'manufacturers-directory' lines (costed in 2003) unchanged."""
    tour = programme(data, "study-tour")
    data["programmes"].append({
        **{k: v for k, v in tour.items() if k not in ("budget", "content")},
        "id": "directory", "library": "manufacturers-directory", "start_month": 10, "duration_months": 2,
        "funding": "regency-budget", "indicator": {**tour["indicator"], "id": "p-directory"},
    })


def plan_2015(data: dict, **extra) -> None:
    data["year"] = 2015
    data["prices"] = {"year": 2015, "usd_rate": RATE, "rate_note": TEXT, **extra}
    data["provenance"].append({"field": "prices", "source": "illustrative", "reference": TEXT})
    add_directory(data)
    meetings = programme(data, "social-capital-meetings")  # wholly in kind: no lines
    del meetings["budget"]
    meetings["in_kind"] = True
    tour = programme(data, "study-tour")  # partly in kind: the bus is lent, at no rate
    tour["in_kind"] = True
    tour["budget"].append({"item": {"en": "Bus lent by the regency office", "id": "Bus pinjaman dinas"},
                           "quantity": 1, "unit": {"en": "bus", "id": "bus"}, "times": 2,
                           "times_unit": {"en": "days", "id": "hari"}, "rate": 0})


def all_in_kind(data: dict) -> None:
    for p in data["programmes"]:
        p.pop("budget", None)
        p["in_kind"] = True


def indexed(data: dict) -> None:
    plan_2015(data, index=INDEX, index_note=TEXT)


def own_rate_2003(data: dict) -> None:
    """The shipped 2003 plan with a rate of its own (monitoring must use it)."""
    data["prices"] = {"year": 2003, "usd_rate": 10000}
    data["provenance"].append({"field": "prices", "source": "illustrative"})


def build(tmp: Path, change, monitoring: bool = False) -> tuple[Path, params_io.LoadedParams]:
    root = tmp / "params"
    shutil.copytree(ROOT / "params" / "programmes", root / "programmes")
    folder = root / "clusters" / "jawa-tengah"
    folder.mkdir(parents=True)
    for source in (SAMPLE / "jawa-tengah").glob(f"{CLUSTER}.*"):
        if monitoring or ".monitoring" not in source.name:  # its periods are of the 2003 plan
            shutil.copy(source, folder / source.name)
    plan_file = folder / f"{CLUSTER}.plan.yaml"
    if change is not None:
        data = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
        change(data)
        plan_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder, params_io.load_file(folder / f"{CLUSTER}.yaml")


def rendered(tmp: Path, change, kinds=("action-plan",)) -> tuple[params_io.LoadedParams, dict]:
    """The documents' text per (kind, lang)."""
    _, item = build(tmp, change, monitoring="monitoring" in kinds)
    out = tmp / "out"
    outcome = render.render_cluster(item, list(kinds), ["id", "en"], ["html"], out, [],
                                    ROOT / "templates")
    assert outcome.error is None, outcome.error
    texts = {(k, lang): html_text(output_path(out, item, k, lang, "html"))[0]
             for k in kinds for lang in ("id", "en")}
    for text in texts.values():
        assert not LEFTOVERS.search(text)
    return item, texts


@pytest.fixture(scope="module")
def plan_2015_docs(tmp_path_factory):
    return rendered(tmp_path_factory.mktemp("p2015"), plan_2015)


@pytest.fixture(scope="module")
def indexed_docs(tmp_path_factory):
    return rendered(tmp_path_factory.mktemp("indexed"), indexed)


# --- a 2015 plan with its own rate ------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_us_dollar_figure_uses_the_plans_rate(plan_2015_docs, lang):
    item, texts = plan_2015_docs
    text, f = texts["action-plan", lang], Formatter(lang)
    resolved = budget.resolve_plan(item.plan, item.library)
    grand = budget.total(resolved)
    assert f.usd(grand / RATE) in text and f.usd(grand / 8000) not in text
    in_kind = {"en": " + in kind", "id": " + kontribusi nontunai"}[lang]
    # the budget table's total row: whole dollars adjusted to the rounded grand total
    dollars = shares.apportion([p.total / RATE for p in resolved])
    for p, usd in zip(resolved, dollars, strict=True):
        if p.total:
            assert f"{f.rupiah(p.total)}{in_kind if p.in_kind else ''} ({f.usd(usd)})" in text
    said = {"en": f"The amounts are in 2015 prices, and the US dollar figures use the plan's rate of "
                  f"US$ 1 = {f.rupiah(RATE)}. Exchange rate: {TEXT['en']}",
            "id": f"Jumlah ini dinyatakan dalam harga tahun 2015, dan padanan dolar AS memakai kurs "
                  f"rencana ini, yaitu US$ 1 = {f.rupiah(RATE)}. Kurs: {TEXT['id']}"}
    assert said[lang] in text
    # running text rounds the amount as a report does ("Rp 71.4 million")
    in_2015 = {"en": f"{f.rupiah_rounded(grand)} in 2015 prices",
               "id": f"{f.rupiah_rounded(grand)} menurut harga tahun 2015"}
    assert in_2015[lang] in text


def test_library_lines_costed_in_2003_are_said_to_be_unchanged(plan_2015_docs):
    item, texts = plan_2015_docs
    note = {
        "en": "These budget lines are taken unchanged from the programme they follow, costed in "
              "2003 prices; the other amounts of this plan are in 2015 prices.",
        "id": "Rincian anggaran ini diambil tanpa perubahan dari program yang diikutinya, yang dihitung "
              "dengan harga tahun 2003, sedangkan angka lain dalam rencana ini memakai harga tahun 2015.",
    }
    summary = {
        "en": 'The budget lines of the programme "{title}" are taken unchanged from the programme it '
              "follows, which costed them in 2003 prices. These lines, and the totals that include them, "
              "do not reflect the change in prices since then. Their rates must be checked and brought to "
              "2015 prices before the plan is adopted.",
        "id": 'Rincian anggaran program "{title}" diambil tanpa perubahan dari program yang diikutinya, yang '
              "menghitungnya dengan harga tahun 2003. Rincian tersebut, beserta jumlah yang mencakupnya, "
              "belum memperhitungkan perubahan harga sejak tahun itu. Harga satuannya harus diperiksa dan "
              "disesuaikan ke harga tahun 2015 sebelum rencana ini disahkan.",
    }
    first = {"en": "Some budget lines are still in the prices of the "
                   "year in which they were costed.",
             "id": "Sebagian rincian anggaran masih memakai harga tahun "
                   "penghitungannya."}
    for lang in ("en", "id"):
        text = texts["action-plan", lang]
        assert text.count(note[lang]) == 1, lang  # only the directory's table: the others are the plan's own
        title = next(p.title.get(lang) for p in budget.resolve_plan(item.plan, item.library)
                     if p.id == "directory")
        assert summary[lang].format(title=title) in text
        assert first[lang] in text  # the summary's total says its exception too
        # the lines keep their 2003 rates
        assert Formatter(lang).rupiah(10_500_000) in text


def test_an_index_restates_the_library_lines_and_says_by_which_figures(indexed_docs):
    _, texts = indexed_docs
    en, id_ = texts["action-plan", "en"], texts["action-plan", "id"]
    assert ("They are restated in 2015 prices with the price index given in the plan (2003 = 100; 2015 = 250)"
            in en)
    assert ("Harga satuannya telah disesuaikan ke harga tahun 2015 dengan indeks harga yang dicantumkan "
            "dalam rencana (2003 = 100; 2015 = 250)" in id_)
    assert f"Price index: {TEXT['en']}" in en and f"Indeks harga: {TEXT['id']}" in id_
    assert "2 managers × 1 month × Rp 3,750,000" in en and "Rp 26,250,000" in en
    assert "2 manajer × 1 bulan × Rp 3.750.000" in id_
    assert "taken unchanged" not in en and "tanpa perubahan" not in id_


# --- in-kind programmes -----------------------------------------------------------------------

def test_in_kind_programmes_read_as_in_kind_never_rp_0(plan_2015_docs):
    item, texts = plan_2015_docs
    resolved = budget.resolve_plan(item.plan, item.library)
    grand = budget.total(resolved)
    assert grand == sum(p.total for p in resolved if p.id != "social-capital-meetings")
    en, id_ = texts["action-plan", "en"], texts["action-plan", "id"]
    for text in (en, id_):
        assert not ZERO.search(text), ZERO.search(text)
    assert ("It needs no money from the plan's budget: those who take part contribute the staff time, rooms "
            "and services it needs.") in en
    assert ("Program ini tidak memerlukan dana dari anggaran rencana: tenaga, tempat, dan jasa yang "
            "diperlukannya disumbangkan oleh pihak-pihak yang terlibat.") in id_
    assert "1 bus × 2 days, in kind" in en and "1 bus × 2 hari, kontribusi nontunai" in id_
    tour = next(p for p in resolved if p.id == "study-tour")
    assert f"Rp {tour.total:,} + in kind" in en
    assert "Kontribusi nontunai" in id_ and "natura" not in id_.lower() and "in-kind" not in id_
    # shares of the money only: the in-kind programme adds nothing and the shares still sum to 100%
    assert '"In kind" marks what those who take part contribute' in en and "It is not valued" in en
    assert "The programmes need " + Formatter("en").rupiah_rounded(grand) + " in money" in en


def test_a_plan_wholly_in_kind_renders_without_money(tmp_path):
    _, texts = rendered(tmp_path, all_in_kind, kinds=("action-plan", "guideline"))
    en, id_ = texts["action-plan", "en"], texts["action-plan", "id"]
    assert "The plan needs no money: all 7 programmes are carried out in kind" in en
    assert ("Rencana ini tidak memerlukan dana. Seluruh 7 programnya dilaksanakan dengan kontribusi "
            "nontunai") in id_
    for text in texts.values():
        assert not ZERO.search(text) and "US$ 0" not in text
    # the facilitator's progress form gives the planned budget as in kind too
    assert "In kind" in texts["guideline", "en"]
    assert "Kontribusi nontunai" in texts["guideline", "id"] and "in-kind" not in texts["guideline", "id"]


# --- old plans, and the monitoring report -----------------------------------------------------

def test_the_shipped_plans_read_as_before_with_the_price_year(sample_by_id, templates, tmp_path):
    item = sample_by_id[CLUSTER]
    outcome = render.render_cluster(item, ["action-plan"], ["en"], ["html"], tmp_path, [], templates)
    assert outcome.error is None, outcome.error
    text = html_text(output_path(tmp_path, item, "action-plan", "en", "html"))[0]
    grand = budget.total(budget.resolve_plan(item.plan, item.library))
    # Rp 67,075,000 reads "Rp 67.1 million"; its dollars in the sentence, three significant figures
    assert (f"The programmes cost {Formatter('en').rupiah_rounded(grand)} in all, about "
            f"{Formatter('en').usd_rounded(grand / 8000)}.") in text
    # the section states the rate once, in the next sentence
    assert "in all, about US$ 8,384 at Rp" not in text
    assert ("The amounts are in 2003 prices, the reference year of the cluster profile, and the US dollar "
            "figures use the profile's rate of US$ 1 = Rp 8,000.") in text
    assert "taken unchanged" not in text and "restated" not in text and "in kind" not in text


def test_the_monitoring_report_converts_at_the_plans_rate(tmp_path):
    item, texts = rendered(tmp_path, own_rate_2003, kinds=("monitoring",))
    planned = budget.total(budget.resolve_plan(item.plan, item.library))
    en = texts["monitoring", "en"]
    f = Formatter("en")
    assert f"of {f.usd_rounded(planned / 10000)})" in en
    assert f"of {f.usd_rounded(planned / 8000)})" not in en
