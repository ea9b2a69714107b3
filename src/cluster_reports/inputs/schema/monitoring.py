"""Monitoring observations: a sidecar file ``<cluster-id>.monitoring.yaml`` (and optionally a CSV).

The facilitator records, per period, the actual value of the plan's indicators, each programme's
progress and spending, the latest five-condition scores, and per supported firm its turnover, main
market channel and whether it reached the plan's goal. Firm observations may be kept in a CSV file
beside the YAML (``firms_csv``), one row per firm and period, as a spreadsheet exports.

A period is routine monitoring (a stretch of days, by default from the day after the previous routine
period, the first from 1 January of the plan year) or an evaluation: mid-term, final or ex-post (a
visit on one day, which may come years after the plan year). A firm's turnover means its sales in a
routine period, and its annual turnover (the twelve months before the visit) at an evaluation.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .cluster import Assessment, Channel, check_channel_name
from .common import (
    Label,
    Line,
    Measure,
    Percent,
    Provenance,
    Rupiah,
    Sidecar,
    Slug,
    Strict,
    Text,
    YearSince1990,
    check_unique,
    require_stakeholder,
)

PeriodKind = Literal["routine", "mid-term", "final", "ex-post"]
EVALUATIONS: tuple[str, ...] = ("mid-term", "final", "ex-post")


class Period(Strict):
    id: Slug
    label: Label
    kind: PeriodKind = Field(
        "routine",
        description="routine (monitoring over a stretch of days) or an evaluation: mid-term, final or "
        "ex-post",
    )
    start: dt.date | None = Field(
        None,
        description="First day of a routine period (YYYY-MM-DD). By default the day after the previous "
        "routine period's end; for the first, 1 January of the plan year. Evaluations have none.",
    )
    end: dt.date = Field(
        description="Last day of a routine period; the day of an evaluation's visit (YYYY-MM-DD)")

    @property
    def evaluation(self) -> bool:
        return self.kind in EVALUATIONS


class IndicatorActuals(Strict):
    indicator: Slug = Field(description="Id of an indicator of the cluster's plan")
    actuals: dict[Slug, Measure] = Field(description="Actual value per period id")
    explanation: Text | None = Field(
        None, description="Why the indicator is off its target for the year (below it, or not measured), "
        "as the facilitator recorded it; printed in the report's table of variances. Where an indicator "
        "off its target has none, the report marks it: explanation needed")

    @field_validator("indicator")
    @classmethod
    def _in_plan(cls, value: str, info: ValidationInfo) -> str:
        plan = (info.context or {}).get("plan")
        if plan is not None and value not in plan.indicators():
            raise ValueError(
                f"{value!r} is not an indicator of the plan (it has: {', '.join(plan.indicators())})"
            )
        return value


Status = Literal["planned", "ongoing", "done", "delayed", "suspended", "cancelled"]
# Values of earlier monitoring files, read as the status that replaced them.
RENAMED_STATUS = {"not-started": "planned", "in-progress": "ongoing", "dropped": "cancelled"}
NEEDS_REASON = ("delayed", "suspended", "cancelled")


class ProgrammeProgress(Strict):
    programme: Slug = Field(description="Id of a programme of the cluster's plan")
    status: Status = Field(
        description="planned, ongoing, done, delayed, suspended or cancelled. The values of earlier files "
        "still work: not-started is read as planned, in-progress as ongoing, dropped as cancelled."
    )
    done_pct: Percent
    spent: Rupiah
    reason: Text | None = Field(None, description="Why the programme is delayed, suspended or cancelled "
                                "(required for those statuses, and only for them)")
    note: Text | None = Field(None, description="Any remark on the programme's progress, printed in the "
                              "report")
    explanation: Text | None = Field(
        None, description="Why the programme is off its plan where its status has no reason to give: it "
        "spent more than its budget, or it has not started or not finished although its months have "
        "passed. Printed in the report's table of variances; without it the report marks the variance: "
        "explanation needed")

    @field_validator("programme")
    @classmethod
    def _in_plan(cls, value: str, info: ValidationInfo) -> str:
        plan = (info.context or {}).get("plan")
        known = [p.id for p in plan.programmes] if plan is not None else []
        if plan is not None and value not in known:
            raise ValueError(f"{value!r} is not a programme of the plan (it has: {', '.join(known)})")
        return value

    @model_validator(mode="before")
    @classmethod
    def _renamed(cls, data: object) -> object:
        """Old status values read as their new names. The reason is asked of the new names only: a
        file written before reasons existed keeps working with 'dropped'."""
        if not isinstance(data, dict):
            return data
        status = data.get("status")
        if status in NEEDS_REASON and data.get("reason") is None:
            raise ValueError(f"status is {status!r}: give its reason (reason: {{en: ..., id: ...}})")
        if status in RENAMED_STATUS:
            return {**data, "status": RENAMED_STATUS[status]}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> ProgrammeProgress:
        if self.status == "done" and self.done_pct < 100:
            raise ValueError(f"status is 'done' but done_pct is {self.done_pct:g}: make it 100")
        if self.status == "planned" and (self.done_pct or self.spent):
            raise ValueError("status is 'planned' (not started) but done_pct or spent is above 0")
        if self.status not in NEEDS_REASON and self.reason is not None:
            raise ValueError(f"a reason is for a delayed, suspended or cancelled programme, and this one is "
                             f"{self.status!r}: put the remark in note")
        return self


class CorrectiveAction(Strict):
    """An action agreed to bring an indicator or a programme back to its plan."""

    action: Text = Field(description="What is to be done, in both languages")
    by: Slug = Field(description="Stakeholder id of who does it (a stakeholder of the cluster's params file)")
    due: dt.date = Field(description="By when (YYYY-MM-DD)")
    addresses: Slug = Field(
        description="Id of the indicator or programme of the plan whose variance it answers")

    @field_validator("by")
    @classmethod
    def _by_stakeholder(cls, value: str, info: ValidationInfo) -> str:
        return require_stakeholder(value, info.context)

    @field_validator("addresses")
    @classmethod
    def _in_plan(cls, value: str, info: ValidationInfo) -> str:
        plan = (info.context or {}).get("plan")
        if plan is None:
            return value
        known = list(plan.indicators()) + [p.id for p in plan.programmes]
        if value not in known:
            raise ValueError(f"{value!r} is neither an indicator nor a programme of the plan "
                             f"(it has: {', '.join(known)})")
        return value


# The OECD DAC evaluation criteria, in the order evaluations report them.
DAC_CRITERIA: tuple[str, ...] = ("relevance", "coherence", "effectiveness", "efficiency", "impact",
                                 "sustainability")
# The three-step rating of JICA's ex-post evaluations (as SMIDeP's of 2021): high, fair, low.
Rating = Literal["high", "fair", "low"]


class DacAssessment(Strict):
    assessment: Text = Field(description="The evaluator's short assessment of the criterion")
    rating: Rating | None = Field(None, description="high, fair or low (the three steps of JICA's ex-post "
                                  "evaluations); left out: not rated")


class DacEvaluation(Strict):
    """The evaluator's assessment by the OECD DAC criteria; a criterion left out is not assessed."""

    period: Slug | None = Field(
        None, description="Id of the evaluation period (mid-term, final, ex-post) at which the assessment "
        "was made; left out: at the end of the routine monitoring")
    evaluator: Label | None = Field(None, description="Who made the assessment, e.g. the working group with "
                                   "the facilitator")
    relevance: DacAssessment | None = None
    coherence: DacAssessment | None = None
    effectiveness: DacAssessment | None = None
    efficiency: DacAssessment | None = None
    impact: DacAssessment | None = None
    sustainability: DacAssessment | None = None


class FirmObservation(Strict):
    firm: Line
    period: Slug
    turnover: Rupiah = Field(description="In Rupiah: the firm's sales in a routine period; at an evaluation "
                             "(mid-term, final, ex-post), its annual turnover: sales in the twelve months "
                             "before the visit")
    channel: Channel = Field(description="Main market channel in the period")
    channel_name: Label | None = Field(
        None, validate_default=True, description="Name of the channel in both languages: for 'other' only"
    )
    reached_goal: bool = False

    @field_validator("channel_name")
    @classmethod
    def _named_if_other(cls, value: Text | None, info: ValidationInfo) -> Text | None:
        return check_channel_name(value, info.data.get("channel"))

    @field_validator("firm")
    @classmethod
    def _in_firm_table(cls, value: str, info: ValidationInfo) -> str:
        cluster = (info.context or {}).get("cluster")
        table = cluster.firms.table if cluster is not None else None
        if table and value not in {f.name for f in table}:
            raise ValueError(f"{value!r} is not in the cluster's firm table (firms.table of its params file)")
        return value


class Monitoring(Sidecar):
    cluster: Slug
    plan_year: YearSince1990
    periods: list[Period] = Field(min_length=1)
    indicators: list[IndicatorActuals] = Field(default_factory=list)
    conditions: Assessment = Field(
        description="The five conditions as assessed at the end of the last routine period")
    programmes: list[ProgrammeProgress] = Field(default_factory=list)
    firms_csv: Line | None = Field(
        None, description="CSV file beside this one with columns firm,period,turnover,channel,reached_goal"
    )
    firms: list[FirmObservation] = Field(default_factory=list)
    lessons: list[Text] = Field(min_length=1)
    # Declared before provenance, whose check of the sections covered sees only the fields before it.
    corrective_actions: list[CorrectiveAction] = Field(
        default_factory=list, description="Actions agreed to answer the variances: what, by whom "
        "(stakeholder id), by when, and which indicator or programme each addresses")
    dac: DacEvaluation | None = Field(
        None, description="The evaluator's assessment by the OECD DAC criteria (relevance, coherence, "
        "effectiveness, efficiency, impact, sustainability), each {assessment: {en, id}, rating}")
    provenance: list[Provenance] = Field(min_length=1)

    DATA_SECTIONS: ClassVar[tuple[str, ...]] = ("indicators", "conditions", "programmes", "firms", "lessons",
                                                "corrective_actions", "dac")

    @field_validator("plan_year")
    @classmethod
    def _plan_year(cls, value: int, info: ValidationInfo) -> int:
        plan = (info.context or {}).get("plan")
        if plan is not None and value != plan.year:
            raise ValueError(f"is {value} but the cluster's plan is for {plan.year}")
        return value

    @field_validator("periods")
    @classmethod
    def _periods(cls, items: list[Period], info: ValidationInfo) -> list[Period]:
        ids = [p.id for p in items]
        check_unique(ids, "period ids")
        year = info.data.get("plan_year")
        if year is None:  # plan_year itself is invalid and reported
            return items
        return resolve_periods(items, year)

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> Monitoring:
        context = info.context or {}
        problems: list[str] = []
        periods = [p.id for p in self.periods]
        plan = context.get("plan")
        cluster = context.get("cluster")
        if context.get("cluster") is not None and plan is None and not context.get("plan_invalid"):
            problems.append("the cluster has no plan (<cluster-id>.plan.yaml) to monitor against")
        problems += _repeats("indicators", [i.indicator for i in self.indicators])
        problems += _repeats("programmes", [p.programme for p in self.programmes])
        for n, item in enumerate(self.indicators):
            for period in item.actuals:
                if period not in periods:
                    problems.append(f"indicators[{n}].actuals: unknown period {period!r}")
        known_firms = {f.name for f in (cluster.firms.table or [])} if cluster is not None else set()
        if cluster is not None and self.firms and not known_firms:
            problems.append("firms: the cluster's params file has no firm table to trace these firms in")
        # Messages start with "firms[n]:" so that a CSV's problems can be pointed at its row.
        seen = set()
        for n, obs in enumerate(self.firms):
            if obs.period not in periods:
                problems.append(
                    f"firms[{n}]: period {obs.period!r} is not one of the periods ({', '.join(periods)})"
                )
            if (obs.firm, obs.period) in seen:
                problems.append(f"firms[{n}]: {obs.firm!r} is observed twice in period {obs.period!r}")
            seen.add((obs.firm, obs.period))
        if self.dac is not None and self.dac.period is not None:
            evaluations = [p.id for p in self.periods if p.evaluation]
            if self.dac.period not in evaluations:
                listed = ", ".join(evaluations) or "none"
                problems.append(f"dac.period: {self.dac.period!r} is not an evaluation period (mid-term, "
                                f"final or ex-post) of this file (it has: {listed})")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def resolve_periods(items: list[Period], plan_year: int) -> list[Period]:
    """The periods in date order (evaluations after a routine period ending the same day), each routine
    period with its first day; raises for a period before the plan's start, or overlapping routine periods."""
    plan_start = dt.date(plan_year, 1, 1)
    problems = []
    for p in items:
        if p.end < plan_start:
            problems.append(f"{p.id!r} ends on {p.end}, before the plan starts (1 January {plan_year}, "
                            "plan_year): monitoring begins with the plan")
        elif p.start is not None and p.start < plan_start:
            problems.append(f"{p.id!r} starts on {p.start}, before the plan starts (1 January {plan_year}, "
                            "plan_year): monitoring begins with the plan")
        if p.evaluation and p.start is not None:
            problems.append(f"{p.id!r} is a {p.kind} evaluation, a visit on one day (end): remove its start; "
                            "firms' turnover at an evaluation is their annual turnover")
    if problems:
        raise ValueError("; ".join(problems))
    ordered = sorted(items, key=lambda p: (p.end, p.evaluation))
    if not any(not p.evaluation for p in ordered):
        raise ValueError("there is no routine period: the report follows the plan through routine monitoring "
                         "(kind: routine, the default), and evaluations add to it")
    resolved = []
    previous: Period | None = None
    for p in ordered:
        if not p.evaluation:
            start = p.start or (previous.end + dt.timedelta(days=1) if previous else plan_start)
            if start > p.end:
                # Without its own start (and it ends after the plan starts), it follows a previous period.
                how = "" if p.start or previous is None else f", the day after {previous.id!r} ends"
                raise ValueError(f"{p.id!r} starts on {start}{how}, but ends on {p.end}")
            if previous is not None and start <= previous.end:
                raise ValueError(f"{p.id!r} starts on {start}, before {previous.id!r} ends ({previous.end}): "
                                 "routine periods must not overlap")
            p = p.model_copy(update={"start": start})
            previous = p
        resolved.append(p)
    return resolved


def _repeats(section: str, ids: list[str]) -> list[str]:
    """Ids given more than once in a list of the monitoring file (each must be reported once)."""
    seen: dict[str, int] = {}
    found = []
    for n, value in enumerate(ids):
        if value in seen:
            found.append(f"{section}[{n}]: {value!r} is reported twice (also {section}[{seen[value]}])")
        seen.setdefault(value, n)
    return found
