"""Busy periods of a day from a colleague's events: merged, clamped, free ones left out."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from calendar_app.events import Occurrence
from calendar_app.freebusy import Period, busy_periods

PARIS = ZoneInfo("Europe/Paris")
DAY = dt.date(2026, 3, 10)


def at(hour, minute=0, day=10):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=PARIS)


def event(start, end, busy=True):
    all_day = not isinstance(start, dt.datetime)
    return Occurrence(uid="x", summary="s", start=start, end=end, all_day=all_day, busy=busy)


@pytest.mark.parametrize(
    ("occurrences", "expected"),
    [
        ([], []),
        ([event(at(9), at(10))], [Period(at(9), at(10))]),
        # overlapping and touching meetings make one period
        (
            [event(at(9), at(10)), event(at(9, 30), at(11)), event(at(11), at(11, 30))],
            [Period(at(9), at(11, 30))],
        ),
        # a free (transparent) event does not count
        ([event(at(14), at(15), busy=False), event(at(16), at(17))], [Period(at(16), at(17))]),
        # the night before and after are cut at the day's edges
        ([event(at(22, day=9), at(1))], [Period(at(0), at(1))]),
        ([event(at(23), at(2, day=11))], [Period(at(23), at(0, day=11))]),
        # an all-day event fills the day; another day's is not there
        ([event(DAY, DAY + dt.timedelta(days=1))], [Period(at(0), at(0, day=11))]),
        ([event(DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=2))], []),
        # a time in UTC shows in the viewer's zone
        (
            [
                event(
                    dt.datetime(2026, 3, 10, 8, tzinfo=dt.UTC),
                    dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC),
                )
            ],
            [Period(at(9), at(10))],
        ),
    ],
)
def test_busy_periods(occurrences, expected):
    assert busy_periods(occurrences, DAY, PARIS) == expected


def test_a_whole_day_period_says_so():
    [period] = busy_periods([event(DAY, DAY + dt.timedelta(days=1))], DAY, PARIS)
    assert period.all_day
    assert not Period(at(9), at(10)).all_day
