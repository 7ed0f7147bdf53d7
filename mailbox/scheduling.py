"""When a message may leave: working hours and the next working morning. Pure.

Outside working hours the compose page offers to deliver at the next working morning,
so that colleagues are not written to in the evening or at the weekend (the right to
disconnect). Working days are Monday to Friday; times are local, time-zone aware.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

SATURDAY = 5


def is_working_time(moment: datetime, start_hour: int, end_hour: int) -> bool:
    """Monday to Friday, from start_hour (included) to end_hour (excluded)."""
    return moment.weekday() < SATURDAY and start_hour <= moment.hour < end_hour


def next_working_morning(moment: datetime, start_hour: int) -> datetime:
    """The next working day's start: today's if it has not come yet on a working day."""
    day = moment.date()
    if moment.weekday() >= SATURDAY or moment.time() >= time(start_hour):
        day += timedelta(days=1)
    while day.weekday() >= SATURDAY:
        day += timedelta(days=1)
    return datetime.combine(day, time(start_hour), tzinfo=moment.tzinfo)
