"""Pure: an .ics file cut into calendar objects to import, and calendars joined for export.

CalDAV stores one resource per UID (the event or task with its RECURRENCE-ID overrides and
the VTIMEZONEs they use). Importing cuts a file into such groups and says, for every
component it leaves out, why. No Django, no network.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import icalendar

from calendar_app.events import PRODID

IMPORTED_KINDS = ("VEVENT", "VTODO")
_TIME_PROPERTIES = ("DTSTART", "DTEND", "DUE", "RECURRENCE-ID", "RRULE", "EXDATE", "RDATE")


@dataclass(frozen=True)
class ImportItem:
    uid: str
    kind: str  # "VEVENT" or "VTODO"
    summary: str
    data: bytes  # one VCALENDAR: the component, its overrides, their VTIMEZONEs
    uid_generated: bool = False


@dataclass(frozen=True)
class Skipped:
    what: str  # "VJOURNAL « Compte rendu »", "line 12", ...
    reason: str  # English, for the report (the view translates the known ones)


@dataclass
class ImportPlan:
    items: list[ImportItem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


class UnreadableFile(ValueError):
    """Not iCalendar at all; the message says why, with the line when we know it."""


def plan_import(data: bytes, new_uid: Callable[[], str] | None = None) -> ImportPlan:
    """The calendar objects to store from an .ics file, and what is left out and why.

    Components without a UID get one from `new_uid`. Raises UnreadableFile.
    """
    new_uid = new_uid or (lambda: f"{uuid.uuid4()}@import")
    calendars = _read(data)
    plan = ImportPlan()
    groups: dict[str, list] = {}
    kinds: dict[str, str] = {}
    generated: set[str] = set()
    timezones: dict[str, icalendar.Timezone] = {}
    for calendar in calendars:
        for component in calendar.subcomponents:
            name = component.name
            if name == "VTIMEZONE":
                timezones.setdefault(str(component.get("TZID", "")), component)
                continue
            what = _describe(component)
            if name not in IMPORTED_KINDS:
                plan.skipped.append(Skipped(what, f"{name} is not supported"))
                continue
            problem = _problem(component)
            if problem:
                plan.skipped.append(Skipped(what, problem))
                continue
            uid = str(component.get("UID", "")).strip()
            if not uid:
                uid = new_uid()
                component["UID"] = uid
                generated.add(uid)
            if uid in kinds and kinds[uid] != name:
                plan.skipped.append(Skipped(what, "its UID is already used by another item"))
                continue
            if "RECURRENCE-ID" not in component and any(
                "RECURRENCE-ID" not in c for c in groups.get(uid, [])
            ):
                plan.skipped.append(Skipped(what, "a second copy of the same UID in the file"))
                continue
            kinds[uid] = name
            groups.setdefault(uid, []).append(component)
    for uid, components in groups.items():
        master = next((c for c in components if "RECURRENCE-ID" not in c), components[0])
        plan.items.append(
            ImportItem(
                uid=uid,
                kind=kinds[uid],
                summary=str(master.get("SUMMARY", "")),
                data=_wrap(components, timezones),
                uid_generated=uid in generated,
            )
        )
    return plan


def join_calendars(objects: list[bytes], name: str = "") -> bytes:
    """One VCALENDAR holding every component of these calendar objects, each VTIMEZONE once.

    Objects that cannot be read are left out (the server holds what a client gave it).
    """
    calendar = _new_calendar()
    if name:
        calendar.add("X-WR-CALNAME", name)
    seen_zones = set()
    for data in objects:
        try:
            parsed = icalendar.Calendar.from_ical(data)
        except Exception:  # noqa: BLE001, S112 - icalendar raises many kinds; skip what is unreadable
            continue
        for component in parsed.subcomponents:
            if component.name == "VTIMEZONE":
                tzid = str(component.get("TZID", ""))
                if tzid in seen_zones:
                    continue
                seen_zones.add(tzid)
            calendar.add_component(component)
    return calendar.to_ical()


def _read(data: bytes) -> list[icalendar.Calendar]:
    try:
        found = icalendar.Calendar.from_ical(data, multiple=True)
    except Exception as exc:  # noqa: BLE001 - icalendar raises ValueError, KeyError, ...
        raise UnreadableFile(_with_line(data, exc)) from exc
    calendars = [c for c in found if c.name == "VCALENDAR"]
    if not calendars:
        names = ", ".join(sorted({c.name for c in found})) or "nothing"
        raise UnreadableFile(f"no VCALENDAR in the file (found {names})")
    return calendars


def _with_line(data: bytes, exc: Exception) -> str:
    """icalendar's message, with the number of the line it quotes when it quotes one."""
    message = f"{type(exc).__name__}: {exc}"
    quoted = re.search(r"'([^']{3,})'", str(exc))
    if quoted:
        lines = data.decode("utf-8", errors="replace").splitlines()
        for number, line in enumerate(lines, start=1):
            if quoted.group(1) in line:
                return f"line {number}: {message}"
    return message


def _problem(component) -> str:
    """Why a component cannot be stored, or ""."""
    errors = getattr(component, "errors", None)
    if errors:
        prop, error = errors[0]
        return f"invalid {prop}: {error}"
    if component.name == "VEVENT" and "DTSTART" not in component:
        return "an event without a start (DTSTART)"
    for name in _TIME_PROPERTIES:
        try:
            value = component.get(name)
            values = value if isinstance(value, list) else [value]
            for v in values:
                if v is not None and hasattr(v, "dt"):
                    v.dt  # noqa: B018 - decoding raises on a bad value
        except Exception as exc:  # noqa: BLE001
            return f"invalid {name}: {exc}"
    return ""


def _describe(component) -> str:
    summary = str(component.get("SUMMARY", "")).strip()
    return f"{component.name} « {summary[:80]} »" if summary else component.name


def _new_calendar() -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    return calendar


def _wrap(components, timezones: dict[str, icalendar.Timezone]) -> bytes:
    calendar = _new_calendar()
    used = set()
    for component in components:
        for prop in component.property_items(recursive=True):
            tzid = prop[1].params.get("TZID") if hasattr(prop[1], "params") else None
            if tzid:
                used.add(str(tzid))
    for tzid in sorted(used):
        if tzid in timezones:
            calendar.add_component(timezones[tzid])
    for component in components:
        calendar.add_component(component)
    with contextlib.suppress(Exception):  # an unknown zone stays as the file gave it
        calendar.add_missing_timezones()
    return calendar.to_ical()
