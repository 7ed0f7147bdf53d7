"""Free/busy: the times a colleague is busy on a day, without what they do.

Pure: occurrences in, merged busy periods out. Only events marked busy count; an all-day
busy event fills the day. What the viewer may see (calendars shared with them) is decided
by the caller, which passes only those occurrences.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from calendar_app.events import Occurrence


@dataclass(frozen=True)
class Period:
    start: dt.datetime
    end: dt.datetime

    @property
    def all_day(self) -> bool:
        return self.start.time() == dt.time(0) and self.end - self.start >= dt.timedelta(days=1)


def busy_periods(occurrences: Iterable[Occurrence], day: dt.date, tz: ZoneInfo) -> list[Period]:
    """The busy periods of `day` (in tz), overlapping ones merged, in order."""
    day_start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    day_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    spans = []
    for o in occurrences:
        if not o.busy:
            continue
        if o.all_day:
            start = dt.datetime.combine(o.start, dt.time.min, tzinfo=tz)
            end = dt.datetime.combine(o.end, dt.time.min, tzinfo=tz)
        else:
            start, end = o.start.astimezone(tz), o.end.astimezone(tz)
        start, end = max(start, day_start), min(end, day_end)
        if start < end:
            spans.append((start, end))
    merged: list[Period] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1].end:
            merged[-1] = Period(merged[-1].start, max(merged[-1].end, end))
        else:
            merged.append(Period(start, end))
    return merged
