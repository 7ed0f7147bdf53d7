"""Import an .ics file into one of the person's calendars, export a calendar as .ics.

The file is cut into calendar objects by ics_transfer (pure); each is stored through the
CalDAV session as its own resource. The report says what was imported, what replaced an
event already there, and what was left out and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from calendar_app import ics_transfer
from calendar_app.errors import CalendarChangeRefused, EventChanged, EventNotFound
from calendar_app.services.dav import DavSession

MAX_ITEMS = 5000


@dataclass
class ImportReport:
    imported: list[ics_transfer.ImportItem] = field(default_factory=list)
    replaced: list[ics_transfer.ImportItem] = field(default_factory=list)
    skipped: list[ics_transfer.Skipped] = field(default_factory=list)
    error: str = ""  # the whole file was unreadable

    @property
    def generated_uids(self) -> int:
        return sum(1 for item in self.imported if item.uid_generated)


def import_file(
    session: DavSession, calendar_id: str, data: bytes, replace: bool, max_items: int = MAX_ITEMS
) -> ImportReport:
    """Store every event and task of the file in the calendar.

    An item whose UID is already in the calendar replaces it when `replace`, else is
    skipped. Raises CalendarNotFound, CalendarServerUnavailable (the server is down: what
    was stored so far stays, and importing again skips or replaces it).
    """
    report = ImportReport()
    try:
        plan = ics_transfer.plan_import(data)
    except ics_transfer.UnreadableFile as exc:
        report.error = str(exc)
        return report
    report.skipped += plan.skipped
    for item in plan.items[max_items:]:
        report.skipped.append(ics_transfer.Skipped(_what(item), "too many items in one file"))
    for item in plan.items[:max_items]:
        try:
            _store(session, calendar_id, item, replace, report)
        except CalendarChangeRefused as exc:
            report.skipped.append(
                ics_transfer.Skipped(_what(item), f"refused by the calendar server ({exc.detail})")
            )
    return report


def _store(session, calendar_id, item, replace, report) -> None:
    try:
        session.create_event(calendar_id, item.uid, item.data)
    except EventChanged:
        if not replace:
            report.skipped.append(
                ics_transfer.Skipped(_what(item), "already in this calendar (kept as it was)")
            )
            return
        try:
            session.save_event(session.get_event(calendar_id, item.uid), item.data)
        except (EventNotFound, EventChanged):
            reason = "already in this calendar and could not be replaced"
            report.skipped.append(ics_transfer.Skipped(_what(item), reason))
            return
        report.replaced.append(item)
        return
    report.imported.append(item)


def _what(item: ics_transfer.ImportItem) -> str:
    return f"{item.kind} « {item.summary[:80]} »" if item.summary else item.kind


def export_calendar(session: DavSession, calendar_id: str) -> tuple[str, bytes]:
    """The calendar's name and every object of it as one VCALENDAR.

    Raises CalendarNotFound, CalendarServerUnavailable.
    """
    name, objects = session.calendar_objects(calendar_id)
    return name, ics_transfer.join_calendars(objects, name)
