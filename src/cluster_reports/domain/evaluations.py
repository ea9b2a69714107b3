"""What the evaluations of a plan found (mid-term, final, ex-post periods of the monitoring file),
each set against the plan's targets and against the last routine period before it.

Definitions (the report states them too):

- An evaluation is a visit on one day (the period's ``end``), possibly years after the plan year, as
  the SMIDeP ex-post evaluation of 2021 was for plans of 2013-2016.
- A firm's turnover at an evaluation is its annual turnover: its sales in the twelve months before
  the visit. It is compared with the same firms' annual sales in the firm table (the baseline) and
  with their turnover in the last routine period before the visit, scaled to a year by that period's
  days (a quarter's sales times 365/90 for the first quarter of a common year).
- Achievement of an indicator at an evaluation is computed as in ``indicators.achievement``, against
  the plan-year target.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from cluster_reports.inputs.schema import ClusterParams, Monitoring, Plan
from cluster_reports.inputs.schema.monitoring import Period

from .indicators import (
    Achievement,
    ChannelShare,
    IndicatorRow,
    achievement,
    channel_mix,
    indicator_rows,
    period_days,
    routine_periods,
    year_days,
)
from .shares import half_up


@dataclass(frozen=True)
class EvaluationIndicator:
    row: IndicatorRow  # the indicator as the routine monitoring left it (latest routine value)
    actual: float  # measured at the evaluation
    achievement: Achievement


@dataclass(frozen=True)
class EvaluationFirms:
    firms: int  # observed at the evaluation
    total: int  # their annual turnover at the visit
    baseline: int | None  # their annual sales in the firm table; None if one is not in it
    change_pct: float | None  # total against baseline
    compared: int  # of them, firms also observed in the last routine period
    compared_total: int  # annual turnover at the visit of those firms
    routine_annual: int | None  # their turnover in the last routine period, scaled to a year
    routine_change_pct: float | None  # compared_total against routine_annual
    reached_goal: int  # firms that reported reaching the plan's goal at the visit
    above_line: int | None  # firms at or above the plan's sales line; None if the plan has none


@dataclass(frozen=True)
class Evaluation:
    period: Period
    last_routine: Period | None  # the last routine period that ended on or before the visit
    indicators: list[EvaluationIndicator]
    firms: EvaluationFirms | None  # None when no firm was observed at the evaluation
    channels: list[ChannelShare]


def last_routine_before(monitoring: Monitoring, period: Period) -> Period | None:
    earlier = [p for p in routine_periods(monitoring) if p.end <= period.end]
    return earlier[-1] if earlier else None


def evaluation_firms(params: ClusterParams, plan: Plan, monitoring: Monitoring, period: Period,
                     last: Period | None) -> EvaluationFirms | None:
    observed = [o for o in monitoring.firms if o.period == period.id]
    if not observed:
        return None
    table = {f.name: f.annual_sales for f in (params.firms.table or [])}
    total = sum(o.turnover for o in observed)
    baseline = sum(table[o.firm] for o in observed) if all(o.firm in table for o in observed) else None
    before = {o.firm: o.turnover for o in monitoring.firms if last is not None and o.period == last.id}
    both = [o for o in observed if o.firm in before]
    routine_annual = None
    if last is not None and both:
        routine_annual = half_up(Fraction(sum(before[o.firm] for o in both) * year_days(monitoring.plan_year),
                                          period_days(monitoring)[last.id]))
    compared_total = sum(o.turnover for o in both)
    line = plan.success_goal.min_annual_sales
    return EvaluationFirms(
        firms=len(observed),
        total=total,
        baseline=baseline,
        change_pct=(total - baseline) / baseline * 100 if baseline else None,
        compared=len(both),
        compared_total=compared_total,
        routine_annual=routine_annual,
        routine_change_pct=(
            (compared_total - routine_annual) / routine_annual * 100 if routine_annual else None),
        reached_goal=sum(1 for o in observed if o.reached_goal),
        above_line=sum(1 for o in observed if o.turnover >= line) if line is not None else None,
    )


def evaluations(params: ClusterParams, plan: Plan, monitoring: Monitoring) -> list[Evaluation]:
    """Every evaluation of the monitoring file, in date order."""
    rows = indicator_rows(plan, monitoring)
    observed = {item.indicator: item.actuals for item in monitoring.indicators}
    found = []
    for period in monitoring.periods:
        if not period.evaluation:
            continue
        last = last_routine_before(monitoring, period)
        measured = [
            EvaluationIndicator(row, observed[row.id][period.id],
                                achievement(row.baseline, row.target, observed[row.id][period.id]))
            for row in rows if period.id in observed.get(row.id, {})
        ]
        found.append(Evaluation(
            period=period,
            last_routine=last,
            indicators=measured,
            firms=evaluation_firms(params, plan, monitoring, period, last),
            channels=channel_mix(monitoring, [period]),
        ))
    return found
