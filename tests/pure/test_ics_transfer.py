"""Cutting an .ics file into calendar objects to import, and joining calendars for export."""

import os
from pathlib import Path

import icalendar
import pytest

from calendar_app.ics_transfer import UnreadableFile, join_calendars, plan_import

FILE = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Test//FR\r
METHOD:PUBLISH\r
BEGIN:VTIMEZONE\r
TZID:Europe/Paris\r
BEGIN:STANDARD\r
DTSTART:19701025T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:19700329T020000\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:conseil@college\r
SUMMARY:Conseil de classe\r
DTSTART;TZID=Europe/Paris:20260310T170000\r
DTEND;TZID=Europe/Paris:20260310T190000\r
RRULE:FREQ=WEEKLY;COUNT=3\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:conseil@college\r
RECURRENCE-ID;TZID=Europe/Paris:20260317T170000\r
SUMMARY:Conseil de classe (salle 12)\r
DTSTART;TZID=Europe/Paris:20260317T180000\r
DTEND;TZID=Europe/Paris:20260317T200000\r
END:VEVENT\r
BEGIN:VEVENT\r
SUMMARY:Sans identifiant\r
DTSTART;VALUE=DATE:20260401\r
END:VEVENT\r
BEGIN:VTODO\r
UID:bulletins@college\r
SUMMARY:Saisir les bulletins\r
DUE;VALUE=DATE:20260320\r
END:VTODO\r
BEGIN:VJOURNAL\r
UID:journal@college\r
SUMMARY:Compte rendu\r
END:VJOURNAL\r
BEGIN:VEVENT\r
UID:sans-debut@college\r
SUMMARY:Pas de date\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:conseil@college\r
SUMMARY:Conseil en double\r
DTSTART:20260101T100000Z\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_file_is_cut_into_one_object_per_uid_with_its_overrides_and_zones():
    plan = plan_import(FILE, new_uid=lambda: "generated-1")

    by_uid = {item.uid: item for item in plan.items}
    assert sorted(by_uid) == ["bulletins@college", "conseil@college", "generated-1"]
    series = icalendar.Calendar.from_ical(by_uid["conseil@college"].data)
    assert [c.name for c in series.subcomponents] == ["VTIMEZONE", "VEVENT", "VEVENT"]
    assert "METHOD" not in series
    assert by_uid["conseil@college"].summary == "Conseil de classe"
    assert by_uid["bulletins@college"].kind == "VTODO"
    assert by_uid["generated-1"].uid_generated
    assert b"UID:generated-1" in by_uid["generated-1"].data


def test_every_component_left_out_is_reported_with_its_reason():
    plan = plan_import(FILE, new_uid=lambda: "generated-1")

    assert [(s.what, s.reason) for s in plan.skipped] == [
        ("VJOURNAL « Compte rendu »", "VJOURNAL is not supported"),
        ("VEVENT « Pas de date »", "an event without a start (DTSTART)"),
        ("VEVENT « Conseil en double »", "a second copy of the same UID in the file"),
    ]


def test_an_unreadable_file_says_why_and_where():
    with pytest.raises(UnreadableFile, match="^line 3: "):
        plan_import(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nthis is not a content line\r\n")
    with pytest.raises(UnreadableFile, match="no VCALENDAR"):
        plan_import(b"BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101T100000Z\r\nEND:VEVENT\r\n")


def test_export_joins_objects_into_one_calendar_with_each_zone_once():
    plan = plan_import(FILE, new_uid=lambda: "generated-1")
    exported = icalendar.Calendar.from_ical(
        join_calendars([i.data for i in plan.items] * 2, "Collège")
    )

    names = [c.name for c in exported.subcomponents]
    assert names.count("VTIMEZONE") == 1
    assert names.count("VEVENT") == 6
    assert names.count("VTODO") == 2
    assert str(exported["X-WR-CALNAME"]) == "Collège"


CORPUS = Path(
    os.environ.get("CORPUS_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "corpus")
)


@pytest.mark.skipif(not (CORPUS / "ical").is_dir(), reason="shared/corpus/ical is absent")
def test_every_corpus_file_is_planned_or_refused_with_a_reason():
    planned, refusals = 0, []
    for path in sorted(p for p in (CORPUS / "ical").rglob("*") if p.is_file()):
        try:
            plan = plan_import(path.read_bytes())
        except UnreadableFile as exc:
            refusals.append(str(exc))
            continue
        planned += len(plan.items)
        assert all(s.reason for s in plan.skipped), path
        for item in plan.items:
            assert icalendar.Calendar.from_ical(item.data).walk(item.kind), path
    assert planned > 4000
    assert all(refusals)
