"""The meeting calendar of a plan year: known dates (checked against `date`), rules and bad input."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from cluster_reports.domain import routine
from cluster_reports.domain.routine import EventKind
from cluster_reports.inputs.schema.plan import Routine

D = dt.date
# Second Tuesdays of 2003, as GNU date gives them.
SECOND_TUESDAYS_2003 = [
    D(2003, 1, 14), D(2003, 2, 11), D(2003, 3, 11), D(2003, 4, 8), D(2003, 5, 13), D(2003, 6, 10),
    D(2003, 7, 8), D(2003, 8, 12), D(2003, 9, 9), D(2003, 10, 14), D(2003, 11, 11), D(2003, 12, 9),
]


@dataclass(frozen=True)
class Prog:
    id: str
    start_month: int
    duration_months: int

    @property
    def end_month(self) -> int:
        return self.start_month + self.duration_months - 1


def test_second_tuesday_of_every_month_of_2003():
    assert [routine.nth_weekday(2003, m, "tuesday", 2) for m in range(1, 13)] == SECOND_TUESDAYS_2003


@pytest.mark.parametrize(
    ("year", "month", "weekday", "week", "expected"),
    [
        (2003, 3, "friday", 1, D(2003, 3, 7)),  # month starting on a Saturday
        (2003, 1, "wednesday", 1, D(2003, 1, 1)),  # the month's first day is the weekday itself
        (2004, 2, "sunday", 4, D(2004, 2, 22)),  # leap February
        (2003, 12, "monday", 4, D(2003, 12, 22)),
    ],
)
def test_nth_weekday_edges(year, month, weekday, week, expected):
    assert routine.nth_weekday(year, month, weekday, week) == expected
    assert expected.strftime("%A").lower() == weekday


def test_default_routine_gives_monthly_meetings_and_quarterly_seminars():
    events = routine.gatherings(2003, Routine())
    assert [e.date for e in events] == SECOND_TUESDAYS_2003
    seminars = [e.date.month for e in events if e.kind is EventKind.seminar]
    assert seminars == [3, 6, 9, 12]
    assert sum(e.kind is EventKind.meeting for e in events) == 8  # a seminar replaces that month's meeting


def test_seminar_takes_the_meeting_day_of_its_month():
    third_thursdays = Routine(meeting_weekday="thursday", meeting_week=3, seminar_months=[2, 2, 7])
    events = routine.gatherings(2003, third_thursdays)
    by_month = {e.date.month: e for e in events}
    assert len(events) == 12
    assert by_month[2] == routine.Event(D(2003, 2, 20), EventKind.seminar)
    assert by_month[7] == routine.Event(D(2003, 7, 17), EventKind.seminar)
    assert by_month[8].kind is EventKind.meeting


def test_programme_milestones_on_first_and_last_days():
    plan = [Prog("study-tour", 2, 1), Prog("marketing", 2, 11), Prog("process", 6, 4)]
    events = routine.milestones(2003, plan)
    assert routine.Event(D(2003, 2, 1), EventKind.start, ("study-tour", "marketing")) in events
    assert routine.Event(D(2003, 2, 28), EventKind.end, ("study-tour",)) in events
    assert routine.Event(D(2003, 12, 31), EventKind.end, ("marketing",)) in events
    assert routine.Event(D(2003, 9, 30), EventKind.end, ("process",)) in events
    assert len(events) == 5


def test_calendar_is_in_date_order_with_starts_before_and_ends_after_a_same_day_gathering():
    # Meetings on the first Wednesday: 1 January 2003 is one, the day a programme starts.
    events = routine.calendar(2003, Routine(meeting_weekday="wednesday", meeting_week=1),
                              [Prog("a", 1, 12)])
    assert [e.date for e in events] == sorted(e.date for e in events)
    assert events[0] == routine.Event(D(2003, 1, 1), EventKind.start, ("a",))
    assert events[1] == routine.Event(D(2003, 1, 1), EventKind.meeting)
    assert events[-1] == routine.Event(D(2003, 12, 31), EventKind.end, ("a",))
    assert len(events) == 14


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: routine.nth_weekday(2003, 1, "tuesdy", 2), "weekday 'tuesdy'"),
        (lambda: routine.nth_weekday(2003, 1, "tuesday", 5), "week 5"),
        (lambda: routine.nth_weekday(2003, 13, "tuesday", 1), "month 13"),
        (lambda: routine.milestones(2003, [Prog("long", 11, 3)]), "programme 'long': months 11-13"),
    ],
)
def test_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_running_programmes_of_a_month():
    plan = [Prog("a", 1, 3), Prog("b", 3, 8), Prog("c", 11, 2)]
    assert routine.running(plan, 3) == ["a", "b"]
    assert routine.running(plan, 4) == ["b"]
    assert routine.running(plan, 12) == ["c"]
