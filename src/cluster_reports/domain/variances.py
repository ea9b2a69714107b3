"""Variances: the indicators and programmes off their plan at the end of the routine monitoring, each
with the reason the facilitator recorded (or none: an explanation is needed), and the corrective
actions agreed.

Definitions (the report states them too):

- An **indicator** is off target when its target is due and it has not reached it (``indicators.
  achievement``: below 100 % of the planned change, or a level not held), or when it was not measured
  at all. A medium-plan goal's first-year target is due once the routine monitoring reaches the end of
  the plan year; a programme's indicator once the programme's last month has passed.
- A **programme** is off its plan when it is delayed, suspended or cancelled (its status); when it
  has not started (planned, or not reported) although its first month has passed; when it is under
  way but not finished although its last month has passed; and when it spent more than its budget in
  Rupiah. Schedule and budget are separate variances, each with its own explanation.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from cluster_reports.inputs.schema import Monitoring, Plan, Text

from .budget import ResolvedProgramme
from .indicators import Completion, IndicatorRow, routine_periods

BEHIND_STATUSES = ("delayed", "suspended", "cancelled")


@dataclass(frozen=True)
class Variance:
    item: str  # the indicator's or programme's id
    kind: str  # "indicator" or "programme"
    # indicator: "below", "not_held", "not_measured"; programme: a status (delayed, suspended,
    # cancelled), "not_started", "behind" (not finished after its last month) or "over_budget"
    aspect: str
    name: Text
    unit: Text | None  # an indicator's unit; None for a programme
    target: float | None  # indicator: its target; programme: 100 (% done) or its budget in Rupiah
    actual: float | None  # indicator: latest value; programme: % done or Rupiah spent
    explanation: Text | None  # the reason recorded; None: explanation needed

    @property
    def gap(self) -> float | None:
        """Actual minus target, in the indicator's unit, in percentage points of completion or in Rupiah."""
        if self.target is None or self.actual is None:
            return None
        return self.actual - self.target

    @property
    def money(self) -> bool:
        return self.aspect == "over_budget"


def month_over(year: int, month: int, by: dt.date) -> bool:
    """Whether the month of the plan year has ended by the day given."""
    return by >= dt.date(year, month, calendar.monthrange(year, month)[1])


def month_begun(year: int, month: int, by: dt.date) -> bool:
    return by >= dt.date(year, month, 1)


def indicator_variances(plan: Plan, monitoring: Monitoring, rows: list[IndicatorRow]) -> list[Variance]:
    last = routine_periods(monitoring)[-1].end
    by_programme = {p.indicator.id: p for p in plan.programmes}
    explained = {item.indicator: item.explanation for item in monitoring.indicators}
    found = []
    for r in rows:
        programme = by_programme.get(r.id)
        if programme is None:
            due = month_over(plan.year, 12, last)
            begun = True
        else:
            due = month_over(plan.year, programme.end_month, last)
            begun = month_begun(plan.year, programme.start_month, last)
        if r.achievement is None:
            aspect = "not_measured" if begun else None
        elif r.achievement.met or not due:
            aspect = None
        else:
            aspect = "not_held" if r.achievement.pct is None else "below"
        if aspect is not None:
            found.append(Variance(r.id, "indicator", aspect, r.name, r.unit, r.target, r.latest,
                                  explained.get(r.id)))
    return found


def programme_variances(plan: Plan, monitoring: Monitoring, completion: Completion) -> list[Variance]:
    last = routine_periods(monitoring)[-1].end
    progress = {p.programme: p for p in monitoring.programmes}
    found = []
    for r in completion.rows:
        item = progress.get(r.id)
        explanation = item.explanation if item else None
        aspect = None
        if r.status in BEHIND_STATUSES:
            aspect = r.status
        elif r.status in ("planned", "not-reported") and month_begun(plan.year, r.start_month, last):
            aspect = "not_started"
        elif r.status == "ongoing" and month_over(plan.year, r.end_month, last):
            aspect = "behind"
        if aspect is not None:
            # A status's reason is its explanation; an explanation given beside it is the fuller one.
            found.append(Variance(r.id, "programme", aspect, r.title, None, 100.0,
                                  r.done_pct if item else None, explanation or r.reason))
        if r.planned and r.spent > r.planned:
            found.append(Variance(r.id, "programme", "over_budget", r.title, None, float(r.planned),
                                  float(r.spent), explanation))
    return found


@dataclass(frozen=True)
class ActionRow:
    action: Text
    by: str  # the stakeholder's id
    due: dt.date
    addresses: str  # an indicator's or programme's id
    addresses_name: Text
    past_due: bool  # due before the date of the report's latest records


def corrective_actions(plan: Plan, programmes: list[ResolvedProgramme], monitoring: Monitoring,
                       as_of: dt.date) -> list[ActionRow]:
    """The agreed actions by due date, each with the name of what it addresses (the schema checks that
    it is an indicator or a programme of the plan)."""
    names = {i.id: i.name for i in plan.indicators().values()}
    names.update({p.id: p.title for p in programmes})
    rows = [ActionRow(a.action, a.by, a.due, a.addresses, names[a.addresses], a.due < as_of)
            for a in monitoring.corrective_actions]
    return sorted(rows, key=lambda r: r.due)
