"""The action plan (Local Industry Action Plan): a sidecar file ``<cluster-id>.plan.yaml``.

A 10-year vision, a 3-year medium plan (goals with an indicator and a target for each year) and the
1-year action programmes. A programme may start from a library programme (``library: <id>``) and
take its title, objective and budget unless it gives its own. Budgets are lines of quantity x unit x
rate in Rupiah, as the study writes them (2 managers x 1 month x Rp 1,500,000).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .common import Condition, Provenance, Sidecar, Slug, Strict, Text, check_unique, stakeholder_problems

Month = Annotated[int, Field(ge=1, le=12)]


class Funding(StrEnum):
    self_funded = "self-funded"
    local_forum = "local-forum"
    # The budget of the cluster's kabupaten or kota: documents name it APBD kabupaten or APBD kota from
    # the official name of the place, so one value serves both and existing plans keep working.
    regency_budget = "regency-budget"
    provincial_budget = "provincial-budget"
    national_budget = "national-budget"
    donor = "donor"
    private = "private"
    bank_credit = "bank-credit"


class BudgetLine(Strict):
    """quantity x times x rate, e.g. 2 managers x 1 month x Rp 1,500,000."""

    item: Text
    quantity: Annotated[float, Field(gt=0)]
    unit: Text = Field(description="What is counted, e.g. managers, copies, participants")
    times: Annotated[float, Field(gt=0)] = 1
    times_unit: Text | None = Field(None, description="e.g. month, day, page; leave out when times is 1")
    rate: Annotated[int, Field(gt=0, description="Rupiah per unit (and per time)")]
    funding: Funding | None = Field(None, description="Defaults to the programme's funding source")


class Indicator(Strict):
    id: Slug
    name: Text
    unit: Text
    baseline: float


class ProgrammeIndicator(Indicator):
    target: float


class MediumGoal(Strict):
    """A goal of the 3-year medium plan with its indicator and a target for each of the three years."""

    goal: Text
    indicator: Indicator
    targets: list[float] = Field(min_length=3, max_length=3)


class Programme(Strict):
    id: Slug
    library: Slug | None = Field(None, description="Id of a programme in the programme library")
    title: Text | None = None
    objective: Text | None = None
    content: list[Text] = Field(default_factory=list)
    condition: Condition | None = Field(None, description="The condition the programme mainly serves")
    lead: Slug = Field(description="Stakeholder id of the lead")
    partners: list[Slug] = Field(default_factory=list)
    start_month: Month
    duration_months: Month
    funding: Funding
    budget: list[BudgetLine] = Field(default_factory=list)
    indicator: ProgrammeIndicator

    @field_validator("lead")
    @classmethod
    def _lead_is_stakeholder(cls, value: str, info: ValidationInfo) -> str:
        problems = stakeholder_problems({"lead": value}, info.context)
        if problems:
            raise ValueError(problems[0].removeprefix("lead: "))
        return value

    @field_validator("partners")
    @classmethod
    def _partners_are_stakeholders(cls, values: list[str], info: ValidationInfo) -> list[str]:
        problems = stakeholder_problems({f"[{k}]": v for k, v in enumerate(values)}, info.context)
        if problems:
            raise ValueError("; ".join(problems))
        return values

    @field_validator("library")
    @classmethod
    def _in_library(cls, value: str | None, info: ValidationInfo) -> str | None:
        library = (info.context or {}).get("library")
        if value is not None and library is not None and library.get(value) is None:
            raise ValueError(f"{value!r} is not a programme of the programme library ({library.where})")
        return value

    @model_validator(mode="after")
    def _complete(self, info: ValidationInfo) -> Programme:
        if self.end_month > 12:
            raise ValueError(
                f"programme {self.id!r} starts in month {self.start_month} and lasts "
                f"{self.duration_months} months, so it runs past December of the plan year"
            )
        if self.lead in self.partners:
            raise ValueError(f"programme {self.id!r}: {self.lead!r} is the lead, so it is not also a partner")
        repeated = sorted({p for p in self.partners if self.partners.count(p) > 1})
        if repeated:
            raise ValueError(f"programme {self.id!r}: partners repeat: {', '.join(repeated)}")
        library = (info.context or {}).get("library")
        entry = library.get(self.library) if library is not None and self.library else None
        if self.library is None or library is not None:
            missing = [n for n in ("title", "objective") if getattr(self, n) is None and entry is None]
            if missing:
                raise ValueError(
                    f"give {' and '.join(missing)}, or name a library programme to take them from"
                )
            if not self.budget and not (entry is not None and entry.budget):
                why = (f"library programme {self.library!r} has none" if entry is not None
                       else "no library programme to take them from")
                raise ValueError(f"programme {self.id!r} needs budget lines ({why})")
        return self

    @property
    def end_month(self) -> int:
        return self.start_month + self.duration_months - 1


class SuccessGoal(Strict):
    """What a supported firm must reach to count as a success case."""

    description: Text
    min_annual_sales: Annotated[int, Field(gt=0)] | None = None


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class Routine(Strict):
    """The social-capital meeting routine (section 5.2 (4)): monthly meetings, quarterly seminars."""

    meeting_weekday: Weekday = "tuesday"
    meeting_week: Annotated[int, Field(ge=1, le=4)] = Field(2, description="Which week of the month")
    seminar_months: list[Month] = Field(default_factory=lambda: [3, 6, 9, 12])


class Plan(Sidecar):
    """A cluster's action plan for one year, inside its 3-year plan and 10-year vision."""

    cluster: Slug
    year: Annotated[int, Field(ge=1990, le=2100)] = Field(description="The year of the action programmes")
    vision: Text = Field(description="Where the cluster wants to be in ten years")
    medium_plan: list[MediumGoal] = Field(min_length=1)
    programmes: list[Programme] = Field(min_length=1)
    success_goal: SuccessGoal
    routine: Routine = Field(default_factory=Routine)
    provenance: list[Provenance] = Field(min_length=1)

    DATA_SECTIONS: ClassVar[tuple[str, ...]] = ("vision", "medium_plan", "programmes", "success_goal")

    @field_validator("programmes")
    @classmethod
    def _unique_programmes(cls, items: list[Programme]) -> list[Programme]:
        ids = [p.id for p in items]
        check_unique(ids, "programme ids")
        return items

    @model_validator(mode="after")
    def _unique_indicators(self) -> Plan:
        ids = [g.indicator.id for g in self.medium_plan] + [p.indicator.id for p in self.programmes]
        check_unique(ids, "indicator ids")
        return self

    def indicators(self) -> dict[str, Indicator]:
        found: dict[str, Indicator] = {g.indicator.id: g.indicator for g in self.medium_plan}
        found.update({p.indicator.id: p.indicator for p in self.programmes})
        return found
