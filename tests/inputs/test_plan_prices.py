"""A plan's prices (price year, US dollar rate, optional price index), the year the programme
library costed its budget lines in, and in-kind programmes: what validates, what is refused with
which message (file, field, reason), and the arithmetic of restating a library line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLE

from cluster_reports.domain import budget, prices
from cluster_reports.inputs import params_io, programmes
from cluster_reports.inputs.schema.plan import Prices
from cluster_reports.inputs.yaml_io import ParamsError

CLUSTER = "kebumen-roof-tile"
RATE_NOTE = {"en": "Test rate for 2015.", "id": "Kurs uji untuk 2015."}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A params tree with Kebumen, its plan and a copy of the programme library; returns the plan."""
    root = tmp_path / "params"
    shutil.copytree(ROOT / "params" / "programmes", root / "programmes")
    folder = root / "clusters" / "jawa-tengah"
    folder.mkdir(parents=True)
    for name in (f"{CLUSTER}.yaml", f"{CLUSTER}.plan.yaml"):
        shutil.copy(SAMPLE / "jawa-tengah" / name, folder / name)
    return folder / f"{CLUSTER}.plan.yaml"


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def programme(data: dict, pid: str) -> dict:
    return next(p for p in data["programmes"] if p["id"] == pid)


def add_directory(data: dict) -> None:
    """A programme that takes the library's 'manufacturers-directory' lines unchanged (2003 prices)."""
    tour = programme(data, "study-tour")
    data["programmes"].append({
        **{k: v for k, v in tour.items() if k not in ("budget", "content")},
        "id": "directory", "library": "manufacturers-directory", "start_month": 10, "duration_months": 2,
        "funding": "regency-budget", "indicator": {**tour["indicator"], "id": "p-directory"},
    })


def plan_2015(data: dict, **prices_extra) -> None:
    data["year"] = 2015
    data["prices"] = {"year": 2015, "usd_rate": 13000, "rate_note": RATE_NOTE, **prices_extra}
    data["provenance"].append({"field": "prices", "source": "illustrative"})


def problems_of(plan_file: Path) -> list[str]:
    with pytest.raises(ParamsError) as caught:
        params_io.load_file(plan_file.with_name(f"{CLUSTER}.yaml"))
    return [str(p) for p in caught.value.problems]


def load(plan_file: Path) -> params_io.LoadedParams:
    return params_io.load_file(plan_file.with_name(f"{CLUSTER}.yaml"))


# --- prices -----------------------------------------------------------------------------------

def test_a_plan_without_prices_uses_the_clusters_year_and_rate(sample_by_id):
    for cluster_id in ("kebumen-roof-tile", "serenan-klaten-wood-furniture", "waru-sidoarjo-metalwork"):
        item = sample_by_id[cluster_id]
        assert item.plan.prices is None
        basis = prices.basis(item.plan, item.params)
        assert (basis.year, basis.usd_rate, basis.from_cluster) == (2003, 8000, True)
        assert basis.rate_note == item.params.currency.rate_note


def test_a_plan_gives_its_own_price_year_and_rate(tree: Path):
    edit(tree, plan_2015)
    item = load(tree)
    basis = prices.basis(item.plan, item.params)
    assert (basis.year, basis.usd_rate, basis.from_cluster) == (2015, 13000, False)
    assert basis.rate_note.en == RATE_NOTE["en"]


def test_prices_say_where_they_come_from(tree: Path):
    def no_provenance(d):
        plan_2015(d)
        d["provenance"] = [e for e in d["provenance"] if e["field"] != "prices"]
    edit(tree, no_provenance)
    assert any(f"{tree.name}: provenance: " in p and "does not say where these come from: prices" in p
               for p in problems_of(tree))


@pytest.mark.parametrize(("extra", "field", "reason"), [
    ({"usd_rate": 0}, "prices.usd_rate", "greater than 0"),
    ({"index": {2003: 100}, "index_note": RATE_NOTE}, "prices.index",
     "gives no value for 2015, the year of the plan's prices"),
    ({"index": {2003: 100, 2015: 250}}, "prices.index_note", "say what the index is"),
    ({"index": {2010: 100, 2015: 150}, "index_note": RATE_NOTE}, "prices.index",
     "gives no value for 2003, the year library programme 'manufacturers-directory' "
     "(taken by programme 'directory') was costed in"),
])
def test_bad_prices_are_named_by_file_field_and_reason(tree: Path, extra: dict, field: str, reason: str):
    edit(tree, lambda d: (add_directory(d), plan_2015(d, **extra)))
    found = problems_of(tree)
    assert any(f"{tree.name}: {field}: " in p and reason in p for p in found), found


def test_an_index_restates_library_lines_in_the_plans_prices(tree: Path):
    edit(tree, lambda d: (add_directory(d), plan_2015(d, index={2003: 100, 2015: 250},
                                                      index_note=RATE_NOTE)))
    item = load(tree)
    directory = next(p for p in budget.resolve_plan(item.plan, item.library) if p.id == "directory")
    # Section 5.3 (1): rates of Rp 1,500,000 (twice) and Rp 150 a page-copy, at 250/100.
    assert [line.rate for line in directory.lines] == [3_750_000, 3_750_000, 375]
    assert directory.total == 26_250_000 == round(10_500_000 * 2.5)
    assert (directory.costed_year, directory.restated) == (2003, True)
    # The plan's own lines are in its own prices already: never restated.
    tour = next(p for p in budget.resolve_plan(item.plan, item.library) if p.id == "study-tour")
    assert (tour.costed_year, tour.restated) == (None, False)


def test_restated_rates_are_whole_rupiah_rounded_half_up():
    p = Prices(year=2015, usd_rate=13000, index={2003: 100, 2015: 212.5},
               index_note={"en": "x", "id": "x"})
    assert budget.restated_rate(150, 2003, p) == 319  # 318.75
    assert budget.restated_rate(2, 2003, p) == 4  # 4.25
    assert budget.restated_rate(1_500_000, 2003, p) == 3_187_500


def test_without_an_index_library_lines_stay_as_costed(tree: Path):
    edit(tree, lambda d: (add_directory(d), plan_2015(d)))
    item = load(tree)
    directory = next(p for p in budget.resolve_plan(item.plan, item.library) if p.id == "directory")
    assert directory.total == 10_500_000
    assert (directory.costed_year, directory.restated) == (2003, False)
    assert prices.out_of_year(directory, prices.basis(item.plan, item.params))


# --- the library's costed year ----------------------------------------------------------------

def test_the_shipped_library_says_when_its_lines_were_costed():
    library = programmes.load(ROOT / "params" / "programmes")
    with_lines = [p for p in library.programmes.values() if p.budget]
    assert with_lines and all(p.costed_year == 2003 for p in with_lines)


def test_a_programme_may_override_the_librarys_costed_year(tree: Path):
    folder = tree.parents[2] / "programmes"
    data = yaml.safe_load((folder / "national.yaml").read_text(encoding="utf-8"))
    programme(data, "manufacturers-directory")["costed_year"] = 2010
    (folder / "national.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    library = programmes.load(folder)
    assert library.get("manufacturers-directory").costed_year == 2010
    assert library.get("provincial-cluster-forum").costed_year == 2003


def test_a_library_with_lines_of_no_year_is_refused_with_how_to_fix(tree: Path):
    folder = tree.parents[2] / "programmes"
    data = yaml.safe_load((folder / "national.yaml").read_text(encoding="utf-8"))
    del data["costed_year"]
    (folder / "national.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParamsError) as caught:
        programmes.load(folder)
    found = [str(p) for p in caught.value.problems]
    assert any("national.yaml: programmes: " in p and "manufacturers-directory" in p
               and "give costed_year at the top of the file" in p for p in found), found


def test_a_library_line_at_rate_0_is_refused(tree: Path):
    folder = tree.parents[2] / "programmes"
    data = yaml.safe_load((folder / "national.yaml").read_text(encoding="utf-8"))
    programme(data, "manufacturers-directory")["budget"][0]["rate"] = 0
    (folder / "national.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ParamsError) as caught:
        programmes.load(folder)
    found = [str(p) for p in caught.value.problems]
    assert any("national.yaml: programmes[5].budget: " in p and "line [0] has rate 0" in p
               for p in found), found


# --- in-kind programmes -----------------------------------------------------------------------

def test_an_in_kind_programme_may_have_no_budget_lines(tree: Path):
    def in_kind(d):
        meetings = programme(d, "social-capital-meetings")
        del meetings["budget"]
        meetings["in_kind"] = True
    edit(tree, in_kind)
    item = load(tree)
    meetings = next(p for p in budget.resolve_plan(item.plan, item.library)
                    if p.id == "social-capital-meetings")
    # It never takes the library programme's lines (social-capital has none anyway) and costs Rp 0.
    assert (meetings.in_kind, meetings.lines, meetings.total) == (True, [], 0)
    assert not meetings.budget_from_library


def test_an_in_kind_programme_never_takes_the_library_lines(tree: Path):
    def in_kind_directory(d):
        add_directory(d)
        programme(d, "directory")["in_kind"] = True
    edit(tree, in_kind_directory)
    item = load(tree)
    directory = next(p for p in budget.resolve_plan(item.plan, item.library) if p.id == "directory")
    assert (directory.total, directory.lines, directory.costed_year) == (0, [], None)


def test_a_programme_that_costs_nothing_must_say_it_is_in_kind(tree: Path):
    edit(tree, lambda d: programme(d, "business-planning").pop("budget"))
    found = problems_of(tree)
    assert any(f"{tree.name}: programmes[5]: " in p and "needs budget lines" in p
               and "or in_kind: true if it is carried out in kind" in p for p in found), found


def test_a_line_at_rate_0_is_refused_unless_the_programme_is_in_kind(tree: Path):
    edit(tree, lambda d: programme(d, "study-tour")["budget"][1].update(rate=0))
    found = problems_of(tree)
    assert any(f"{tree.name}: programmes[1].budget: " in p and "line [1] has rate 0" in p
               and "set in_kind: true" in p for p in found), found

    edit(tree, lambda d: programme(d, "study-tour").update(in_kind=True))
    item = load(tree)
    tour = next(p for p in budget.resolve_plan(item.plan, item.library) if p.id == "study-tour")
    assert tour.in_kind and tour.lines[1].amount == 0 and tour.total == sum(x.amount for x in tour.lines) > 0
