"""Pure iCalendar handling: VEVENT data in, occurrences and edited VEVENT data out.

No Django, no network. Parsing and recurrence expansion go through icalendar and
recurring_ical_events, which apply RRULE/RDATE, EXDATE and RECURRENCE-ID overrides in the
event's own time zone, so a weekly 09:00 Europe/Paris meeting stays at 09:00 local time
across the daylight-saving changes.

An occurrence of a recurring event is named by its *recurrence key*: the original start in
UTC (`20260326T080000Z`) or, for all-day events, the date (`20260326`). The key is stable
when the occurrence is moved, so it names the occurrence in URLs and forms.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

PRODID = "-//Webmail education//Calendar//FR"
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_UTC = dt.UTC


class InvalidCalendar(ValueError):
    """The data is not iCalendar we can read (the message says why, for logs and reports)."""


class OccurrenceNotFound(LookupError):
    """The recurrence key names no occurrence of this event."""


@dataclass(frozen=True)
class Recurrence:
    freq: str  # one of FREQUENCIES
    interval: int = 1
    weekdays: tuple[str, ...] = ()  # WEEKLY: which days ("MO", ...)
    monthly_by_weekday: bool = False  # MONTHLY: "second Tuesday" rather than "the 14th"
    until: dt.date | None = None  # inclusive, in the event's local calendar
    count: int | None = None


@dataclass(frozen=True)
class EventFields:
    """What a person edits in the event form."""

    summary: str
    start: dt.datetime | dt.date  # aware datetime, or a date for all-day events
    end: dt.datetime | dt.date  # all-day: the last day, inclusive (as people say it)
    all_day: bool = False
    location: str = ""
    description: str = ""
    busy: bool = True
    reminders: tuple[int, ...] = ()  # minutes before the start
    recurrence: Recurrence | None = None


@dataclass(frozen=True)
class Occurrence:
    uid: str
    summary: str
    start: dt.datetime | dt.date  # datetime in the viewer's zone, or a date (all-day)
    end: dt.datetime | dt.date  # all-day: exclusive, as in iCalendar
    all_day: bool
    location: str = ""
    description: str = ""
    busy: bool = True
    recurring: bool = False
    recurrence_key: str = ""  # "" for a single event
    calendar_id: str = ""
    color: str = ""
    reminders: tuple[int, ...] = field(default=())
    read_only: bool = False  # in a colleague's calendar shared read-only, or a subscription

    @property
    def last_day(self) -> dt.date:
        """The last calendar day the occurrence covers."""
        if self.all_day:
            return self.end - dt.timedelta(days=1) if self.end > self.start else self.start
        last = self.end - dt.timedelta(microseconds=1) if self.end > self.start else self.end
        return last.date()

    @property
    def first_day(self) -> dt.date:
        return self.start if self.all_day else self.start.date()


# ---------------------------------------------------------------------------- reading


def parse(data: bytes | str) -> icalendar.Calendar:
    """A VCALENDAR object. Raises InvalidCalendar."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError, ...
        raise InvalidCalendar(f"{type(exc).__name__}: {exc}") from exc
    if isinstance(calendar, list) or calendar.name != "VCALENDAR":
        raise InvalidCalendar("not a single VCALENDAR")
    return calendar


def occurrences(
    data: bytes | str | icalendar.Calendar,
    window_start: dt.datetime,
    window_end: dt.datetime,
    tz: ZoneInfo,
) -> list[Occurrence]:
    """The VEVENT occurrences that overlap [window_start, window_end), sorted by start.

    Timed events are given in `tz`; floating times are read as `tz` local time.
    Raises InvalidCalendar.
    """
    calendar = data if isinstance(data, icalendar.Calendar) else parse(data)
    recurring_uids = {
        str(c.get("UID", ""))
        for c in calendar.walk("VEVENT")
        if "RRULE" in c or "RDATE" in c or "RECURRENCE-ID" in c
    }
    try:
        components = recurring_ical_events.of(calendar, components=["VEVENT"]).between(
            window_start, window_end
        )
        found = [_occurrence(c, tz, recurring_uids) for c in components if "DTSTART" in c]
    except Exception as exc:  # bad RRULE, dates out of range, ...
        raise InvalidCalendar(f"{type(exc).__name__}: {exc}") from exc
    return in_order(found, tz)


def in_order(found: list[Occurrence], tz: ZoneInfo) -> list[Occurrence]:
    """Occurrences by start, then title; an all-day one starts at midnight in `tz`."""
    return sorted(found, key=lambda o: (_sort_key(o.start, tz), o.summary))


def _occurrence(component, tz: ZoneInfo, recurring_uids: set[str]) -> Occurrence:
    uid = str(component.get("UID", ""))
    start = component["DTSTART"].dt
    end = component["DTEND"].dt if "DTEND" in component else None
    all_day = not isinstance(start, dt.datetime)
    if all_day:
        end = end if isinstance(end, dt.date) and not isinstance(end, dt.datetime) else None
        end = end if end and end > start else start + dt.timedelta(days=1)
    else:
        start = _in_zone(start, tz)
        end = _in_zone(end, tz) if isinstance(end, dt.datetime) else start
    recurring = uid in recurring_uids
    recurrence_id = component.get("RECURRENCE-ID")
    return Occurrence(
        uid=uid,
        **_texts(component),
        start=start,
        end=end,
        all_day=all_day,
        recurring=recurring,
        recurrence_key=recurrence_key(recurrence_id.dt, tz) if recurring and recurrence_id else "",
        reminders=_reminders(component),
    )


def _texts(component) -> dict:
    return {
        "summary": str(component.get("SUMMARY", "")),
        "location": str(component.get("LOCATION", "")),
        "description": str(component.get("DESCRIPTION", "")),
        "busy": str(component.get("TRANSP", "OPAQUE")).upper() != "TRANSPARENT",
    }


def _in_zone(value: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)


def _sort_key(value: dt.datetime | dt.date, tz: ZoneInfo) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time.min, tzinfo=tz)


def _reminders(component) -> tuple[int, ...]:
    minutes = []
    for alarm in component.walk("VALARM"):
        trigger = alarm.get("TRIGGER")
        if trigger is not None and isinstance(trigger.dt, dt.timedelta):
            minutes.append(int(-trigger.dt.total_seconds() // 60))
    return tuple(sorted(minutes))


def recurrence_key(value: dt.datetime | dt.date, tz: ZoneInfo | None = None) -> str:
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=tz or _UTC)
        return aware.astimezone(_UTC).strftime("%Y%m%dT%H%M%SZ")
    return value.strftime("%Y%m%d")


def _key_matches(value: dt.datetime | dt.date, key: str, tz: ZoneInfo | None) -> bool:
    return recurrence_key(value, tz) == key


# ---------------------------------------------------------------------------- the form


def fields_of(data: bytes | str, uid: str, key: str, tz: ZoneInfo) -> EventFields:
    """The form values for the whole event (key "") or one occurrence of it.

    Raises InvalidCalendar, OccurrenceNotFound.
    """
    calendar = parse(data)
    master = _master(calendar, uid)
    component = master
    if key:
        component = _override(calendar, uid, key, tz) or _shifted_master(master, key, tz)
    return _fields(component, master, tz)


def _fields(component, master, tz: ZoneInfo) -> EventFields:
    start = component["DTSTART"].dt
    all_day = not isinstance(start, dt.datetime)
    end = component["DTEND"].dt if "DTEND" in component else None
    if "DTEND" not in component and "DURATION" in component:
        end = start + component["DURATION"].dt
    if all_day:
        last = (end - dt.timedelta(days=1)) if end and end > start else start
        end = last
    else:
        start = _in_zone(start, tz)
        end = _in_zone(end, tz) if isinstance(end, dt.datetime) else start + dt.timedelta(hours=1)
    return EventFields(
        **_texts(component),
        start=start,
        end=end,
        all_day=all_day,
        reminders=_reminders(component),
        recurrence=_recurrence_of(master, tz),
    )


def _recurrence_of(master, tz: ZoneInfo) -> Recurrence | None:
    rule = master.get("RRULE")
    if rule is None:
        return None
    rule = rule[0] if isinstance(rule, list) else rule
    freq = str(rule.get("FREQ", ["WEEKLY"])[0]).upper()
    until = rule.get("UNTIL", [None])[0]
    if isinstance(until, dt.datetime):
        until = _in_zone(until, tz).date()
    byday = [str(d) for d in rule.get("BYDAY", [])]
    return Recurrence(
        freq=freq if freq in FREQUENCIES else "WEEKLY",
        interval=int(rule.get("INTERVAL", [1])[0]),
        weekdays=tuple(d for d in byday if d in WEEKDAYS),
        monthly_by_weekday=freq == "MONTHLY" and bool(byday),
        until=until,
        count=int(rule["COUNT"][0]) if "COUNT" in rule else None,
    )


# ---------------------------------------------------------------------------- writing


def new_event(fields: EventFields, uid: str, now: dt.datetime) -> bytes:
    """A VCALENDAR holding one new event (a series if fields.recurrence is set)."""
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(_UTC))
    event.add("created", now.astimezone(_UTC))
    _apply(event, fields, now, with_rule=True)
    return _wrap([event])


def update_event(data: bytes | str, uid: str, fields: EventFields, now: dt.datetime) -> bytes:
    """The whole series (or the single event) takes the new fields.

    When the series' start time changes, the edited and deleted occurrences no longer match
    the new times and are dropped, as other calendar apps do. Raises InvalidCalendar.
    """
    calendar = parse(data)
    master = _master(calendar, uid)
    old_start = master["DTSTART"].dt
    _apply(master, fields, now, with_rule=True)
    if master["DTSTART"].dt != old_start or "RRULE" not in master:
        master.pop("EXDATE", None)
        _remove_overrides(calendar, uid, lambda _c: True)
    return calendar.to_ical()


def update_occurrence(
    data: bytes | str, uid: str, key: str, fields: EventFields, tz: ZoneInfo, now: dt.datetime
) -> bytes:
    """Only this occurrence takes the new fields (a RECURRENCE-ID override).

    Raises InvalidCalendar, OccurrenceNotFound.
    """
    calendar = parse(data)
    master = _master(calendar, uid)
    override = _override(calendar, uid, key, tz)
    if override is None:
        override = icalendar.Event()
        override.add("uid", uid)
        override.add("recurrence-id", _original_start(master, key, tz))
        # The meeting keeps its organiser and attendees (with their answers), which the
        # fields of the form do not carry.
        for name in ("ORGANIZER", "ATTENDEE"):
            if name in master:
                override[name] = master[name]
        calendar.add_component(override)
    override.pop("DTSTAMP", None)
    override.add("dtstamp", now.astimezone(_UTC))
    _apply(override, fields, now, with_rule=False)
    override.pop("SEQUENCE", None)
    override.add("sequence", int(master.get("SEQUENCE", 0)))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def delete_occurrence(data: bytes | str, uid: str, key: str, tz: ZoneInfo) -> bytes:
    """The occurrence disappears (EXDATE); its edits, if any, go with it.

    Raises InvalidCalendar, OccurrenceNotFound.
    """
    calendar = parse(data)
    master = _master(calendar, uid)
    master.add("exdate", [_original_start(master, key, tz)])
    _remove_overrides(calendar, uid, lambda c: _key_matches(c["RECURRENCE-ID"].dt, key, tz))
    return calendar.to_ical()


def split_series(
    data: bytes | str, uid: str, key: str, new_uid: str, tz: ZoneInfo
) -> tuple[bytes | None, bytes]:
    """ "This and following": the series stops before the occurrence `key`; a new series
    (new_uid) starts there with the same rule, and takes the later edits and exceptions.

    Returns (the old series, or None if nothing remains before `key`; the new series).
    Raises InvalidCalendar, OccurrenceNotFound.
    """
    calendar = parse(data)
    master = _master(calendar, uid)
    cut = _original_start(master, key, tz)
    before = _starts_before(calendar, uid, cut)

    new_master = copy.deepcopy(master)
    new_master.pop("UID")
    new_master.add("uid", new_uid)
    _move_start(new_master, cut)
    rule = new_master.get("RRULE")
    if rule is not None and "COUNT" in rule:
        rule["COUNT"] = [max(int(rule["COUNT"][0]) - before, 1)]
    later = [c for c in _overrides(calendar, uid) if _not_before(c["RECURRENCE-ID"].dt, cut)]
    new_components = [new_master]
    for override in later:
        moved = copy.deepcopy(override)
        moved.pop("UID")
        moved.add("uid", new_uid)
        new_components.append(moved)
    _filter_exdates(new_master, lambda d: _not_before(d, cut))
    new_data = _wrap(new_components)

    if before == 0:
        return None, new_data
    old_rule = master["RRULE"]
    old_rule.pop("COUNT", None)
    old_rule["UNTIL"] = [_until_before(cut)]
    _filter_exdates(master, lambda d: not _not_before(d, cut))
    _remove_overrides(calendar, uid, lambda c: _not_before(c["RECURRENCE-ID"].dt, cut))
    return calendar.to_ical(), new_data


def truncate_series(data: bytes | str, uid: str, key: str, tz: ZoneInfo) -> bytes | None:
    """Delete "this and following": the old series only, or None when nothing is left."""
    old, _new = split_series(data, uid, key, uid + "-cut", tz)
    return old


# ---------------------------------------------------------------------------- helpers


def _wrap(components) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    for component in components:
        calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _master(calendar, uid: str):
    for component in calendar.walk("VEVENT"):
        if str(component.get("UID", "")) == uid and "RECURRENCE-ID" not in component:
            return component
    raise InvalidCalendar(f"no VEVENT with UID {uid!r}")


def _overrides(calendar, uid: str) -> list:
    return [
        c for c in calendar.walk("VEVENT") if str(c.get("UID", "")) == uid and "RECURRENCE-ID" in c
    ]


def _override(calendar, uid: str, key: str, tz: ZoneInfo):
    for component in _overrides(calendar, uid):
        if _key_matches(component["RECURRENCE-ID"].dt, key, tz):
            return component
    return None


def _remove_overrides(calendar, uid: str, predicate) -> None:
    doomed = [id(c) for c in _overrides(calendar, uid) if predicate(c)]
    calendar.subcomponents[:] = [c for c in calendar.subcomponents if id(c) not in doomed]


def _original_start(master, key: str, tz: ZoneInfo) -> dt.datetime | dt.date:
    """The original start of occurrence `key`, in the master's own zone.

    Raises OccurrenceNotFound if the rule never produces it.
    """
    start = master["DTSTART"].dt
    try:
        if isinstance(start, dt.datetime):
            moment = dt.datetime.strptime(key, "%Y%m%dT%H%M%SZ").replace(tzinfo=_UTC)
            value = moment.astimezone(start.tzinfo) if start.tzinfo else moment.astimezone(tz)
            value = value if start.tzinfo else value.replace(tzinfo=None)
        else:
            value = dt.date(int(key[:4]), int(key[4:6]), int(key[6:8]))
    except (ValueError, IndexError) as exc:
        raise OccurrenceNotFound(key) from exc
    if not _rule_produces(master, value, tz):
        raise OccurrenceNotFound(key)
    return value


def _rule_produces(master, value, tz: ZoneInfo) -> bool:
    calendar = icalendar.Calendar()
    bare = copy.deepcopy(master)
    bare.pop("EXDATE", None)
    calendar.add_component(bare)
    if isinstance(value, dt.datetime):
        low = value - dt.timedelta(seconds=1)
        high = value + dt.timedelta(seconds=1)
    else:
        low, high = value, value + dt.timedelta(days=1)
    for component in recurring_ical_events.of(calendar).between(low, high):
        if _same_moment(component["DTSTART"].dt, value, tz):
            return True
    return False


def _same_moment(a, b, tz: ZoneInfo) -> bool:
    if isinstance(a, dt.datetime) != isinstance(b, dt.datetime):
        return False
    if isinstance(a, dt.datetime):
        return _in_zone(a, tz) == _in_zone(b, tz)
    return a == b


def _shifted_master(master, key: str, tz: ZoneInfo):
    """The master as it would look for occurrence `key` (same duration)."""
    occurrence = copy.deepcopy(master)
    _move_start(occurrence, _original_start(master, key, tz))
    return occurrence


def _move_start(component, new_start) -> None:
    old_start = component["DTSTART"].dt
    duration = component["DTEND"].dt - old_start if "DTEND" in component else None
    component.pop("DTSTART")
    component.add("dtstart", new_start)
    if duration is not None:
        component.pop("DTEND")
        component.add("dtend", new_start + duration)


def _not_before(value, cut) -> bool:
    if isinstance(value, dt.datetime) and isinstance(cut, dt.datetime):
        return _aware(value) >= _aware(cut)
    as_date = value.date() if isinstance(value, dt.datetime) else value
    cut_date = cut.date() if isinstance(cut, dt.datetime) else cut
    return as_date >= cut_date


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=_UTC)


def _starts_before(calendar, uid: str, cut) -> int:
    """How many occurrences the rule gives before `cut` (for COUNT)."""
    master = _master(calendar, uid)
    if _not_before(master["DTSTART"].dt, cut):
        return 0
    rule = master.get("RRULE")
    if rule is None or "COUNT" not in rule:
        return 1
    single = icalendar.Calendar()
    bare = copy.deepcopy(master)
    bare.pop("EXDATE", None)
    single.add_component(bare)
    start = master["DTSTART"].dt
    return len(recurring_ical_events.of(single).between(start, cut))


def _until_before(cut):
    if isinstance(cut, dt.datetime):
        return (_aware(cut) - dt.timedelta(seconds=1)).astimezone(_UTC)
    return cut - dt.timedelta(days=1)


def _filter_exdates(master, keep) -> None:
    exdates = master.get("EXDATE")
    if exdates is None:
        return
    values = [
        d.dt for group in (exdates if isinstance(exdates, list) else [exdates]) for d in group.dts
    ]
    master.pop("EXDATE")
    kept = [d for d in values if keep(d)]
    if kept:
        master.add("exdate", kept)


def _apply(component, fields: EventFields, now: dt.datetime, *, with_rule: bool) -> None:
    for name in ("SUMMARY", "LOCATION", "DESCRIPTION", "DTSTART", "DTEND", "DURATION", "TRANSP"):
        component.pop(name, None)
    component.add("summary", fields.summary)
    if fields.location:
        component.add("location", fields.location)
    if fields.description:
        component.add("description", fields.description)
    if fields.all_day:
        component.add("dtstart", _as_date(fields.start))
        component.add("dtend", _as_date(fields.end) + dt.timedelta(days=1))
    else:
        component.add("dtstart", fields.start)
        component.add("dtend", fields.end)
    component.add("transp", "OPAQUE" if fields.busy else "TRANSPARENT")
    component.pop("LAST-MODIFIED", None)
    component.add("last-modified", now.astimezone(_UTC))
    sequence = int(component.pop("SEQUENCE", -1)) + 1
    component.add("sequence", sequence)
    component.subcomponents[:] = [c for c in component.subcomponents if c.name != "VALARM"]
    for minutes in fields.reminders:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", fields.summary)
        alarm.add("trigger", dt.timedelta(minutes=-minutes))
        component.add_component(alarm)
    if with_rule:
        component.pop("RRULE", None)
        if fields.recurrence is not None:
            component.add("rrule", _rule(fields))


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _rule(fields: EventFields) -> dict:
    recurrence = fields.recurrence
    rule: dict = {"FREQ": recurrence.freq}
    if recurrence.interval > 1:
        rule["INTERVAL"] = recurrence.interval
    start = fields.start
    if recurrence.freq == "WEEKLY" and recurrence.weekdays:
        rule["BYDAY"] = list(recurrence.weekdays)
    if recurrence.freq == "MONTHLY" and recurrence.monthly_by_weekday:
        day = _as_date(start)
        nth = (day.day - 1) // 7 + 1
        rule["BYDAY"] = [f"{-1 if nth == 5 else nth}{WEEKDAYS[day.weekday()]}"]
    if recurrence.count:
        rule["COUNT"] = recurrence.count
    elif recurrence.until:
        if fields.all_day:
            rule["UNTIL"] = recurrence.until
        else:
            last_moment = dt.datetime.combine(recurrence.until, dt.time(23, 59, 59))
            rule["UNTIL"] = last_moment.replace(tzinfo=start.tzinfo).astimezone(_UTC)
    return rule


# ---------------------------------------------------------------------------- tasks


@dataclass(frozen=True)
class Task:
    uid: str
    summary: str
    due: dt.date | None = None
    priority: int = 0  # RFC 5545: 1 (highest) .. 9 (lowest), 0 undefined
    done: bool = False
    calendar_id: str = ""
    color: str = ""
    description: str = ""


def tasks_in(data: bytes | str) -> list[Task]:
    """The VTODOs of a calendar object. Raises InvalidCalendar."""
    calendar = parse(data)
    found = []
    try:
        for todo in calendar.walk("VTODO"):
            if "RECURRENCE-ID" in todo:
                continue
            due = todo["DUE"].dt if "DUE" in todo else None
            status = str(todo.get("STATUS", "")).upper()
            found.append(
                Task(
                    uid=str(todo.get("UID", "")),
                    summary=str(todo.get("SUMMARY", "")),
                    due=due.date() if isinstance(due, dt.datetime) else due,
                    priority=int(todo.get("PRIORITY", 0) or 0),
                    done=status == "COMPLETED" or "COMPLETED" in todo,
                    description=str(todo.get("DESCRIPTION", "")),
                )
            )
    except Exception as exc:  # a broken DUE or PRIORITY
        raise InvalidCalendar(f"{type(exc).__name__}: {exc}") from exc
    return found


def new_task(summary: str, due: dt.date | None, priority: int, uid: str, now: dt.datetime) -> bytes:
    todo = icalendar.Todo()
    todo.add("uid", uid)
    todo.add("dtstamp", now.astimezone(_UTC))
    todo.add("created", now.astimezone(_UTC))
    todo.add("summary", summary)
    if due is not None:
        todo.add("due", due)
    if priority:
        todo.add("priority", priority)
    todo.add("status", "NEEDS-ACTION")
    return _wrap([todo])


def update_task(data: bytes | str, task: Task, now: dt.datetime) -> bytes:
    """The task takes `task`'s title, due date, priority and description; what other apps
    wrote (alarms, categories, its done state) stays. Raises InvalidCalendar."""
    calendar = parse(data)
    for todo in calendar.walk("VTODO"):
        if str(todo.get("UID", "")) != task.uid or "RECURRENCE-ID" in todo:
            continue
        for name in ("SUMMARY", "DUE", "PRIORITY", "DESCRIPTION", "LAST-MODIFIED", "DTSTAMP"):
            todo.pop(name, None)
        todo.add("summary", task.summary)
        if task.due is not None:
            start = todo["DTSTART"].dt if "DTSTART" in todo else None
            if isinstance(start, dt.datetime):
                start = start.date()
            if start is not None and start > task.due:
                todo.pop("DTSTART")  # RFC 5545: a task cannot be due before it starts
            todo.add("due", task.due)
        if task.priority:
            todo.add("priority", task.priority)
        if task.description:
            todo.add("description", task.description)
        todo.add("dtstamp", now.astimezone(_UTC))
        todo.add("last-modified", now.astimezone(_UTC))
        todo["SEQUENCE"] = int(todo.get("SEQUENCE", 0)) + 1
        return calendar.to_ical()
    raise InvalidCalendar(f"no VTODO with UID {task.uid!r}")


def set_task_done(data: bytes | str, uid: str, done: bool, now: dt.datetime) -> bytes:
    """Tick or untick the task. Raises InvalidCalendar."""
    calendar = parse(data)
    for todo in calendar.walk("VTODO"):
        if str(todo.get("UID", "")) != uid:
            continue
        for name in ("STATUS", "COMPLETED", "PERCENT-COMPLETE", "LAST-MODIFIED"):
            todo.pop(name, None)
        todo.add("status", "COMPLETED" if done else "NEEDS-ACTION")
        if done:
            todo.add("completed", now.astimezone(_UTC))
            todo.add("percent-complete", 100)
        todo.add("last-modified", now.astimezone(_UTC))
        return calendar.to_ical()
    raise InvalidCalendar(f"no VTODO with UID {uid!r}")
