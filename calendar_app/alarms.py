"""Pure: when the reminders (VALARM) of a calendar object ring.

No Django, no network. recurring_ical_events expands the alarms of every occurrence of a
series (RRULE, RDATE, EXDATE, edited occurrences) and turns relative triggers ("15 minutes
before the start", "at the end") into times, so an alarm of Thunderbird, of a phone or of
this app reads the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from calendar_app import events


@dataclass(frozen=True)
class Alarm:
    """One reminder of one occurrence: ring at `fires_at` (UTC) for the event at `start`."""

    uid: str
    fires_at: dt.datetime  # aware, UTC
    start: dt.datetime  # aware, in the zone given; midnight for an all-day event
    all_day: bool
    summary: str
    location: str = ""


def alarms_between(
    data: bytes | str | icalendar.Calendar,
    window_start: dt.datetime,
    window_end: dt.datetime,
    tz: ZoneInfo,
) -> list[Alarm]:
    """The alarms of the object's events and tasks that ring in [window_start, window_end),
    by time. Floating times and all-day dates are read in `tz`. Raises InvalidCalendar."""
    calendar = data if isinstance(data, icalendar.Calendar) else events.parse(data)
    try:
        before, after = _reach(calendar)
        found = recurring_ical_events.of(calendar, components=["VEVENT", "VTODO"]).between(
            window_start - after, window_end + before
        )
        alarms = {a for component in found for a in _alarms(component, tz)}
    except Exception as exc:  # bad RRULE, TRIGGER without a value, dates out of range, ...
        raise events.InvalidCalendar(f"{type(exc).__name__}: {exc}") from exc
    ringing = [a for a in alarms if window_start <= a.fires_at < window_end]
    return sorted(ringing, key=lambda a: (a.fires_at, a.summary))


def _reach(calendar) -> tuple[dt.timedelta, dt.timedelta]:
    """How long before its start, and after it, an occurrence of this object may ring, so
    the occurrences to expand are those near the window. (recurring_ical_events can expand
    VALARM itself, but fails on all-day events.)"""
    offsets = [
        trigger.dt
        for alarm in calendar.walk("VALARM")
        if (trigger := alarm.get("TRIGGER")) is not None and isinstance(trigger.dt, dt.timedelta)
    ]
    zero = dt.timedelta(0)
    # after: an alarm related to the end rings up to the event's length after its start
    return -min([zero, *offsets]), max([zero, *offsets]) + dt.timedelta(days=7)


def _alarms(component, tz: ZoneInfo) -> list[Alarm]:
    start_value = component.get("DTSTART") or component.get("DUE")
    if start_value is None:
        return []
    all_day = not isinstance(start_value.dt, dt.datetime)
    start = _aware(start_value.dt, tz)
    end = _end(component, start, tz)
    found = []
    for alarm in component.walk("VALARM"):
        trigger = alarm.get("TRIGGER")
        if trigger is None:
            continue
        if isinstance(trigger.dt, dt.timedelta):
            related_end = str(trigger.params.get("RELATED", "START")).upper() == "END"
            fires_at = (end if related_end else start) + trigger.dt
        else:
            fires_at = _aware(trigger.dt, tz)
        found.append(
            Alarm(
                uid=str(component.get("UID", "")),
                fires_at=fires_at.astimezone(dt.UTC),
                start=start,
                all_day=all_day,
                summary=str(component.get("SUMMARY", "")),
                location=str(component.get("LOCATION", "")),
            )
        )
    return found


def _end(component, start: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    if "DTEND" in component:
        return _aware(component["DTEND"].dt, tz)
    if "DURATION" in component:
        return start + component["DURATION"].dt
    return start


def _aware(value: dt.datetime | dt.date, tz: ZoneInfo) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time.min, tzinfo=tz)
    return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
