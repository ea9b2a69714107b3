"""The action plan (Local Industry Action Plan): a sidecar file ``<cluster-id>.plan.yaml``.

A 10-year vision, a 3-year medium plan (goals with an indicator and a target for each year) and the
1-year action programmes. A programme may start from a library programme (``library: <id>``) and
take its title, objective and budget unless it gives its own. Budgets are lines of quantity x unit x
rate in Rupiah, as the study writes them (2 managers x 1 month x Rp 1,500,000). Its amounts are in
the prices of one year at one US dollar rate (``prices``; by default the cluster's reference year and
rate). A programme carried out with contributions in kind (``in_kind``) may cost nothing in Rupiah.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .common import (
    RUPIAH_MAX,
    Cases,
    Condition,
    Label,
    Line,
    Measure,
    PositiveRupiah,
    PriceIndex,
    Provenance,
    Quantity,
    Rupiah,
    Sidecar,
    Slug,
    Strict,
    Text,
    UsdRate,
    YearSince1900,
    YearSince1990,
    check_unique,
    require_stakeholder,
    small,
    stakeholder_problems,
)

Month = small(1, 12, "a month")
MeetingWeek = small(1, 4, "a week of the month")
DueDay = small(1, 28, "a day of the month")


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

    item: Label
    quantity: Quantity
    unit: Label = Field(description="What is counted, e.g. managers, copies, participants")
    times: Quantity = 1
    times_unit: Label | None = Field(None, description="e.g. month, day, page; leave out when times is 1")
    # 0 only in an in-kind programme (a contributed item, not paid): the programme checks it.
    rate: Annotated[Rupiah, Field(description="Rupiah per unit (and per time); 0 only in an in-kind "
                                              "programme, for an item contributed in kind")]
    funding: Funding | None = Field(None, description="Defaults to the programme's funding source")

    @model_validator(mode="after")
    def _amount_printable(self) -> BudgetLine:
        # Each factor is bounded, their product is not: a line's amount is a Rupiah amount too.
        if self.quantity * self.times * self.rate > RUPIAH_MAX:
            raise ValueError(f"the line's amount (quantity x times x rate) must be at most "
                             f"{RUPIAH_MAX:,}, a quadrillion (an amount in Rupiah)")
        return self


class Indicator(Strict):
    id: Slug
    name: Label
    unit: Label
    baseline: Measure
    # The logical framework's "means of verification" belongs to the indicator: it says where the
    # indicator's figure is read, whichever goal or programme the indicator measures.
    verification: Text | None = Field(None, description=(
        "Means of verification: where the indicator's figure is read and who keeps it, e.g. the "
        "consortium's membership register; left out: the logical framework says it is not recorded"))


class ProgrammeIndicator(Indicator):
    target: Measure


class MediumGoal(Strict):
    """A goal of the 3-year medium plan with its indicator and a target for each of the three years."""

    goal: Text
    indicator: Indicator
    targets: list[Measure] = Field(min_length=3, max_length=3)
    assumptions: Text | None = Field(None, description=(
        "Conditions outside the plan's control that must hold for this goal to lead to the vision "
        "(the logical framework's assumptions at the purpose level)"))


class Programme(Strict):
    id: Slug
    library: Slug | None = Field(None, description="Id of a programme in the programme library")
    title: Label | None = None
    objective: Text | None = None
    content: list[Text] = Field(default_factory=list)
    assumptions: Text | None = Field(None, description=(
        "Conditions outside the programme's control that must hold for its output to serve the "
        "medium plan's goals (the logical framework's assumptions at the output level)"))
    condition: Condition | None = Field(None, description="The condition the programme mainly serves")
    lead: Slug = Field(description="Stakeholder id of the lead")
    partners: list[Slug] = Field(default_factory=list)
    start_month: Month
    duration_months: Month
    funding: Funding
    in_kind: bool = Field(False, description=(
        "The programme is carried out with contributions in kind (staff time, rooms, services) rather "
        "than money: it may have no budget lines, lines at rate 0 list what is contributed, and it "
        "never takes the library programme's budget lines"))
    budget: list[BudgetLine] = Field(default_factory=list)
    indicator: ProgrammeIndicator
    facilitator_role: Text | None = Field(None, description=(
        "What the facilitator does in this programme (e.g. prepares the meetings, keeps the attendance "
        "list, writes the minutes); left out: the responsibility table says it is not recorded"))

    @field_validator("lead")
    @classmethod
    def _lead_is_stakeholder(cls, value: str, info: ValidationInfo) -> str:
        return require_stakeholder(value, info.context)

    @field_validator("partners")
    @classmethod
    def _partners_are_stakeholders(cls, values: list[str], info: ValidationInfo) -> list[str]:
        problems = stakeholder_problems({f"[{k}]": v for k, v in enumerate(values)}, info.context)
        if problems:
            raise ValueError("; ".join(problems))
        return values

    @field_validator("budget")
    @classmethod
    def _priced_unless_in_kind(cls, lines: list[BudgetLine], info: ValidationInfo) -> list[BudgetLine]:
        # A line at Rp 0 is most likely a forgotten rate; only an in-kind programme lists items it
        # receives as contributions, at no cost.
        free = [f"[{n}]" for n, line in enumerate(lines) if line.rate == 0]
        if free and not info.data.get("in_kind"):
            raise ValueError(
                f"line {', '.join(free)} has rate 0: give the rate in Rupiah, or set in_kind: true on the "
                f"programme if the item is contributed in kind"
            )
        return lines

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
            if not self.budget and not self.in_kind and not (entry is not None and entry.budget):
                why = (f"library programme {self.library!r} has none" if entry is not None
                       else "no library programme to take them from")
                raise ValueError(f"programme {self.id!r} needs budget lines ({why}), "
                                 f"or in_kind: true if it is carried out in kind")
        return self

    @property
    def end_month(self) -> int:
        return self.start_month + self.duration_months - 1


class SuccessGoal(Strict):
    """What a supported firm must reach to count as a success case."""

    description: Text
    min_annual_sales: PositiveRupiah | None = None
    # The success goal is the goal level of the logical framework: its indicator is the count of
    # success cases, as SMIDeP measured its LIAPs.
    target_cases: Cases | None = Field(None, description=(
        "How many supported firms the plan aims to count as success cases by the vision year"))
    verification: Text | None = Field(None, description=(
        "Means of verification of the success cases: where they are counted"))
    assumptions: Text | None = Field(None, description=(
        "Conditions outside the plan's control that must hold for the vision to be reached"))


class Prices(Strict):
    """The prices a plan's Rupiah amounts are in and the rate its US dollar figures use."""

    year: YearSince1990 = Field(
        description="The year whose prices the plan's budget lines are in (usually the plan year)")
    usd_rate: UsdRate = Field(
        description="Rupiah per US dollar, for every US$ figure of the plan")
    rate_note: Text | None = Field(None, description="Which rate it is and where it comes from")
    index: dict[YearSince1900, PriceIndex] = Field(
        default_factory=dict, description=(
            "A price index by year, e.g. {2003: 100, 2015: 213}: library budget lines costed in another "
            "year are restated in this plan's prices by the ratio of the two years' values"))
    index_note: Text | None = Field(None, description="What the index is and where its figures come from")

    @model_validator(mode="after")
    def _index_complete(self) -> Prices:
        if self.index and self.year not in self.index:
            raise ValueError(f"index: gives no value for {self.year}, the year of the plan's prices")
        if self.index and self.index_note is None:
            raise ValueError("index_note: say what the index is and where its figures come from")
        return self


# --- risks and mitigation (issue 13) -----------------------------------------------------------

Rating = Literal["low", "medium", "high"]


class Risk(Strict):
    """A risk to the plan or to one of its programmes, how likely it is, how much it would hurt,
    what is done about it and who watches it."""

    risk: Text = Field(description="What may go wrong, e.g. the regency budget is released late")
    programme: Slug | None = Field(None, description=(
        "Id of the programme of this plan the risk bears on; left out: the whole plan"))
    likelihood: Rating
    impact: Rating
    mitigation: Text = Field(description="What is done to prevent it or to limit its harm")
    owner: Slug = Field(description="Stakeholder id of who watches the risk and acts on it")

    @field_validator("owner")
    @classmethod
    def _owner_is_stakeholder(cls, value: str, info: ValidationInfo) -> str:
        return require_stakeholder(value, info.context)


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class Routine(Strict):
    """The social-capital meeting routine (section 5.2 (4)): monthly meetings, quarterly seminars."""

    meeting_weekday: Weekday = "tuesday"
    meeting_week: MeetingWeek = Field(2, description="Which week of the month")
    seminar_months: list[Month] = Field(default_factory=lambda: [3, 6, 9, 12])


# --- who reports to whom, and who signs the plan (the responsibility and approval pages) ---------

FACILITATOR = "facilitator"  # in 'by', 'to' and 'party': the cluster's facilitator, not a stakeholder


class ReportFrequency(StrEnum):
    monthly = "monthly"
    quarterly = "quarterly"
    half_yearly = "half-yearly"
    yearly = "yearly"
    once = "once"


class Report(Strict):
    """A report of the reporting calendar: what is reported, by whom, to whom and when."""

    report: Label = Field(description="What is reported, e.g. the progress monitoring report")
    by: Slug = Field(description="Who prepares it: a stakeholder id, or 'facilitator'")
    to: list[Slug] = Field(min_length=1, description="Who receives it: stakeholder ids, or 'facilitator'")
    frequency: ReportFrequency = Field(description="monthly, quarterly, half-yearly, yearly or once")
    due_day: DueDay | None = Field(None, description=(
        "Day of the month after each period by which the report is delivered (10: by the 10th); a date "
        "on a holiday or weekend moves to the next working day. Left out: by the last working day of the "
        "period's last month. For 'once': the day of its month"))
    month: Month | None = Field(None, description="'once' only: the month of the plan year it is due in")

    @model_validator(mode="after")
    def _month_for_once(self) -> Report:
        if self.frequency is ReportFrequency.once and self.month is None:
            raise ValueError("frequency 'once' needs 'month': the month of the plan year the report is "
                             "due in")
        if self.frequency is not ReportFrequency.once and self.month is not None:
            raise ValueError(f"'month' is for frequency 'once' only, not '{self.frequency.value}': leave it "
                             f"out (the periods follow from the frequency), or set frequency: once")
        return self


class ApprovalParty(Strict):
    """A party that signs the plan: a stakeholder (through the person who holds a position) or the
    facilitator."""

    party: Slug = Field(description="A stakeholder id, or 'facilitator'")
    position: Label = Field(description="The signatory's position, e.g. Head of the office / Kepala Dinas")
    name: Line | None = Field(None, description=(
        "The signatory's name; left out: a dotted line to write it in"))


class Approval(Strict):
    """The approval page: who signs the plan, and where."""

    place: Line | None = Field(None, description=(
        "Where the plan is signed, e.g. the regency's seat 'Pangururan'; left out: the regency or city "
        "name without 'Kabupaten' or 'Kota'"))
    parties: list[ApprovalParty] = Field(default_factory=list, description=(
        "Who signs, in order; left out or empty: the head of the regency or city office in charge of "
        "industry, the chair of the steering working group, the chairs of the cooperatives and the "
        "facilitator, as far as the cluster's params list them"))

    @field_validator("parties")
    @classmethod
    def _once_each(cls, items: list[ApprovalParty]) -> list[ApprovalParty]:
        check_unique([p.party for p in items], "approval parties")
        return items


def party_problems(ids: dict[str, str], context: dict | None) -> list[str]:
    """Ids (field -> id) that are neither a stakeholder of the cluster nor 'facilitator' where the
    cluster records a facilitator."""
    cluster = (context or {}).get("cluster")
    if cluster is None:
        return []
    problems = stakeholder_problems({f: v for f, v in ids.items() if v != FACILITATOR}, context)
    problems = [p.replace("is not a stakeholder of the cluster", "is not a stakeholder of the cluster nor "
                          "'facilitator'") for p in problems]
    if cluster.facilitator is None:
        problems += [f"{f}: 'facilitator' names the cluster's facilitator, but its params file records "
                     f"none (add 'facilitator' there, or name a stakeholder)"
                     for f, v in ids.items() if v == FACILITATOR]
    return problems


class Plan(Sidecar):
    """A cluster's action plan for one year, inside its 3-year plan and 10-year vision."""

    cluster: Slug
    year: YearSince1990 = Field(description="The year of the action programmes")
    vision: Text = Field(description="Where the cluster wants to be at the end of the vision's years")
    vision_year: YearSince1990 | None = Field(None, description=(
        "The last year the vision looks to; left out: the plan's tenth year (year + 9)"))
    medium_plan: list[MediumGoal] = Field(min_length=1)
    programmes: list[Programme] = Field(min_length=1)
    success_goal: SuccessGoal
    routine: Routine = Field(default_factory=Routine)
    prices: Prices | None = Field(None, description=(
        "Price year and US dollar rate of the plan's amounts; left out: the cluster's reference year and "
        "rate (currency.usd_rate)"))
    # Before provenance, which checks that every section given is covered.
    risks: list[Risk] = Field(default_factory=list, description=(
        "Risks to the plan and its programmes with their mitigation; left out: the plan says that no "
        "risks are recorded"))
    reporting: list[Report] = Field(default_factory=list, description=(
        "The reporting calendar: what is reported, by whom, to whom and when; left out: the method's "
        "standard calendar (the facilitator's progress report after each information seminar and the "
        "yearly monitoring and evaluation report), where the cluster records a facilitator"))
    approval: Approval | None = Field(None, description=(
        "Who signs the plan on its approval page, and where; left out: the default parties (see Approval)"))
    provenance: list[Provenance] = Field(min_length=1)

    DATA_SECTIONS: ClassVar[tuple[str, ...]] = ("vision", "medium_plan", "programmes", "success_goal",
                                                "prices", "risks", "reporting", "approval")

    @field_validator("reporting")
    @classmethod
    def _reporting_parties(cls, items: list[Report], info: ValidationInfo) -> list[Report]:
        ids = {}
        for n, r in enumerate(items):
            ids[f"[{n}].by"] = r.by
            ids.update({f"[{n}].to[{k}]": v for k, v in enumerate(r.to)})
        problems = party_problems(ids, info.context)
        if problems:
            raise ValueError("; ".join(problems))
        return items

    @field_validator("approval")
    @classmethod
    def _approval_parties(cls, approval: Approval | None, info: ValidationInfo) -> Approval | None:
        if approval is None:
            return None
        problems = party_problems({f"parties[{n}].party": p.party for n, p in enumerate(approval.parties)},
                                  info.context)
        if problems:
            raise ValueError("; ".join(problems))
        return approval

    @field_validator("prices")
    @classmethod
    def _index_covers_library(cls, prices: Prices | None, info: ValidationInfo) -> Prices | None:
        """With a price index, every library line the plan takes must be restatable: an index that
        skips the year a library programme was costed in would leave its lines silently unchanged."""
        library = (info.context or {}).get("library")
        if library is None or prices is None or not prices.index:
            return prices
        for programme in info.data.get("programmes") or []:
            entry = library.get(programme.library) if programme.library else None
            if entry is None or programme.budget or programme.in_kind or not entry.budget:
                continue
            year = entry.costed_year  # the library requires it wherever there are lines
            if year is not None and year not in prices.index:
                raise ValueError(
                    f"index: gives no value for {year}, the year library programme {entry.id!r} "
                    f"(taken by programme {programme.id!r}) was costed in"
                )
        return prices

    @field_validator("programmes")
    @classmethod
    def _unique_programmes(cls, items: list[Programme]) -> list[Programme]:
        ids = [p.id for p in items]
        check_unique(ids, "programme ids")
        return items

    @model_validator(mode="after")
    def _vision_after_medium_plan(self) -> Plan:
        if self.vision_year is not None and self.vision_year < self.year + 2:
            raise ValueError(
                f"vision_year: {self.vision_year} ends before the medium plan ({self.year}-{self.year + 2}); "
                f"give a year from {self.year + 2} on, or leave it out for the plan's tenth year "
                f"({self.year + 9})"
            )
        return self

    @model_validator(mode="after")
    def _risks_name_programmes(self) -> Plan:
        ids = [p.id for p in self.programmes]
        for n, r in enumerate(self.risks):
            if r.programme is not None and r.programme not in ids:
                raise ValueError(f"risks.{n}.programme: {r.programme!r} is not a programme of this plan "
                                 f"(its programmes: {', '.join(ids)})")
        return self

    @model_validator(mode="after")
    def _unique_indicators(self) -> Plan:
        ids = [g.indicator.id for g in self.medium_plan] + [p.indicator.id for p in self.programmes]
        check_unique(ids, "indicator ids")
        return self

    def indicators(self) -> dict[str, Indicator]:
        found: dict[str, Indicator] = {g.indicator.id: g.indicator for g in self.medium_plan}
        found.update({p.indicator.id: p.indicator for p in self.programmes})
        return found
