"""Monitoring arithmetic: % achieved, success cases, completion, turnover, channels, conditions."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SAMPLE

from cluster_reports.domain import budget, indicators
from cluster_reports.inputs import yaml_io
from cluster_reports.inputs.schema import ClusterParams, Monitoring, Plan

KEBUMEN = SAMPLE / "jawa-tengah" / "kebumen-roof-tile.yaml"


def kebumen() -> ClusterParams:
    """The pilot's params alone (its sidecars are not needed here)."""
    return yaml_io.validate(ClusterParams, yaml_io.parse_yaml(KEBUMEN.read_bytes(), KEBUMEN), KEBUMEN)


def text(en: str, id_: str | None = None) -> dict:
    return {"en": en, "id": id_ or en}


def programme(pid: str, start: int, rate: int, baseline: float, target: float) -> dict:
    return {
        "id": pid, "title": text(pid), "objective": text("why"), "lead": "lpm-ugm",
        "start_month": start, "duration_months": 2, "funding": "regency-budget",
        "budget": [{"item": text("sessions"), "quantity": 2, "unit": text("sessions"), "rate": rate}],
        "indicator": {"id": f"p-{pid}", "name": text(f"{pid} indicator"), "unit": text("firms"),
                      "baseline": baseline, "target": target},
    }


def plan_data(min_annual_sales: int | None = 1_000_000_000) -> dict:
    goal = {"description": text("reach a buyer outside Java")}
    if min_annual_sales:
        goal["min_annual_sales"] = min_annual_sales
    return {
        "cluster": "kebumen-roof-tile", "year": 2003, "vision": text("vision"),
        "medium_plan": [
            {"goal": text("consortium grows"), "targets": [20, 30, 40],
             "indicator": {"id": "consortium-members", "name": text("members"), "unit": text("firms"),
                           "baseline": 12}},
            {"goal": text("fewer rejects"), "targets": [20, 15, 10],
             "indicator": {"id": "reject-rate", "name": text("reject rate"), "unit": text("%"),
                           "baseline": 30}},
        ],
        "programmes": [programme("study-tour", 5, 1_000_000, 0, 1),
                       programme("socialisation", 1, 500_000, 0, 2)],
        "success_goal": goal,
        "provenance": [{"field": f, "source": "illustrative"}
                       for f in ("vision", "medium_plan", "programmes", "success_goal")],
    }


QUARTERS = [
    {"id": f"q{n}", "label": text(f"Q{n} 2003"), "end": end}
    for n, end in enumerate(["2003-03-31", "2003-06-30", "2003-09-30", "2003-12-31"], start=1)
]


def observation(firm: str, period: str, turnover: int, channel: str = "intermediary",
                reached: bool = False) -> dict:
    return {"firm": firm, "period": period, "turnover": turnover, "channel": channel,
            "reached_goal": reached}


def monitoring_data(**changes) -> dict:
    data = {
        "cluster": "kebumen-roof-tile", "plan_year": 2003, "periods": QUARTERS,
        "indicators": [
            {"indicator": "consortium-members", "actuals": {"q1": 12, "q2": 14, "q4": 17}},
            {"indicator": "reject-rate", "actuals": {"q1": 28, "q3": 25}},
            {"indicator": "p-socialisation", "actuals": {"q1": 2}},
        ],
        "conditions": kebumen().assessment.model_dump(mode="json"),
        "programmes": [
            {"programme": "socialisation", "status": "done", "done_pct": 100, "spent": 900_000},
            {"programme": "study-tour", "status": "in-progress", "done_pct": 50, "spent": 500_000},
        ],
        "firms": [
            # 300 million a quarter: 1.2 billion a year, above the plan's 1 billion.
            *(observation("Genteng Sokka Mas", q, 300_000_000) for q in ("q1", "q2", "q3", "q4")),
            # Reached the goal in q3 (and again in q4), sales far below the line.
            observation("UD Sumber Genteng", "q1", 60_000_000),
            observation("UD Sumber Genteng", "q2", 70_000_000, "cooperative"),
            observation("UD Sumber Genteng", "q3", 80_000_000, "cooperative", reached=True),
            observation("UD Sumber Genteng", "q4", 90_000_000, "cooperative", reached=True),
            # Observed in two quarters only: 260 million in half a year is 520 million a year.
            observation("Genteng Sokka Prima", "q1", 120_000_000),
            observation("Genteng Sokka Prima", "q2", 140_000_000, "wholesale"),
        ],
        "lessons": [text("lesson")],
        "provenance": [{"field": f, "source": "illustrative"}
                       for f in ("indicators", "conditions", "programmes", "firms", "lessons")],
    }
    data.update(changes)
    return data


@pytest.fixture(scope="module")
def cluster():
    return kebumen()


@pytest.fixture
def plan() -> Plan:
    return Plan.model_validate(plan_data())


@pytest.fixture
def monitoring() -> Monitoring:
    return Monitoring.model_validate(monitoring_data())


# --- % achieved -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("baseline", "target", "actual", "pct", "met"),
    [
        (12, 20, 12, 0.0, False),        # no change yet
        (12, 20, 16, 50.0, False),       # half way
        (12, 20, 20, 100.0, True),       # reached
        (12, 20, 24, 150.0, True),       # passed: not capped
        (12, 20, 10, -25.0, False),      # moved away from the target
        (30, 20, 25, 50.0, False),       # less is better: half of the planned fall
        (30, 20, 15, 150.0, True),       # less is better, passed
        (30, 20, 33, -30.0, False),      # less is better, got worse
        (0, 1, 1, 100.0, True),
    ],
)
def test_achievement_is_the_share_of_the_planned_change(baseline, target, actual, pct, met):
    result = indicators.achievement(baseline, target, actual)
    assert result.pct == pytest.approx(pct)
    assert result.met is met


@pytest.mark.parametrize(("actual", "met"), [(5, True), (6, True), (4, False)])
def test_target_equal_to_baseline_has_no_percentage(actual, met):
    result = indicators.achievement(5, 5, actual)
    assert result.pct is None
    assert result.met is met


def test_indicator_rows_use_first_year_targets_and_latest_actuals(plan, monitoring):
    rows = {r.id: r for r in indicators.indicator_rows(plan, monitoring)}
    assert list(rows) == ["consortium-members", "reject-rate", "p-socialisation", "p-study-tour"]
    members = rows["consortium-members"]
    assert members.level == "goal" and members.target == 20  # first of 20, 30, 40
    assert members.actuals == [12, 14, None, 17]
    assert (members.latest_period, members.latest) == ("q4", 17)
    assert members.achievement.pct == pytest.approx(62.5)  # (17 - 12) / (20 - 12)
    rejects = rows["reject-rate"]
    assert (rejects.latest_period, rejects.latest) == ("q3", 25)  # q4 not observed
    assert rejects.achievement.pct == pytest.approx(50.0)  # from 30 towards 20, at 25
    assert rows["p-socialisation"].achievement.pct == pytest.approx(100.0)
    never = rows["p-study-tour"]  # in the plan, never observed
    assert never.latest is None and never.achievement is None and never.actuals == [None] * 4


# --- success cases and turnover -----------------------------------------------------------------------

def test_period_days_start_on_the_first_of_january(monitoring):
    assert indicators.period_days(monitoring) == {"q1": 90, "q2": 91, "q3": 92, "q4": 92}


def test_annualised_turnover_sums_the_year_and_scales_part_years(monitoring):
    annual = indicators.annualised_turnover(monitoring)
    assert annual["Genteng Sokka Mas"] == 1_200_000_000
    assert annual["UD Sumber Genteng"] == 300_000_000
    # 260 million over 181 days (q1 + q2), scaled to 365 days.
    assert annual["Genteng Sokka Prima"] == round(260_000_000 * 365 / 181)


def test_success_cases_by_goal_and_by_sales(plan, monitoring):
    cases = {c.firm: c for c in indicators.success_cases(plan, monitoring)}
    assert set(cases) == {"Genteng Sokka Mas", "UD Sumber Genteng"}
    assert cases["Genteng Sokka Mas"].by_sales and not cases["Genteng Sokka Mas"].by_goal
    assert cases["UD Sumber Genteng"].by_goal and not cases["UD Sumber Genteng"].by_sales
    assert cases["UD Sumber Genteng"].goal_period == "q3"  # the first period it reached the goal
    # Largest first.
    assert [c.firm for c in indicators.success_cases(plan, monitoring)][0] == "Genteng Sokka Mas"


def test_a_firm_already_above_the_sales_line_is_no_success_by_sales(plan, monitoring):
    already = {"Genteng Sokka Mas": 1_100_000_000, "UD Sumber Genteng": 100_000_000}
    cases = {c.firm: c for c in indicators.success_cases(plan, monitoring, already)}
    assert set(cases) == {"UD Sumber Genteng"}  # Sokka Mas sold above the line before the plan
    below = {"Genteng Sokka Mas": 200_000_000}
    assert "Genteng Sokka Mas" in {c.firm for c in indicators.success_cases(plan, monitoring, below)}


def test_without_a_sales_line_only_the_goal_counts(monitoring):
    plan = Plan.model_validate(plan_data(min_annual_sales=None))
    assert [c.firm for c in indicators.success_cases(plan, monitoring)] == ["UD Sumber Genteng"]


def test_turnover_by_period_against_the_same_firms_baseline(cluster, monitoring):
    rows = {r.period: r for r in indicators.turnover_by_period(cluster, monitoring)}
    q1, q3 = rows["q1"], rows["q3"]
    assert (q1.firms, q1.total) == (3, 480_000_000)
    table = {f.name: f.annual_sales for f in cluster.firms.table}
    names = ("Genteng Sokka Mas", "UD Sumber Genteng", "Genteng Sokka Prima")
    assert q1.baseline == round(sum(table[n] for n in names) * 90 / 365)
    assert q3.firms == 2  # Sokka Prima not observed in q3
    assert q3.baseline == round((table["Genteng Sokka Mas"] + table["UD Sumber Genteng"]) * 92 / 365)
    assert q3.change_pct == pytest.approx((q3.total - q3.baseline) / q3.baseline * 100)


def test_channel_mix_shares_of_turnover(monitoring):
    mix = [(s.period, s.channel, s.firms, round(s.share_pct, 1)) for s in indicators.channel_mix(monitoring)]
    assert ("q1", "intermediary", 3, 100.0) in mix
    q2 = [m for m in mix if m[0] == "q2"]
    assert q2 == [("q2", "intermediary", 1, 58.8), ("q2", "wholesale", 1, 27.5),
                  ("q2", "cooperative", 1, 13.7)]
    q4 = [s.share_pct for s in indicators.channel_mix(monitoring) if s.period == "q4"]
    assert sum(q4) == pytest.approx(100)


def test_supported_firms_in_order_first_seen(monitoring):
    assert indicators.supported_firms(monitoring) == [
        "Genteng Sokka Mas", "UD Sumber Genteng", "Genteng Sokka Prima"]


# --- programmes and conditions ------------------------------------------------------------------------

def test_completion_against_the_resolved_budget(plan, monitoring):
    resolved = budget.resolve_plan(plan, None)
    result = indicators.completion(resolved, monitoring)
    assert [r.id for r in result.rows] == ["socialisation", "study-tour"]  # schedule order
    social, tour = result.rows
    assert (social.planned, social.spent, social.status) == (1_000_000, 900_000, "done")
    assert social.spent_pct == pytest.approx(90.0)
    assert (tour.planned, tour.done_pct) == (2_000_000, 50)
    assert (result.planned, result.spent) == (3_000_000, 1_400_000)
    assert (result.done, result.count) == (1, 2)
    # Weighted by planned budget: (100 x 1 + 50 x 2) / 3.
    assert result.done_pct == pytest.approx(200 / 3)


def test_unreported_programme_counts_as_not_started(plan):
    monitoring = Monitoring.model_validate(monitoring_data(programmes=[
        {"programme": "socialisation", "status": "done", "done_pct": 100, "spent": 1_000_000}]))
    result = indicators.completion(budget.resolve_plan(plan, None), monitoring)
    tour = result.rows[1]
    assert (tour.status, tour.spent, tour.done_pct) == ("not-reported", 0, 0)


def test_condition_changes(cluster):
    latest = cluster.assessment.model_dump(mode="json")
    latest["related_supporting"]["score"] = 3
    monitoring = Monitoring.model_validate(monitoring_data(conditions=latest))
    changes = {c.key: c for c in indicators.condition_changes(cluster, monitoring)}
    assert list(changes) == list(indicators.CONDITIONS)
    assert (changes["related_supporting"].baseline, changes["related_supporting"].latest) == (2, 3)
    assert changes["related_supporting"].change == 1
    assert changes["demand"].change == 0


# --- schema checks this module relies on --------------------------------------------------------------

def test_periods_must_not_end_before_the_plan_starts():
    periods = [{"id": "q0", "label": text("Q4 2002"), "end": dt.date(2002, 12, 31)}, *QUARTERS]
    with pytest.raises(ValueError, match=r"'q0' ends on 2002-12-31, before the plan starts \(1 January 2003"):
        Monitoring.model_validate(monitoring_data(periods=periods))


def test_done_programme_must_be_complete():
    with pytest.raises(ValueError, match="status is 'done' but done_pct is 80"):
        Monitoring.model_validate(monitoring_data(programmes=[
            {"programme": "socialisation", "status": "done", "done_pct": 80, "spent": 0}]))


def test_an_indicator_is_reported_once():
    data = monitoring_data()
    data["indicators"].append({"indicator": "reject-rate", "actuals": {"q4": 22}})
    with pytest.raises(ValueError, match=r"indicators\[3\]: 'reject-rate' is reported twice"):
        Monitoring.model_validate(data)
