"""The social-capital meeting routine of a plan year as a dated calendar (study section 5.2 (4)).

The study's reference: a regular meeting once a month, an information seminar once every three
months, joint actions as agreed. A plan's ``routine`` says on which weekday and in which week of
the month the regular meeting falls, and in which months a seminar is held.

Rules this module applies (the facilitator guideline states them to its readers):
- the regular meeting is on the n-th given weekday of every month (meeting_week 1-4, so it always
  exists);
- in a seminar month the information seminar takes the place of that month's regular meeting, on
  the same day: the firms keep one fixed date a month, and the seminar's audience is the meeting's;
- a plan programme (a joint action) becomes two milestones: its start on the first day of its
  first month and its end on the last day of its last month, since the plan gives months only;
- ``working_calendar`` then moves every date onto a working day (working_days): a gathering to the
  next working day of its month, a start to the first working day on or after it, an end to the
  last working day on or before it.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from . import working_days

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class EventKind(StrEnum):
    meeting = "meeting"
    seminar = "seminar"
    start = "start"  # joint actions (plan programmes) that start on this date
    end = "end"  # joint actions that end on this date


# Same-day order in the calendar: a programme's start before the gathering, its end after it.
_ORDER = {EventKind.start: 0, EventKind.seminar: 1, EventKind.meeting: 1, EventKind.end: 2}


class Scheduled(Protocol):
    """Anything with a plan programme's id and months (schema Programme, budget.ResolvedProgramme)."""

    id: str
    start_month: int

    @property
    def end_month(self) -> int: ...


class RoutineLike(Protocol):
    meeting_weekday: str
    meeting_week: int
    seminar_months: list[int]


@dataclass(frozen=True)
class Event:
    date: dt.date
    kind: EventKind
    programmes: tuple[str, ...] = ()  # programme ids, for start and end milestones


def nth_weekday(year: int, month: int, weekday: str, n: int) -> dt.date:
    """The n-th (1-4) given weekday of a month: nth_weekday(2003, 1, "tuesday", 2) is 14 January 2003."""
    if weekday not in WEEKDAYS:
        raise ValueError(f"weekday {weekday!r}: use one of {', '.join(WEEKDAYS)}")
    if not 1 <= n <= 4:
        raise ValueError(f"week {n}: use 1 to 4 (every month has at least four of each weekday)")
    if not 1 <= month <= 12:
        raise ValueError(f"month {month}: use 1 to 12")
    first = dt.date(year, month, 1)
    offset = (WEEKDAYS.index(weekday) - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (n - 1))


def gatherings(year: int, routine: RoutineLike) -> list[Event]:
    """The twelve monthly gatherings of a year: regular meetings, seminars in the seminar months."""
    bad = sorted(m for m in set(routine.seminar_months) if not 1 <= m <= 12)
    if bad:
        raise ValueError(f"seminar months {bad}: use 1 to 12")
    seminar_months = set(routine.seminar_months)
    return [
        Event(
            nth_weekday(year, month, routine.meeting_weekday, routine.meeting_week),
            EventKind.seminar if month in seminar_months else EventKind.meeting,
        )
        for month in range(1, 13)
    ]


def milestones(year: int, programmes: Iterable[Scheduled]) -> list[Event]:
    """Starts (first day of the first month) and ends (last day of the last month) of joint actions.

    Programmes starting or ending on the same day share one event, in the plan's order.
    """
    grouped: dict[tuple[dt.date, EventKind], list[str]] = {}
    for p in programmes:
        if not 1 <= p.start_month <= p.end_month <= 12:
            raise ValueError(
                f"programme {p.id!r}: months {p.start_month}-{p.end_month} do not fit in one plan year"
            )
        start = dt.date(year, p.start_month, 1)
        end = dt.date(year, p.end_month, _calendar.monthrange(year, p.end_month)[1])
        grouped.setdefault((start, EventKind.start), []).append(p.id)
        grouped.setdefault((end, EventKind.end), []).append(p.id)
    return [Event(day, kind, tuple(ids)) for (day, kind), ids in grouped.items()]


def calendar(year: int, routine: RoutineLike, programmes: Iterable[Scheduled] = ()) -> list[Event]:
    """The plan year's dated calendar: gatherings and joint-action milestones, in date order."""
    events = gatherings(year, routine) + milestones(year, programmes)
    return sorted(events, key=lambda e: (e.date, _ORDER[e.kind]))


def working_calendar(year: int, routine: RoutineLike, programmes: Iterable[Scheduled] = ()) -> list[Event]:
    """The calendar with every date on a working day: no Saturday, Sunday or national holiday."""
    moved = []
    for e in calendar(year, routine, programmes):
        if e.kind is EventKind.start:
            day = working_days.on_or_after(e.date)
        elif e.kind is EventKind.end:
            day = working_days.on_or_before(e.date)
        else:
            day = working_days.in_month(e.date)
        moved.append(Event(day, e.kind, e.programmes))
    return sorted(moved, key=lambda e: (e.date, _ORDER[e.kind]))


def running(programmes: Iterable[Scheduled], month: int) -> list[str]:
    """Ids of the joint actions under way in a month: what that month's gathering reviews."""
    return [p.id for p in programmes if p.start_month <= month <= p.end_month]
