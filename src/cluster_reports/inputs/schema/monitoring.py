"""Monitoring observations: a sidecar file ``<cluster-id>.monitoring.yaml`` (and optionally a CSV).

The facilitator records, per period of the plan year, the actual value of the plan's indicators,
each programme's progress and spending, the latest five-condition scores, and per supported firm its
turnover, main market channel and whether it reached the plan's goal. Firm observations may be kept
in a CSV file beside the YAML (``firms_csv``), one row per firm and period, as a spreadsheet exports.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .cluster import Assessment, Channel, check_channel_name
from .common import NonEmpty, Provenance, Rupiah, Sidecar, Slug, Strict, Text, check_unique


class Period(Strict):
    id: Slug
    label: Text
    end: dt.date = Field(description="Last day of the period (YYYY-MM-DD)")


class IndicatorActuals(Strict):
    indicator: Slug = Field(description="Id of an indicator of the cluster's plan")
    actuals: dict[Slug, float] = Field(description="Actual value per period id")

    @field_validator("indicator")
    @classmethod
    def _in_plan(cls, value: str, info: ValidationInfo) -> str:
        plan = (info.context or {}).get("plan")
        if plan is not None and value not in plan.indicators():
            raise ValueError(
                f"{value!r} is not an indicator of the plan (it has: {', '.join(plan.indicators())})"
            )
        return value


class ProgrammeProgress(Strict):
    programme: Slug = Field(description="Id of a programme of the cluster's plan")
    status: Literal["not-started", "in-progress", "done", "dropped"]
    done_pct: Annotated[float, Field(ge=0, le=100)]
    spent: Rupiah
    note: Text | None = None

    @field_validator("programme")
    @classmethod
    def _in_plan(cls, value: str, info: ValidationInfo) -> str:
        plan = (info.context or {}).get("plan")
        known = [p.id for p in plan.programmes] if plan is not None else []
        if plan is not None and value not in known:
            raise ValueError(f"{value!r} is not a programme of the plan (it has: {', '.join(known)})")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ProgrammeProgress:
        if self.status == "done" and self.done_pct < 100:
            raise ValueError(f"status is 'done' but done_pct is {self.done_pct:g}: make it 100")
        if self.status == "not-started" and (self.done_pct or self.spent):
            raise ValueError("status is 'not-started' but done_pct or spent is above 0")
        return self


class FirmObservation(Strict):
    firm: NonEmpty
    period: Slug
    turnover: Rupiah = Field(description="Sales in the period, in Rupiah")
    channel: Channel = Field(description="Main market channel in the period")
    channel_name: Text | None = Field(
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
    plan_year: Annotated[int, Field(ge=1990, le=2100)]
    periods: list[Period] = Field(min_length=1)
    indicators: list[IndicatorActuals] = Field(default_factory=list)
    conditions: Assessment = Field(description="The five conditions as assessed at the latest period")
    programmes: list[ProgrammeProgress] = Field(default_factory=list)
    firms_csv: NonEmpty | None = Field(
        None, description="CSV file beside this one with columns firm,period,turnover,channel,reached_goal"
    )
    firms: list[FirmObservation] = Field(default_factory=list)
    lessons: list[Text] = Field(min_length=1)
    provenance: list[Provenance] = Field(min_length=1)

    DATA_SECTIONS: ClassVar[tuple[str, ...]] = ("indicators", "conditions", "programmes", "firms", "lessons")

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
        ends = [p.end for p in items]
        if ends != sorted(ends):
            raise ValueError("periods must be in date order")
        year = info.data.get("plan_year")
        outside = [f"{p.id} ({p.end})" for p in items if year is not None and p.end.year != year]
        if outside:
            # Periods are parts of the plan year: annualised turnover counts days from 1 January.
            raise ValueError(f"periods end outside the plan year {year}: {', '.join(outside)}")
        return items

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> Monitoring:
        context = info.context or {}
        problems: list[str] = []
        periods = [p.id for p in self.periods]
        plan = context.get("plan")
        cluster = context.get("cluster")
        if context.get("cluster") is not None and plan is None:
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
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _repeats(section: str, ids: list[str]) -> list[str]:
    """Ids given more than once in a list of the monitoring file (each must be reported once)."""
    seen: dict[str, int] = {}
    found = []
    for n, value in enumerate(ids):
        if value in seen:
            found.append(f"{section}[{n}]: {value!r} is reported twice (also {section}[{seen[value]}])")
        seen.setdefault(value, n)
    return found
