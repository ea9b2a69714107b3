"""Monitoring and evaluation arithmetic: indicator achievement, success cases, programme completion,
and the supported firms' turnover and market channels over the routine periods (evaluations: see
``evaluations``).

Definitions (the report states them too):

- **% achieved** of an indicator = (actual - baseline) / (target - baseline) x 100: the share of the
  planned change that has happened. It works the same way when less is better (target below
  baseline: a fall in reject rate from 30 to 20 against a target of 10 is 50 %). It is not capped:
  above 100 % the target was passed, below 0 % the indicator moved away from it. When the target
  equals the baseline no change was planned, so there is no share to compute: % achieved is left
  empty and the indicator counts as met when the actual is at least the target.
- The target of a medium-plan goal in the plan year is the goal's first-year target.
- Achievement is that of the latest routine period with a value (the row names it); evaluations
  (mid-term, final, ex-post) are measured apart, each on its own.
- **Annualised turnover** of a firm = the turnover it reported over the routine periods, scaled to a
  whole year by the days those periods cover (each period from its ``start`` to its ``end``; with four
  quarters observed it is simply the sum of the four). Summing periods rather than multiplying one
  quarter by four evens out seasons (kilns stop in the rainy season; furniture sells before Lebaran).
- A **success case** is a supported firm that reached the plan's goal in any period, or that crossed
  the plan's sales line (``success_goal.min_annual_sales``) during the year: its annualised turnover
  is at least the line while its annual sales in the firm table (the baseline) were below it. A firm
  already above the line at baseline is no success of the plan's, so sales alone do not count it.
  Only routine periods count for the sales line (an evaluation's turnover is a different measure,
  annual sales at the visit); a goal reached counts in any period.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from cluster_reports.inputs.schema import ClusterParams, Monitoring, Plan, Text
from cluster_reports.inputs.schema.monitoring import Period

from . import channels
from .budget import ResolvedProgramme
from .shares import half_up
from .shares import shares as largest_remainder

CONDITIONS = ("demand", "factor", "firm_strategy", "related_supporting", "social_capital")


# --- indicators --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Achievement:
    pct: float | None  # None when the target equals the baseline (no change was planned)
    met: bool


def achievement(baseline: float, target: float, actual: float) -> Achievement:
    """How far an indicator has moved from its baseline towards its target (see the module's notes)."""
    if target == baseline:
        return Achievement(pct=None, met=actual >= target)
    pct = (actual - baseline) / (target - baseline) * 100
    return Achievement(pct=pct, met=pct >= 100)


@dataclass(frozen=True)
class IndicatorRow:
    id: str
    level: str  # "goal" (3-year medium plan) or "programme" (1-year action programme)
    name: Text
    unit: Text
    baseline: float
    target: float
    actuals: list[float | None]  # one per monitoring period, in period order
    latest: float | None
    latest_period: str | None
    achievement: Achievement | None  # None when never observed


def latest_actual(actuals: dict[str, float], period_order: list[str]) -> tuple[str, float] | None:
    """The value of the last period (by date) that has one."""
    for period in reversed(period_order):
        if period in actuals:
            return period, actuals[period]
    return None


def routine_periods(monitoring: Monitoring) -> list[Period]:
    return [p for p in monitoring.periods if not p.evaluation]


def evaluation_periods(monitoring: Monitoring) -> list[Period]:
    return [p for p in monitoring.periods if p.evaluation]


def indicator_rows(plan: Plan, monitoring: Monitoring) -> list[IndicatorRow]:
    """Every indicator of the plan: medium-plan goals first, then programmes in schedule order; actuals
    and achievement of the routine periods."""
    order = [p.id for p in routine_periods(monitoring)]
    observed = {item.indicator: item.actuals for item in monitoring.indicators}
    candidates = [("goal", g.indicator, g.targets[0]) for g in plan.medium_plan]
    programmes = sorted(plan.programmes, key=lambda p: p.start_month)
    candidates += [("programme", p.indicator, p.indicator.target) for p in programmes]
    rows = []
    for level, indicator, target in candidates:
        actuals = observed.get(indicator.id, {})
        latest = latest_actual(actuals, order)
        rows.append(IndicatorRow(
            id=indicator.id,
            level=level,
            name=indicator.name,
            unit=indicator.unit,
            baseline=indicator.baseline,
            target=target,
            actuals=[actuals.get(p) for p in order],
            latest=latest[1] if latest else None,
            latest_period=latest[0] if latest else None,
            achievement=achievement(indicator.baseline, target, latest[1]) if latest else None,
        ))
    return rows


# --- periods and turnover --------------------------------------------------------------------------

def year_days(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def period_days(monitoring: Monitoring) -> dict[str, int]:
    """Days in each routine period, its first and last day included. The schema gives every routine
    period its start: by default the day after the previous one ends, the first on 1 January."""
    return {p.id: (p.end - p.start).days + 1 for p in routine_periods(monitoring) if p.start is not None}


def annualised_turnover(monitoring: Monitoring) -> dict[str, int]:
    """Each firm's turnover over the routine periods it was observed in, scaled to a whole year by the
    days those periods cover (firms observed only at evaluations are left out)."""
    days = period_days(monitoring)
    turnover: dict[str, int] = defaultdict(int)
    covered: dict[str, int] = defaultdict(int)
    for obs in monitoring.firms:
        if obs.period not in days:
            continue
        turnover[obs.firm] += obs.turnover
        covered[obs.firm] += days[obs.period]
    year = year_days(monitoring.plan_year)
    return {firm: half_up(Fraction(turnover[firm] * year, covered[firm])) for firm in turnover}


@dataclass(frozen=True)
class SuccessCase:
    firm: str
    goal_period: str | None  # first period in which the firm reported reaching the plan's goal
    annual_turnover: int | None  # annualised over the routine periods; None if seen only at evaluations
    by_goal: bool
    by_sales: bool


def success_cases(plan: Plan, monitoring: Monitoring,
                  baseline_sales: dict[str, int] | None = None) -> list[SuccessCase]:
    """Firms that reached the plan's goal in any period, or crossed its sales line during the year
    (``baseline_sales``: annual sales per firm before the plan, from the firm table); largest annual
    turnover first."""
    order = [p.id for p in monitoring.periods]
    first_goal: dict[str, str] = {}
    for obs in sorted(monitoring.firms, key=lambda o: order.index(o.period)):
        if obs.reached_goal:
            first_goal.setdefault(obs.firm, obs.period)
    annual = annualised_turnover(monitoring)
    threshold = plan.success_goal.min_annual_sales
    baseline_sales = baseline_sales or {}
    cases = []
    for firm in supported_firms(monitoring):
        turnover = annual.get(firm)
        by_goal = firm in first_goal
        was_below = baseline_sales.get(firm, 0) < (threshold or 0)
        by_sales = threshold is not None and turnover is not None and turnover >= threshold and was_below
        if by_goal or by_sales:
            cases.append(SuccessCase(firm, first_goal.get(firm), turnover, by_goal, by_sales))
    return sorted(cases, key=lambda c: (-(c.annual_turnover or 0), c.firm))


def baseline_sales(params: ClusterParams) -> dict[str, int]:
    """Annual sales per firm of the cluster's firm table: where the supported firms started."""
    return {f.name: f.annual_sales for f in (params.firms.table or [])}


def supported_firms(monitoring: Monitoring) -> list[str]:
    """The firms the facilitator followed, in the order first observed."""
    return list(dict.fromkeys(obs.firm for obs in monitoring.firms))


@dataclass(frozen=True)
class TurnoverRow:
    period: str
    label: Text
    firms: int
    total: int
    mean: float
    baseline: int | None  # the same firms' annual sales in the firm table, pro rata to the period
    change_pct: float | None  # total against baseline


def turnover_by_period(params: ClusterParams, monitoring: Monitoring) -> list[TurnoverRow]:
    """Total turnover of the observed firms per routine period, with the baseline of the same firms.

    The baseline is each firm's annual sales in the cluster's firm table (the profiling year) times
    the period's share of a year; it is left empty if a firm observed is not in the table.
    """
    table = {f.name: f.annual_sales for f in (params.firms.table or [])}
    days = period_days(monitoring)
    year = year_days(monitoring.plan_year)
    rows = []
    for period in routine_periods(monitoring):
        observed = [o for o in monitoring.firms if o.period == period.id]
        if not observed:
            continue
        total = sum(o.turnover for o in observed)
        known = all(o.firm in table for o in observed)
        baseline = (
            half_up(Fraction(sum(table[o.firm] for o in observed) * days[period.id], year)) if known else None
        )
        rows.append(TurnoverRow(
            period=period.id,
            label=period.label,
            firms=len(observed),
            total=total,
            mean=total / len(observed),
            baseline=baseline,
            change_pct=(total - baseline) / baseline * 100 if baseline else None,
        ))
    return rows


@dataclass(frozen=True)
class ChannelShare:
    period: str
    label: Text
    channel: str
    firms: int
    turnover: int
    share_pct: float  # of the period's turnover of observed firms: what ranks channels and finds ties
    name: Text | None = None  # of an 'other' channel
    # What a table and a sentence print: one decimal, by largest remainder over the period's
    # channels, so that a period's shares add up to 100.
    share_shown: float = 0.0


def channel_mix(monitoring: Monitoring, periods: list[Period] | None = None) -> list[ChannelShare]:
    """Per period (by default the routine ones), how many firms sold mainly through each channel and
    their share of turnover.

    Channels appear in the order of the schema's channel list; channels no firm used are left out.
    Firms that name the same 'other' channel count as one channel (``channels.group``).
    """
    shares = []
    for period in routine_periods(monitoring) if periods is None else periods:
        observed = [o for o in monitoring.firms if o.period == period.id]
        total = sum(o.turnover for o in observed)
        groups = channels.group(observed, lambda o: o.channel, lambda o: o.channel_name)
        shown = largest_remainder([sum(o.turnover for o in g.items) for g in groups])
        for g, share_shown in zip(groups, shown, strict=True):
            turnover = sum(o.turnover for o in g.items)
            shares.append(ChannelShare(
                period=period.id,
                label=period.label,
                channel=g.channel.value,
                firms=len(g.items),
                turnover=turnover,
                share_pct=turnover / total * 100 if total else 0.0,
                name=g.name,
                share_shown=share_shown,
            ))
    return shares


def main_channels(shares: list[ChannelShare]) -> dict[str, list[ChannelShare]]:
    """Per period, the channel with the largest share of turnover, or the channels tied for it."""
    periods = list(dict.fromkeys(s.period for s in shares))
    return {p: channels.leaders([s for s in shares if s.period == p], lambda s: s.share_pct) for p in periods}


# --- programmes -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProgrammeRow:
    id: str
    title: Text
    start_month: int
    end_month: int
    planned: int
    status: str  # a ProgrammeProgress status, or "not-reported"
    done_pct: float
    spent: int
    spent_pct: float | None  # spent against planned; None when nothing was planned
    note: Text | None
    reason: Text | None = None  # why it is delayed, suspended or cancelled
    # The plan says it is carried out with contributions in kind, whether or not it also has money.
    contributed_in_kind: bool = False

    @property
    def in_kind(self) -> bool:
        """No budget in Rupiah: the programme is contributed in kind (or costs nothing)."""
        return self.planned == 0


# The order in which the report counts programmes by status.
STATUS_ORDER = ("done", "ongoing", "delayed", "suspended", "cancelled", "planned", "not-reported")


@dataclass(frozen=True)
class Completion:
    rows: list[ProgrammeRow]
    planned: int
    spent: int
    spent_pct: float | None
    done: int  # programmes finished
    count: int
    done_pct: float  # mean completion weighted by planned budget (plain mean if nothing planned)
    by_status: dict[str, int]  # programmes per status, in STATUS_ORDER; statuses of none left out
    in_kind: int  # programmes without a budget in Rupiah


def completion(programmes: list[ResolvedProgramme], monitoring: Monitoring) -> Completion:
    """Planned against done and budget planned against spent, per programme and in total.

    A programme the monitoring does not report counts as not reported, with nothing done or spent.
    Programmes without a budget in Rupiah (in kind) weigh nothing in the budget-weighted completion.
    """
    progress = {p.programme: p for p in monitoring.programmes}
    rows = []
    for programme in programmes:
        item = progress.get(programme.id)
        spent = item.spent if item else 0
        rows.append(ProgrammeRow(
            id=programme.id,
            title=programme.title,
            start_month=programme.start_month,
            end_month=programme.end_month,
            planned=programme.total,
            status=item.status if item else "not-reported",
            done_pct=item.done_pct if item else 0.0,
            spent=spent,
            spent_pct=spent / programme.total * 100 if programme.total else None,
            note=item.note if item else None,
            reason=item.reason if item else None,
            contributed_in_kind=programme.in_kind,
        ))
    planned = sum(r.planned for r in rows)
    spent = sum(r.spent for r in rows)
    if planned:
        done_pct = sum(r.done_pct * r.planned for r in rows) / planned
    else:
        done_pct = sum(r.done_pct for r in rows) / len(rows) if rows else 0.0
    return Completion(
        rows=rows,
        planned=planned,
        spent=spent,
        spent_pct=spent / planned * 100 if planned else None,
        done=sum(1 for r in rows if r.status == "done"),
        count=len(rows),
        done_pct=done_pct,
        by_status={s: n for s in STATUS_ORDER if (n := sum(1 for r in rows if r.status == s))},
        in_kind=sum(1 for r in rows if r.in_kind),
    )


# --- the five conditions ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ConditionChange:
    key: str
    baseline: int
    latest: int
    change: int
    baseline_note: Text
    latest_note: Text


def condition_changes(params: ClusterParams, monitoring: Monitoring) -> list[ConditionChange]:
    """Each condition's score at profiling (the params' assessment) and at the latest period."""
    rows = []
    for key in CONDITIONS:
        before = getattr(params.assessment, key)
        after = getattr(monitoring.conditions, key)
        rows.append(ConditionChange(key, before.score, after.score, after.score - before.score,
                                    before.note, after.note))
    return rows
