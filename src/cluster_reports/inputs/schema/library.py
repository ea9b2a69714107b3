"""The programme library (``params/programmes/*.yaml``): action programmes a plan can start from.

It holds the twelve national action programmes of Table 5.1 (why, who, what, schedule and budget
from sections 5.2-5.3 of the 2004 study) and the programme types the three pilots ran (Box 3.1).
A cluster's plan names a library programme by id and adapts what it needs. Budget lines are in the
prices of the year they were costed in (``costed_year``: the library file's, or a programme's own),
so a plan of another year can say, or restate, how old they are.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from .cluster import ConstraintCategory
from .common import Condition, Label, Line, Months, Slug, Strict, Text, YearSince1990, check_unique, small
from .plan import BudgetLine

CostedYear = YearSince1990
TableNumber = small(1, 99, "a number in Table 5.1")

# What a library programme answers: one of the five conditions (a weak one) or a category of
# constraints (Table 2.2). The profile's findings point from a cluster's weakest conditions and its
# recorded constraints to the programmes that list them here.
ADDRESSABLE = tuple(c.value for c in Condition) + tuple(
    f"constraint:{c.value}" for c in ConstraintCategory)
Addressed = Literal[ADDRESSABLE]  # type: ignore[valid-type]


class ScheduleStep(Strict):
    activity: Label
    months: Months | None = Field(None, description="Duration in months, if given")
    note: Text | None = None


class LibraryProgramme(Strict):
    id: Slug
    source: Literal["national", "pilot"] = Field(
        description="national: Table 5.1 of the 2004 study; pilot: a programme type of Box 3.1"
    )
    number: TableNumber | None = Field(None, description="Number in Table 5.1")
    reference: Label = Field(description="Where in the study, e.g. 'Table 5.1, no. 4; section 5.2 (4)'")
    title: Label
    why: Text
    who: Text
    initiative: Label | None = Field(None, description="The agency that takes the initiative")
    what: list[Text] = Field(min_length=1)
    schedule: list[ScheduleStep] = Field(default_factory=list)
    budget_note: Text | None = None
    budget: list[BudgetLine] = Field(default_factory=list)
    costed_year: CostedYear | None = Field(
        None, description="The year whose prices its budget lines are in; left out: the library file's")
    pilots: list[Slug] = Field(default_factory=list, description="Pilot clusters that ran it (Box 3.1)")
    addresses: list[Addressed] = Field(
        default_factory=list, description="The conditions (demand, factor, firm_strategy, "
        "related_supporting, social_capital) and the constraint categories (constraint:products, "
        "constraint:technology, constraint:market, constraint:price, constraint:institutional, "
        "constraint:social) the programme answers: the profile's findings recommend it for them")

    @field_validator("budget")
    @classmethod
    def _priced(cls, lines: list[BudgetLine]) -> list[BudgetLine]:
        # Only a plan's in-kind programme may list an item at Rp 0; a library line is a cost.
        free = [f"[{n}]" for n, line in enumerate(lines) if line.rate == 0]
        if free:
            raise ValueError(
                f"line {', '.join(free)} has rate 0: a library budget line gives its rate in Rupiah")
        return lines


class Library(Strict):
    title: Line
    costed_year: CostedYear | None = Field(
        None, description="The year whose prices the budget lines of this file are in (e.g. 2003 for the "
                          "2004 study); a programme's own costed_year overrides it")
    programmes: list[LibraryProgramme] = Field(min_length=1)

    @field_validator("programmes")
    @classmethod
    def _unique(cls, items: list[LibraryProgramme]) -> list[LibraryProgramme]:
        ids = [p.id for p in items]
        check_unique(ids, "programme ids")
        return items

    @field_validator("programmes")
    @classmethod
    def _costed_years(cls, items: list[LibraryProgramme], info: ValidationInfo) -> list[LibraryProgramme]:
        # Lines of unknown age cannot be compared with a plan's prices.
        unknown = [p.id for p in items if p.budget and p.costed_year is None]
        if unknown and info.data.get("costed_year") is None:
            raise ValueError(
                f"{', '.join(unknown)}: budget lines without the year whose prices they are in; give "
                f"costed_year at the top of the file (or in each of these programmes)"
            )
        return items

    def with_costed_years(self) -> list[LibraryProgramme]:
        """The programmes, each with the year its lines were costed in (its own, else the file's)."""
        return [p if p.costed_year is not None or self.costed_year is None
                else p.model_copy(update={"costed_year": self.costed_year}) for p in self.programmes]
