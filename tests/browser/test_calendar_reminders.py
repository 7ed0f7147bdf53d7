"""In Chromium: a reminder rings in the open calendar page, in the page when notifications
are not allowed, as a desktop notification when they are; once only, with no CSP error."""

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from calendar_app import events
from calendar_app.models import UpcomingReminder
from calendar_app.services import dav
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser
PARIS = ZoneInfo("Europe/Paris")

# Counts the notifications the page makes, then lets the browser's own class make them.
COUNT_NOTIFICATIONS = """
window.shownNotifications = [];
const RealNotification = window.Notification;
window.Notification = class extends RealNotification {
  constructor(title, options) { super(title, options); window.shownNotifications.push(title); }
};
"""


@pytest.fixture
def ringing_soon(make_account):
    """sophie.leroy's event whose 15-minute reminder rings 20 seconds from now."""
    user = make_account(username="sophie.leroy", first_name="Sophie", last_name="Leroy")
    with dav.session_for(user.mail_account) as session:
        session.delete_all_collections()  # Radicale keeps an earlier test's calendars
        calendar = session.create_calendar("Collège", color="#1a56a8")
        start = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=15, seconds=20)).astimezone(PARIS)
        fields = events.EventFields(
            summary="Conseil de classe 5e C",
            start=start,
            end=start + dt.timedelta(hours=1),
            location="Salle 12",
            reminders=(15,),
        )
        session.create_event(
            calendar.id, "ring@webmail", events.new_event(fields, "ring@webmail", start)
        )
    deadline = time.monotonic() + 30
    while not UpcomingReminder.objects.filter(user=user).exists():  # the worker reads it
        assert time.monotonic() < deadline, "the reminder was never read from the calendar"
        time.sleep(0.3)
    return user


def open_calendar(signed_in_page, width=1280):
    page = signed_in_page("sophie.leroy", "/calendar/", width=width, locale="en-GB")
    page.wait_for_selector("#calendar-main")
    page.wait_for_load_state("load")
    return page


def test_the_reminder_shows_in_the_page_when_notifications_are_not_allowed(
    signed_in_page, ringing_soon
):
    page = open_calendar(signed_in_page, width=360)

    reminder = page.locator(".calendar-reminder")
    expect(reminder).to_contain_text("Conseil de classe 5e C", timeout=40_000)
    expect(reminder).to_contain_text("Salle 12")
    expect(reminder).to_have_attribute("role", "alert")
    screenshot(page, "calendar-reminder-360")

    reminder.get_by_role("button", name="Dismiss").click()
    expect(reminder).to_have_count(0)
    page.reload()
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)  # the page has asked the server again
    expect(page.locator(".calendar-reminder")).to_have_count(0)  # shown once
    assert page.console_errors == []


def test_the_reminder_is_a_desktop_notification_when_allowed(
    signed_in_page, live_server, ringing_soon
):
    page = signed_in_page("sophie.leroy", "/contacts/", locale="en-GB")
    page.wait_for_load_state("load")
    page.context.grant_permissions(["notifications"])
    page.add_init_script(COUNT_NOTIFICATIONS)
    page.goto(f"{live_server.url}/calendar/")
    page.wait_for_load_state("load")

    deadline = time.monotonic() + 40  # wait_for_function would need eval, which the CSP forbids
    while not page.evaluate("window.shownNotifications.length") and time.monotonic() < deadline:
        page.wait_for_timeout(300)
    assert page.evaluate("window.shownNotifications") == ["Conseil de classe 5e C"]
    expect(page.locator(".calendar-reminder")).to_have_count(0)
    expect(page.locator(".calendar-reminders-enable")).to_be_hidden()
    assert page.console_errors == []
