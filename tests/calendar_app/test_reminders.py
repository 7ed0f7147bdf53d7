"""Event reminders: kept in step with the real Radicale, mailed once by the real worker
through the SMTP path, in the user's language and time zone, and shown to the open page."""

import datetime as dt
import time
import uuid
from zoneinfo import ZoneInfo

import caldav
import icalendar
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from calendar_app import reminders, tasks
from calendar_app.models import ReminderCalendar, UpcomingReminder
from calendar_app.services import dav
from mailbox.services import imap
from tests.calendar_app.calendar_helpers import event_form as filled_form
from tests.conftest import DEFAULT_TEST_PASSWORD
from tests.servers import stopped
from webmail.errors import CalendarServerUnavailable

PARIS = ZoneInfo("Europe/Paris")
FRENCH_MONTHS = [
    *("janvier", "février", "mars", "avril", "mai", "juin"),
    *("juillet", "août", "septembre", "octobre", "novembre", "décembre"),
]


@pytest.fixture
def personal_calendar_of():
    def create(user):
        with dav.session_for(user.mail_account) as session:
            return session.create_calendar("Personal", color="#1a56a8")

    return create


def soon(minutes):
    """A whole minute `minutes` from now, in Paris."""
    return (
        (timezone.now() + dt.timedelta(minutes=minutes))
        .astimezone(PARIS)
        .replace(second=0, microsecond=0)
    )


def event_form(calendar_id, summary, start):
    """The event form, filled for a one-hour event with a 15-minute reminder."""
    end = start + dt.timedelta(hours=1)
    return filled_form(
        calendar_id,
        summary=summary,
        start_date=start.date().isoformat(),
        start_time=start.strftime("%H:%M"),
        end_date=end.date().isoformat(),
        end_time=end.strftime("%H:%M"),
    )


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the worker did not do it in time"
        time.sleep(0.3)


def inbox_reminders(user, summary):
    with imap.session_for(user.mail_account) as session:
        page = session.fetch_page("INBOX")
    return [m for m in page.messages if summary in (m.subject or "")]


def wait_for_reminder_mail(user, summary, timeout=30.0):
    wait_for(lambda: inbox_reminders(user, summary), timeout)
    return inbox_reminders(user, summary)


def reminder_of(user, summary):
    return UpcomingReminder.objects.filter(user=user, summary=summary).first()


def put_as_thunderbird(account, calendar_id, ics: bytes):
    """Write with the user's own password, as a CalDAV client does: not through the app."""
    with caldav.DAVClient(
        url=settings.CALDAV_URL, username=account.username, password=DEFAULT_TEST_PASSWORD
    ) as client:
        calendar = next(c for c in client.principal().calendars() if calendar_id in str(c.url))
        calendar.save_event(ics.decode())


def daily_series_from_yesterday(summary, start, uid):
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start - dt.timedelta(days=1))
    event.add("dtend", start - dt.timedelta(days=1) + dt.timedelta(minutes=30))
    event.add("rrule", {"freq": "daily", "count": 5})
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", dt.timedelta(minutes=-15))
    event.add_component(alarm)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def test_a_reminder_set_in_the_form_arrives_by_mail_once_in_the_users_language_and_zone(
    client, make_account, personal_calendar_of
):
    user = make_account(first_name="Jean", last_name="Dupont", language="fr")
    calendar = personal_calendar_of(user)
    client.force_login(user)
    start = soon(10)  # a 15-minute reminder rang 5 minutes ago: still worth a mail

    client.post(reverse("calendar_app:event-new"), event_form(calendar.id, "Conseil 3e B", start))

    wait_for(lambda: reminder_of(user, "Conseil 3e B") is not None)
    tasks.send_due_reminders()
    [mail] = wait_for_reminder_mail(user, "Conseil 3e B")
    assert mail.subject.startswith("Rappel\u00a0: Conseil 3e B")  # in French, the user's language
    # French date, Paris time, as the user set it
    assert f"{start.day} {FRENCH_MONTHS[start.month - 1]} {start.year}" in mail.subject
    assert start.strftime("%H:%M") in mail.subject
    assert reminder_of(user, "Conseil 3e B").sent_at is not None

    assert tasks.send_due_reminders() == 0
    time.sleep(3)
    assert len(inbox_reminders(user, "Conseil 3e B")) == 1


def test_an_occurrence_of_a_series_made_in_thunderbird_rings_too(
    client, make_account, personal_calendar_of
):
    user = make_account(language="en")
    calendar = personal_calendar_of(user)
    client.force_login(user)
    client.get(reverse("calendar_app:reminders"))  # the calendar page asks: user watched
    wait_for(lambda: ReminderCalendar.objects.filter(user=user, calendar_id=calendar.id).exists())
    start = soon(12)
    put_as_thunderbird(
        user,
        calendar.id,
        daily_series_from_yesterday("Permanence CDI", start, f"{uuid.uuid4()}@thunderbird"),
    )

    # The next beat finds the calendar's sync token changed and reads it again.
    ReminderCalendar.objects.filter(user=user).update(
        checked_at=timezone.now() - dt.timedelta(hours=1)
    )
    tasks.sync_reminder_calendars()  # (or the stack's own beat, if it runs first)
    wait_for(lambda: reminder_of(user, "Permanence CDI") is not None)

    rows = UpcomingReminder.objects.filter(user=user, summary="Permanence CDI")
    # yesterday's occurrence is past; today's rang 3 minutes ago; the next two days' come
    assert sorted(r.starts_at for r in rows) == [start + dt.timedelta(days=d) for d in range(3)]
    tasks.send_due_reminders()
    [mail] = wait_for_reminder_mail(user, "Permanence CDI")
    assert mail.subject.startswith("Reminder: Permanence CDI")


def test_the_open_page_learns_of_the_reminder_and_a_deleted_event_no_longer_rings(
    client, make_account, personal_calendar_of
):
    user = make_account(language="en")
    calendar = personal_calendar_of(user)
    client.force_login(user)
    start = soon(20)  # rings in 5 minutes

    client.post(reverse("calendar_app:event-new"), event_form(calendar.id, "Réunion", start))
    wait_for(lambda: reminder_of(user, "Réunion") is not None)

    shown = client.get(
        reverse("calendar_app:reminders"), headers={"X-Background-Request": "1"}
    ).json()["reminders"]
    assert [(r["title"], r["at"]) for r in shown] == [
        ("Réunion", (start - dt.timedelta(minutes=15)).astimezone(dt.UTC).isoformat())
    ]
    assert "Salle 204" in shown[0]["text"]

    with dav.session_for(user.mail_account) as session:
        [occurrence] = session.occurrences_between(
            [calendar], start - dt.timedelta(hours=1), start + dt.timedelta(hours=1), PARIS
        )
        session.delete_event(session.get_event(calendar.id, occurrence.uid))
    wait_for(lambda: reminder_of(user, "Réunion") is None)
    assert client.get(reverse("calendar_app:reminders")).json() == {"reminders": []}


def test_someone_elses_reminders_are_not_shown(client, make_account, personal_calendar_of):
    owner = make_account()
    calendar = personal_calendar_of(owner)
    client.force_login(owner)
    client.post(reverse("calendar_app:event-new"), event_form(calendar.id, "Privé", soon(20)))
    wait_for(lambda: reminder_of(owner, "Privé") is not None)

    client.force_login(make_account())

    assert client.get(reverse("calendar_app:reminders")).json() == {"reminders": []}


def test_while_the_calendar_server_is_down_reminders_already_read_still_ring(
    client, make_account, personal_calendar_of, stack
):
    user = make_account(language="en")
    calendar = personal_calendar_of(user)
    client.force_login(user)
    client.post(reverse("calendar_app:event-new"), event_form(calendar.id, "Jury", soon(10)))
    wait_for(lambda: reminder_of(user, "Jury") is not None)

    with stopped(stack, "radicale"):
        with pytest.raises(CalendarServerUnavailable):  # the task retries it later
            reminders.sync_user(user, timezone.now(), frozenset({calendar.id}))
        tasks.send_due_reminders()
        [mail] = wait_for_reminder_mail(user, "Jury")

    assert mail.subject.startswith("Reminder: Jury")
    assert reminder_of(user, "Jury") is not None  # the outage removed nothing
