"""Budget arithmetic of action plans: line amounts (quantity x times x rate), programmes that take
their lines from the programme library, totals per programme and per funding source, rounding."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from cluster_reports.documents.action_plan import calculation
from cluster_reports.documents.i18n import Formatter
from cluster_reports.domain import budget
from cluster_reports.inputs import programmes
from cluster_reports.inputs.schema import BudgetLine, Funding, Plan, Programme

LIBRARY = programmes.load(ROOT / "params" / "programmes")


def text(en: str) -> dict:
    return {"en": en, "id": en}


def line(quantity, rate, times=1, **extra) -> BudgetLine:
    return BudgetLine(item=text("x"), quantity=quantity, unit=text("u"), times=times, rate=rate, **extra)


def programme(pid: str = "p", **fields) -> Programme:
    data = {
        "id": pid, "title": text("T"), "objective": text("O"), "lead": "lead", "start_month": 1,
        "duration_months": 3, "funding": "donor",
        "indicator": {"id": f"p-{pid}", "name": text("n"), "unit": text("u"), "baseline": 0, "target": 1},
        **fields,
    }
    return Programme.model_validate(data)


def test_study_lines_give_the_study_amounts():
    # Section 5.3 (1): 2 managers x 1 month x Rp 1,500,000 and 30 pages x 1,000 copies x Rp 150.
    assert budget.amount(line(2, 1_500_000, times=1)) == 3_000_000
    assert budget.amount(line(30, 150, times=1000)) == 4_500_000


def test_amounts_are_whole_rupiah_rounded_half_up():
    assert budget.amount(line(0.5, 3)) == 2  # 1.5 -> 2
    assert budget.amount(line(2.5, 1)) == 3  # banker's rounding would give 2
    assert budget.amount(line(0.1, 3, times=3)) == 1  # 0.9; binary floats would not matter either
    assert budget.amount(line(1.005, 1000)) == 1005  # decimal arithmetic, no 1004.999...


def test_the_library_directory_programme_totals_the_study_figures():
    entry = LIBRARY.get("manufacturers-directory")
    assert entry is not None and entry.number == 6
    assert [budget.amount(b) for b in entry.budget] == [3_000_000, 3_000_000, 4_500_000]


def test_library_programmes_without_a_study_figure_have_no_lines_and_say_why():
    no_figure = ("facilitator-capacity", "social-capital", "bds-financial-intermediary",
                 "machinery-renovation")
    for pid in no_figure:
        entry = LIBRARY.get(pid)
        assert entry.budget == [] and entry.budget_note is not None, pid
    assert budget.amount(LIBRARY.get("provincial-cluster-forum").budget[0]) == 3_000_000
    assert budget.amount(LIBRARY.get("local-cluster-forum").budget[0]) == 10_000_000


def test_a_programme_without_lines_inherits_the_library_lines_and_title():
    resolved = budget.resolve(programme(library="manufacturers-directory", title=None, objective=None),
                              LIBRARY)
    assert resolved.budget_from_library
    assert resolved.title.en == "Manufacturers' directory"
    assert resolved.objective == LIBRARY.get("manufacturers-directory").why
    assert resolved.total == 10_500_000
    # Library lines carry no funding source: they take the programme's.
    assert {ln.funding for ln in resolved.lines} == {Funding.donor}


def test_own_lines_replace_the_library_lines():
    resolved = budget.resolve(
        programme(library="manufacturers-directory", budget=[line(1, 250_000).model_dump()]), LIBRARY,
    )
    assert not resolved.budget_from_library
    assert resolved.total == 250_000
    assert resolved.title.en == "T"  # own title wins over the library's


def test_unknown_library_programme_is_an_error():
    with pytest.raises(ValueError, match="'nowhere' not found"):
        budget.resolve(programme(library="nowhere", budget=[line(1, 1).model_dump()]), LIBRARY)


def test_totals_by_funding_use_each_lines_own_source():
    a = budget.resolve(programme("a", budget=[line(2, 1_500_000).model_dump(),
                                               line(10, 20_000, funding="self-funded").model_dump()]), None)
    b = budget.resolve(programme("b", funding="regency-budget",
                                 budget=[line(1, 750_000).model_dump()]), None)
    assert a.total == 3_200_000
    assert budget.total([a, b]) == 3_950_000
    sums = budget.by_funding([a, b])
    assert sums == {Funding.self_funded: 200_000, Funding.regency_budget: 750_000, Funding.donor: 3_000_000}
    assert list(sums) == [Funding.self_funded, Funding.regency_budget, Funding.donor]  # enumeration order


def test_plan_programmes_are_in_schedule_order(sample_by_id):
    loaded = sample_by_id["kebumen-roof-tile"]
    resolved = budget.resolve_plan(loaded.plan, loaded.library)
    starts = [p.start_month for p in resolved]
    assert starts == sorted(starts)
    assert budget.months_active(next(p for p in resolved if p.id == "study-tour")) == [3]


@pytest.mark.parametrize("cluster_id", ["waru-sidoarjo-metalwork", "serenan-klaten-wood-furniture",
                                        "kebumen-roof-tile"])
def test_pilot_totals_add_up(sample_by_id, cluster_id):
    loaded = sample_by_id[cluster_id]
    plan: Plan = loaded.plan
    resolved = budget.resolve_plan(plan, loaded.library)
    by_hand = sum(
        round(b.quantity * b.times * b.rate) for p in plan.programmes for b in p.budget
    )
    assert budget.total(resolved) == by_hand
    assert sum(budget.by_funding(resolved).values()) == by_hand
    assert all(p.total > 0 for p in resolved)


@pytest.mark.parametrize("lang, expected", [
    ("en", "2 managers × 1 month × Rp 1,500,000"),
    ("id", "2 manajer × 1 bulan × Rp 1.500.000"),
])
def test_a_line_is_shown_as_the_study_writes_it(lang, expected):
    entry = LIBRARY.get("manufacturers-directory")
    resolved = budget.resolve(programme(library=entry.id), LIBRARY)
    assert calculation(resolved.lines[0], Formatter(lang)) == expected
    pages = calculation(resolved.lines[2], Formatter(lang))
    expected_pages = {"en": "30 pages × 1,000 copies × Rp 150", "id": "30 halaman × 1.000 eksemplar × Rp 150"}
    assert pages == expected_pages[lang]


def test_a_line_without_times_shows_two_factors():
    resolved = budget.resolve(programme(budget=[line(300, 2_500).model_dump()]), None)
    assert calculation(resolved.lines[0], Formatter("en")) == "300 u × Rp 2,500"
    half = budget.resolve(programme(budget=[line(1.5, 1_000).model_dump()]), None)
    assert calculation(half.lines[0], Formatter("id")) == "1,50 u × Rp 1.000"


def test_library_files_exist():
    assert sorted(p.name for p in Path(LIBRARY.folder).glob("*.yaml")) == ["national.yaml", "pilot.yaml"]
    national = [p for p in LIBRARY.programmes.values() if p.source == "national"]
    assert sorted(p.number for p in national) == list(range(1, 13))
    pilot = [p for p in LIBRARY.programmes.values() if p.source == "pilot"]
    assert len(pilot) == 14 and all(p.pilots for p in pilot)
