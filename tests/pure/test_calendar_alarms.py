"""When reminders ring: our own alarms, Thunderbird's, series, exceptions, DST, all-day."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from calendar_app.alarms import alarms_between
from calendar_app.events import (
    EventFields,
    InvalidCalendar,
    Recurrence,
    delete_occurrence,
    new_event,
    recurrence_key,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)

# As Thunderbird writes it: floating-free, an alarm related to the end, one absolute alarm.
THUNDERBIRD = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
BEGIN:VEVENT
UID:tb-1@example.org
SUMMARY:Conseil p\xc3\xa9dagogique
LOCATION:CDI
DTSTART;TZID=Europe/Paris:20260310T170000
DTEND;TZID=Europe/Paris:20260310T183000
BEGIN:VALARM
ACTION:DISPLAY
TRIGGER;VALUE=DURATION:-PT30M
DESCRIPTION:Default Mozilla Description
END:VALARM
BEGIN:VALARM
ACTION:DISPLAY
TRIGGER;RELATED=END:PT0S
DESCRIPTION:Default Mozilla Description
END:VALARM
BEGIN:VALARM
ACTION:EMAIL
TRIGGER;VALUE=DATE-TIME:20260309T070000Z
DESCRIPTION:x
END:VALARM
END:VEVENT
END:VCALENDAR
"""


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


def paris(*args):
    return dt.datetime(*args, tzinfo=PARIS)


def weekly_meeting(**overrides):
    fields = EventFields(
        summary="Réunion d'équipe",
        start=paris(2026, 3, 23, 9, 0),
        end=paris(2026, 3, 23, 10, 0),
        location="Salle 12",
        reminders=(15,),
        recurrence=Recurrence(freq="WEEKLY", weekdays=("MO",), count=3),
    )
    return new_event(EventFields(**{**fields.__dict__, **overrides}), "weekly@webmail", NOW)


def test_each_occurrence_of_a_series_rings_at_local_time_across_the_dst_change():
    found = alarms_between(weekly_meeting(), utc(2026, 3, 1), utc(2026, 5, 1), PARIS)

    # Paris moves to summer time on 29 March: 08:45 local is 07:45 UTC, then 06:45 UTC.
    assert [a.fires_at for a in found] == [
        utc(2026, 3, 23, 7, 45),
        utc(2026, 3, 30, 6, 45),
        utc(2026, 4, 6, 6, 45),
    ]
    assert [a.start for a in found] == [paris(2026, 3, d, 9, 0) for d in (23, 30)] + [
        paris(2026, 4, 6, 9, 0)
    ]
    assert {(a.uid, a.summary, a.location, a.all_day) for a in found} == {
        ("weekly@webmail", "Réunion d'équipe", "Salle 12", False)
    }


def test_a_deleted_occurrence_does_not_ring():
    data = delete_occurrence(
        weekly_meeting(), "weekly@webmail", recurrence_key(paris(2026, 3, 30, 9, 0)), PARIS
    )

    found = alarms_between(data, utc(2026, 3, 1), utc(2026, 5, 1), PARIS)

    assert [a.start.date() for a in found] == [dt.date(2026, 3, 23), dt.date(2026, 4, 6)]


def test_only_alarms_inside_the_window_ring():
    found = alarms_between(weekly_meeting(), utc(2026, 3, 23, 7, 45), utc(2026, 3, 30), PARIS)
    assert [a.fires_at for a in found] == [utc(2026, 3, 23, 7, 45)]
    assert alarms_between(weekly_meeting(), utc(2026, 3, 23, 7, 46), utc(2026, 3, 30), PARIS) == []


def test_an_event_without_reminder_never_rings():
    assert (
        alarms_between(weekly_meeting(reminders=()), utc(2026, 3, 1), utc(2026, 5, 1), PARIS) == []
    )


def test_thunderbird_alarms_before_the_start_at_the_end_and_at_a_fixed_time():
    found = alarms_between(THUNDERBIRD, utc(2026, 3, 1), utc(2026, 4, 1), PARIS)

    assert [a.fires_at for a in found] == [
        utc(2026, 3, 9, 7, 0),  # absolute
        utc(2026, 3, 10, 15, 30),  # 30 minutes before 17:00 Paris (UTC+1)
        utc(2026, 3, 10, 17, 30),  # at the end, 18:30 Paris
    ]
    assert found[0].summary == "Conseil pédagogique"
    assert found[0].location == "CDI"


def test_an_all_day_event_rings_the_day_before_at_local_midnight_minus_the_lead():
    data = new_event(
        EventFields(
            summary="Sortie scolaire",
            start=dt.date(2026, 6, 12),
            end=dt.date(2026, 6, 12),
            all_day=True,
            reminders=(1440,),
        ),
        "trip@webmail",
        NOW,
    )

    [alarm] = alarms_between(data, utc(2026, 6, 1), utc(2026, 7, 1), PARIS)

    assert alarm.fires_at == paris(2026, 6, 11, 0, 0).astimezone(dt.UTC)
    assert alarm.all_day
    assert alarm.start == paris(2026, 6, 12, 0, 0)


def test_unreadable_data_is_an_invalid_calendar():
    with pytest.raises(InvalidCalendar):
        alarms_between(b"BEGIN:VCALENDAR\r\nnot ical", utc(2026, 1, 1), utc(2026, 2, 1), PARIS)
