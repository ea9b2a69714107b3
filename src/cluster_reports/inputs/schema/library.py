"""The programme library (``params/programmes/*.yaml``): action programmes a plan can start from.

It holds the twelve national action programmes of Table 5.1 (why, who, what, schedule and budget
from sections 5.2-5.3 of the 2004 study) and the programme types the three pilots ran (Box 3.1).
A cluster's plan names a library programme by id and adapts what it needs.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from .common import NonEmpty, Slug, Strict, Text, check_unique
from .plan import BudgetLine


class ScheduleStep(Strict):
    activity: Text
    months: Annotated[float, Field(gt=0)] | None = Field(None, description="Duration in months, if given")
    note: Text | None = None


class LibraryProgramme(Strict):
    id: Slug
    source: Literal["national", "pilot"] = Field(
        description="national: Table 5.1 of the 2004 study; pilot: a programme type of Box 3.1"
    )
    number: Annotated[int, Field(ge=1, le=99)] | None = Field(None, description="Number in Table 5.1")
    reference: Text = Field(description="Where in the study, e.g. 'Table 5.1, no. 4; section 5.2 (4)'")
    title: Text
    why: Text
    who: Text
    initiative: Text | None = Field(None, description="The agency that takes the initiative")
    what: list[Text] = Field(min_length=1)
    schedule: list[ScheduleStep] = Field(default_factory=list)
    budget_note: Text | None = None
    budget: list[BudgetLine] = Field(default_factory=list)
    pilots: list[Slug] = Field(default_factory=list, description="Pilot clusters that ran it (Box 3.1)")


class Library(Strict):
    title: NonEmpty
    programmes: list[LibraryProgramme] = Field(min_length=1)

    @field_validator("programmes")
    @classmethod
    def _unique(cls, items: list[LibraryProgramme]) -> list[LibraryProgramme]:
        ids = [p.id for p in items]
        check_unique(ids, "programme ids")
        return items
