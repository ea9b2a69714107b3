"""When the reports of a plan year are due: the periods a frequency makes and their deadlines.

Rules (the action plan states them to its readers):
- a monthly report covers each month, a quarterly one each quarter (ending March, June, September,
  December), a half-yearly one each half year (ending June, December), a yearly one the plan year; a
  one-off report is due in its own month;
- with a due day, a periodic report is due on that day of the month after its period, a one-off
  report on that day of its month; without one, on the last working day of the period's last month;
- a deadline that falls on a weekend or a national holiday moves to the next working day, as
  Indonesian offices count deadlines; the end-of-month deadline is already a working day.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass

from . import working_days

PERIOD_ENDS = {
    "monthly": tuple(range(1, 13)),
    "quarterly": (3, 6, 9, 12),
    "half-yearly": (6, 12),
    "yearly": (12,),
}
PERIOD_LENGTH = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}


@dataclass(frozen=True)
class Due:
    first_month: int  # the period covered, months of the plan year (a one-off report: its month)
    last_month: int
    date: dt.date


def month_end(year: int, month: int) -> dt.date:
    """The last working day of a month."""
    return working_days.on_or_before(dt.date(year, month, _calendar.monthrange(year, month)[1]))


def deadline(year: int, month: int, due_day: int | None, following: bool) -> dt.date:
    """The deadline of a period ending in ``month`` of ``year``: ``due_day`` of the next month
    (``following``) or of that month, moved to a working day; without a day, the month's last
    working day."""
    if due_day is None:
        return month_end(year, month)
    if following:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return working_days.on_or_after(dt.date(year, month, due_day))


def due_dates(year: int, frequency: str, due_day: int | None = None, month: int | None = None) -> list[Due]:
    """The deliveries of one report in a plan year, in date order."""
    if frequency == "once":
        if month is None:
            raise ValueError("a one-off report needs its month")
        return [Due(month, month, deadline(year, month, due_day, following=False))]
    if frequency not in PERIOD_ENDS:
        raise ValueError(f"frequency {frequency!r}: use monthly, quarterly, half-yearly, yearly or once")
    length = PERIOD_LENGTH[frequency]
    return [Due(end - length + 1, end, deadline(year, end, due_day, following=due_day is not None))
            for end in PERIOD_ENDS[frequency]]


def after_seminars(year: int, seminar_months: list[int]) -> list[Due]:
    """The method's progress report: one after each information seminar, due by the last working
    day of the seminar's month, covering the months since the previous one (the first: from January)."""
    months = sorted(set(seminar_months))
    starts = [1] + [m + 1 for m in months[:-1]]
    return [Due(start, end, month_end(year, end)) for start, end in zip(starts, months, strict=True)]
