"""Working days in Indonesia: Monday to Friday, except national public holidays and the joint leave
days (cuti bersama) the government sets around them, Lebaran above all.

The dates a document proposes (a meeting, a seminar, the start of a joint action) fall on working
days, so that officials and firms can attend. The holidays come from the ``holidays`` package
(public and government categories); its lunar dates are computed, and the government may still
move a day by decree, which the facilitator confirms locally.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays


@cache
def _holidays(year: int) -> dict[dt.date, str]:
    calendar = holidays.country_holidays(
        "ID", years=year, categories=(holidays.PUBLIC, holidays.GOVERNMENT)
    )
    return dict(calendar.items())


def holiday(day: dt.date) -> str | None:
    """The name of the national holiday or joint leave day on ``day`` (English), or None."""
    return _holidays(day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and holiday(day) is None


def on_or_after(day: dt.date) -> dt.date:
    """The first working day on or after ``day``."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def on_or_before(day: dt.date) -> dt.date:
    """The last working day on or before ``day``."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def in_month(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the next working day of its month, else (at a
    month's end) the last working day before it: a monthly meeting stays in its month."""
    later = on_or_after(day)
    return later if later.month == day.month else on_or_before(day)
