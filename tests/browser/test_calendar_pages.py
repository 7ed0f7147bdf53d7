"""In a real browser: the month, week and agenda views at 1280 and 360 px, navigation by
htmx, and a click on an empty slot opening the form pre-filled; no CSP or script error."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from calendar_app import events
from calendar_app.services import dav
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser
PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def paris(*args):
    return dt.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def teacher(make_account):
    user = make_account(username="marie.martin", first_name="Marie", last_name="Martin")
    with dav.session_for(user.mail_account) as session:
        session.delete_all_collections()  # Radicale keeps an earlier test's calendars
        work = session.create_calendar("Collège", color="#1a56a8")
        home = session.create_calendar("Personnel", color="#2e7d32")
        seed = [
            (work, "Conseil pédagogique", paris(2026, 3, 19, 9), paris(2026, 3, 19, 10), "WEEKLY"),
            (work, "Cours 4e A", paris(2026, 3, 23, 8), paris(2026, 3, 23, 10), "DAILY"),
            (
                work,
                "Conseil de classe 3e B",
                paris(2026, 3, 24, 17),
                paris(2026, 3, 24, 18, 30),
                None,
            ),
            (home, "Dentiste", paris(2026, 3, 24, 17, 30), paris(2026, 3, 24, 18), None),
            (home, "Vacances de printemps", dt.date(2026, 4, 4), dt.date(2026, 4, 19), None),
        ]
        for number, (calendar, summary, start, end, freq) in enumerate(seed):
            fields = events.EventFields(
                summary=summary,
                start=start,
                end=end,
                all_day=not isinstance(start, dt.datetime),
                location="Salle 12" if freq else "",
                recurrence=events.Recurrence(freq=freq, count=5) if freq else None,
            )
            uid = f"seed-{number}"
            session.create_event(calendar.id, uid, events.new_event(fields, uid, NOW))
    return user


def sign_in(signed_in_page, width, path):
    page = signed_in_page("marie.martin", path, width=width, height=900, locale="fr-FR")
    page.wait_for_selector("#calendar-main")
    return page


@pytest.mark.parametrize("width", [1280, 360])
def test_month_week_and_agenda_views(signed_in_page, live_server, teacher, width):
    page = sign_in(signed_in_page, width, "/calendar/month/2026-03-24/")
    assert page.locator(".month-grid").get_by_text("Conseil de classe 3e B").count() == 1
    screenshot(page, f"calendar-month-{width}")

    page.goto(f"{live_server.url}/calendar/week/2026-03-24/")
    grid = page.locator(".time-grid")
    assert grid.get_by_text("Dentiste").is_visible()
    # Monday first in French
    assert page.locator(".tg-head").first.inner_text().startswith("lun")
    screenshot(page, f"calendar-week-{width}")

    page.goto(f"{live_server.url}/calendar/agenda/2026-03-24/")
    agenda = page.locator(".agenda")
    assert agenda.get_by_text("Vacances de printemps").count() >= 1
    screenshot(page, f"calendar-agenda-{width}")
    assert page.console_errors == []


def test_next_week_by_htmx_and_a_click_on_a_slot_opens_the_form(signed_in_page, teacher):
    page = sign_in(signed_in_page, 1280, "/calendar/week/2026-03-24/")
    page.evaluate("window.notReloaded = true")
    page.locator("a[rel=next]").click()
    page.wait_for_url("**/calendar/week/2026-03-31/")
    page.wait_for_selector(".tg-day[data-date='2026-04-02']")
    assert page.evaluate("window.notReloaded") is True  # swapped in place, not reloaded

    page.locator(".tg-day[data-date='2026-04-01'] .tg-slot.r28").click()
    page.wait_for_selector("form.event-form")
    assert page.locator("input[name=start_date]").input_value() == "2026-04-01"
    assert page.locator("input[name=start_time]").input_value().startswith("14:00")
    page.locator("input[name=summary]").fill("Sortie scolaire")
    page.locator("form.event-form button[type=submit]").click()
    page.wait_for_selector("#calendar-main")
    assert page.locator(".time-grid").get_by_text("Sortie scolaire").is_visible()
    assert page.console_errors == []


def test_drag_an_event_to_another_slot_moves_it(signed_in_page, teacher):
    page = sign_in(signed_in_page, 1280, "/calendar/week/2026-03-24/")
    dentist = page.locator(".tg-event", has_text="Dentiste")
    target = page.locator(".tg-day[data-date='2026-03-25'] .tg-slot.r28")  # Wednesday 14:00
    dentist.drag_to(target)
    page.wait_for_selector(".tg-day[data-date='2026-03-25'] .tg-event:has-text('Dentiste')")

    moved = page.locator(".tg-day[data-date='2026-03-25'] .tg-event", has_text="Dentiste")
    assert "r28" in moved.get_attribute("class")
    assert "s1" in moved.get_attribute("class").split()  # still 30 minutes
    with dav.session_for(teacher.mail_account) as session:
        found = session.occurrences_between(
            session.list_calendars(), paris(2026, 3, 25), paris(2026, 3, 26), PARIS
        )
    assert [(o.summary, o.start, o.end) for o in found if o.summary == "Dentiste"] == [
        ("Dentiste", paris(2026, 3, 25, 14), paris(2026, 3, 25, 14, 30))
    ]
    assert page.console_errors == []
