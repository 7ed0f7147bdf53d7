"""Pure layout of the month, week, day and agenda views: which days, which rows, where
each occurrence sits. No Django, no network.

Positions are CSS class numbers, not inline styles (the CSP forbids them): a timed event
in the week grid starts at half-hour row `row` and spans `span` rows; overlapping events
share the column in `lanes` lanes. Colours are one of PALETTE, the nearest to the
calendar's own colour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from calendar_app.events import Occurrence

VIEWS = ("month", "week", "day", "agenda")
AGENDA_DAYS = 30
SLOTS_PER_DAY = 48  # half hours
MAX_LANES = 4
PALETTE = (
    "#1a56a8",  # blue, the app's colour
    "#0b7a75",  # teal
    "#2e7d32",  # green
    "#8a6d00",  # olive
    "#c25e00",  # orange
    "#c0392b",  # red
    "#ad1457",  # pink
    "#6a3fa0",  # purple
    "#455a64",  # slate
    "#5d4037",  # brown
)


@dataclass(frozen=True)
class Placed:
    """An occurrence as drawn in one day column of the week or day grid."""

    occurrence: Occurrence
    row: int  # first half-hour row, 0..47
    span: int  # rows, at least 1
    lane: int
    lanes: int


@dataclass(frozen=True)
class Day:
    date: dt.date
    all_day: list[Occurrence]  # and timed events that run over several days
    timed: list[Placed]
    in_month: bool = True


def python_weekday(django_first_day_of_week: int) -> int:
    """Django's FIRST_DAY_OF_WEEK (0 = Sunday) as Python's weekday() (0 = Monday)."""
    return (django_first_day_of_week - 1) % 7


def start_of_week(day: dt.date, first_weekday: int) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - first_weekday) % 7)


def view_days(view: str, day: dt.date, first_weekday: int) -> list[dt.date]:
    """Every date the view shows, first to last."""
    if view == "day":
        return [day]
    if view == "week":
        first = start_of_week(day, first_weekday)
        return [first + dt.timedelta(days=i) for i in range(7)]
    if view == "agenda":
        return [day + dt.timedelta(days=i) for i in range(AGENDA_DAYS)]
    first = start_of_week(day.replace(day=1), first_weekday)
    next_month = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    last = start_of_week(next_month - dt.timedelta(days=1), first_weekday) + dt.timedelta(days=6)
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def weeks(days: list[dt.date]) -> list[list[dt.date]]:
    return [days[i : i + 7] for i in range(0, len(days), 7)]


def step(view: str, day: dt.date, forward: bool) -> dt.date:
    """The date that the previous / next button goes to."""
    sign = 1 if forward else -1
    if view == "day":
        return day + dt.timedelta(days=sign)
    if view == "week":
        return day + dt.timedelta(days=7 * sign)
    if view == "agenda":
        return day + dt.timedelta(days=AGENDA_DAYS * sign)
    month = day.month - 1 + sign
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def lay_out(days: list[dt.date], found: list[Occurrence], month: int | None = None) -> list[Day]:
    """Each day with the occurrences that touch it, timed ones placed in lanes."""
    laid = []
    for date in days:
        touching = [o for o in found if o.first_day <= date <= o.last_day]
        long = [o for o in touching if o.all_day or o.first_day != o.last_day]
        timed = [o for o in touching if o not in long]
        laid.append(
            Day(
                date=date,
                all_day=long,
                timed=_lanes(timed),
                in_month=month is None or date.month == month,
            )
        )
    return laid


def _lanes(timed: list[Occurrence]) -> list[Placed]:
    """Overlapping events side by side: each group of overlapping events shares lanes."""
    rows = [(_row(o.start), max(_end_row(o) - _row(o.start), 1), o) for o in timed]
    rows.sort(key=lambda r: (r[0], -r[1]))
    result: list[Placed] = []
    group: list[tuple[int, int, Occurrence, int]] = []
    group_end = 0
    for row, span, occurrence in rows:
        if group and row >= group_end:
            result += _close(group)
            group = []
        busy = {lane for r, s, _o, lane in group if r + s > row}
        lane = next((n for n in range(MAX_LANES) if n not in busy), MAX_LANES - 1)
        group_end = max(group_end, row + span) if group else row + span
        group.append((row, span, occurrence, lane))
    return result + _close(group)


def _close(group) -> list[Placed]:
    lanes = max((lane for *_rest, lane in group), default=0) + 1
    return [Placed(o, row, span, lane, lanes) for row, span, o, lane in group]


def _end_row(occurrence: Occurrence) -> int:
    if occurrence.end.date() != occurrence.start.date():
        return SLOTS_PER_DAY  # ends at midnight
    return _row(occurrence.end, end=True)


def _row(moment: dt.datetime, end: bool = False) -> int:
    minutes = moment.hour * 60 + moment.minute
    row = minutes // 30 if not end else -(-minutes // 30)
    return min(row, SLOTS_PER_DAY)


def palette_index(color: str) -> int:
    """The PALETTE entry nearest to a "#rrggbb" colour (0 when there is none)."""
    try:
        rgb = _rgb(color)
    except ValueError:
        return 0
    distances = [sum((a - b) ** 2 for a, b in zip(rgb, _rgb(p), strict=True)) for p in PALETTE]
    return distances.index(min(distances))


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.strip().lstrip("#")[:6]
    if len(value) != 6:
        raise ValueError(color)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
