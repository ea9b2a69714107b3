"""Monitoring periods from the plan's start on, of four kinds (routine, mid-term, final, ex-post), and
programme statuses with their reasons: what validates, what is refused and how the message says it."""

from __future__ import annotations

import datetime as dt

import pytest
from monlife_tree import EX_POST, copy_tree, edit, monitoring_file, plan_2016, with_ex_post

from cluster_reports.domain import indicators
from cluster_reports.inputs import params_io


def load(folder):
    return params_io.load_file(folder / "kebumen-roof-tile.yaml")


def problems(folder) -> str:
    with pytest.raises(params_io.ParamsError) as failure:
        load(folder)
    return "\n".join(str(p) for p in failure.value.problems)


@pytest.fixture
def tree(tmp_path):
    return plan_2016(copy_tree(tmp_path))


def test_an_ex_post_evaluation_in_2021_of_a_2016_plan(tmp_path):
    monitoring = load(with_ex_post(copy_tree(tmp_path))).monitoring
    kinds = [(p.id, p.kind) for p in monitoring.periods]
    assert kinds == [("q1", "routine"), ("q2", "routine"), ("q3", "routine"), ("q4", "routine"),
                     ("ex-post-2021", "ex-post")]
    # Routine periods start the day after the previous one ends, the first on 1 January.
    assert [p.start for p in monitoring.periods[:2]] == [dt.date(2016, 1, 1), dt.date(2016, 4, 1)]
    ex_post = monitoring.periods[-1]
    assert ex_post.start is None and ex_post.end == dt.date(2021, 3, 15) and ex_post.evaluation
    # Days of the routine periods (2016 is a leap year); the evaluation has none.
    assert indicators.period_days(monitoring) == {"q1": 91, "q2": 91, "q3": 92, "q4": 92}


def test_an_evaluation_before_the_routine_periods_is_read_in_date_order(tree):
    mid_term = {"id": "mid", "kind": "mid-term", "end": "2016-07-15",
                "label": {"en": "Mid-term evaluation", "id": "Evaluasi paruh waktu"}}
    edit(monitoring_file(tree), lambda d: d["periods"].insert(0, mid_term))
    assert [p.id for p in load(tree).monitoring.periods] == ["q1", "q2", "mid", "q3", "q4"]


def test_a_routine_period_with_its_own_start_is_annualised_by_its_days(tree):
    # Monitoring resumed in 2017 after a gap: Q1 2017 alone, from 1 January 2017.
    q1_2017 = {"id": "q1-2017", "start": "2017-01-01", "end": "2017-03-31",
               "label": {"en": "Q1 2017", "id": "Triwulan I 2017"}}
    edit(monitoring_file(tree), lambda d: d["periods"].append(q1_2017))
    monitoring = load(tree).monitoring
    assert indicators.period_days(monitoring)["q1-2017"] == 90
    assert [p.id for p in indicators.routine_periods(monitoring)][-1] == "q1-2017"


@pytest.mark.parametrize(
    ("period", "needle"),
    [
        ({"id": "q0", "end": "2015-12-31"},
         "'q0' ends on 2015-12-31, before the plan starts (1 January 2016, plan_year): monitoring begins "
         "with the plan"),
        ({"id": "early", "start": "2015-10-01", "end": "2016-01-31"},
         "'early' starts on 2015-10-01, before the plan starts (1 January 2016, plan_year)"),
        ({"id": "survey", "kind": "final", "start": "2016-12-01", "end": "2016-12-31"},
         "'survey' is a final evaluation, a visit on one day (end): remove its start"),
        ({"id": "extra", "start": "2016-06-01", "end": "2016-07-31"},
         "'extra' starts on 2016-06-01, before 'q2' ends (2016-06-30): routine periods must not overlap"),
    ],
    ids=["ends-before-the-plan", "starts-before-the-plan", "evaluation-with-start", "overlap"],
)
def test_bad_periods_are_refused_with_file_field_and_reason(tree, period, needle):
    period = {"label": {"en": "Period", "id": "Periode"}, **period}
    edit(monitoring_file(tree), lambda d: d["periods"].append(period))
    message = problems(tree)
    assert str(monitoring_file(tree)) in message
    assert "periods" in message and needle in message, message


def test_evaluations_alone_are_refused(tree):
    def only_ex_post(d):
        d["periods"] = [dict(EX_POST)]
        d["indicators"] = []
        d.pop("firms_csv")
    edit(monitoring_file(tree), only_ex_post)
    assert "there is no routine period" in problems(tree)


# --- programme statuses -------------------------------------------------------------------------------

def programmes(folder):
    return {p.programme: p for p in load(folder).monitoring.programmes}


def set_programme(folder, n: int, **fields) -> None:
    def change(d):
        d["programmes"][n].update(fields)
        for key in [k for k, v in fields.items() if v is None]:
            del d["programmes"][n][key]
    edit(monitoring_file(folder), change)


def test_old_status_values_still_validate(tree):
    # Files written before 'ongoing' say in-progress (here process-improvement, programmes[5]).
    set_programme(tree, 5, status="in-progress", reason=None)
    assert programmes(tree)["process-improvement"].status == "ongoing"
    set_programme(tree, 6, status="not-started", done_pct=0, spent=0)
    set_programme(tree, 4, status="dropped")  # no reason: files written before reasons keep working
    found = programmes(tree)
    assert found["business-planning"].status == "planned"
    assert found["cooperative-revitalisation"].status == "cancelled"


@pytest.mark.parametrize("status", ["delayed", "suspended", "cancelled"])
def test_a_reason_is_required_for_delayed_suspended_cancelled(tree, status):
    set_programme(tree, 5, status=status, reason=None)  # the sample gives one: take it away
    message = problems(tree)
    assert f"programmes[5]: status is '{status}': give its reason" in message, message


def test_a_reason_on_a_finished_programme_is_refused(tree):
    set_programme(tree, 0, reason={"en": "Held early", "id": "Diadakan lebih awal"})
    message = problems(tree)
    assert "a reason is for a delayed, suspended or cancelled programme, and this one is 'done'" in message


def test_planned_means_nothing_done_or_spent(tree):
    set_programme(tree, 5, status="planned")
    assert "status is 'planned' (not started) but done_pct or spent is above 0" in problems(tree)
