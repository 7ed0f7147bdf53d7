"""In Chromium: drag over empty half-hours to create an event, drag an event's bottom edge
to make it longer; no CSP or script error."""

import re

import pytest
from playwright.sync_api import expect

from calendar_app.services import dav
from tests.browser.test_calendar_pages import PARIS, paris, sign_in, teacher  # noqa: F401

pytestmark = pytest.mark.browser


def centre(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag_with_mouse(page, start, end):
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=8)
    page.mouse.up()


def test_dragging_over_empty_slots_opens_the_form_with_that_time_range(signed_in_page, teacher):  # noqa: F811
    page = sign_in(signed_in_page, 1280, "/calendar/week/2026-03-24/")
    page.wait_for_load_state("load")
    wednesday = page.locator(".tg-day[data-date='2026-03-25']")

    drag_with_mouse(
        page, centre(wednesday.locator(".tg-slot.r28")), centre(wednesday.locator(".tg-slot.r31"))
    )

    page.wait_for_selector("form.event-form")
    expect(page.locator("input[name=start_date]")).to_have_value("2026-03-25")
    expect(page.locator("input[name=start_time]")).to_have_value("14:00")
    expect(page.locator("input[name=end_time]")).to_have_value("16:00")
    assert page.console_errors == []


def test_dragging_an_events_bottom_edge_makes_it_end_later(signed_in_page, teacher):  # noqa: F811
    page = sign_in(signed_in_page, 1280, "/calendar/week/2026-03-24/")
    page.wait_for_load_state("load")
    tuesday = page.locator(".tg-day[data-date='2026-03-24']")
    dentist = tuesday.locator(".tg-event", has_text="Dentiste")  # 17:30 to 18:00
    dentist.hover()
    edge = dentist.locator(".tg-resize")

    with page.expect_response(lambda r: r.url.endswith("/resize/")) as answer:
        drag_with_mouse(page, centre(edge), centre(tuesday.locator(".tg-slot.r37")))  # 18:30

    assert answer.value.status == 204
    resized = page.locator(".tg-day[data-date='2026-03-24'] .tg-event", has_text="Dentiste")
    expect(resized).to_have_class(re.compile(r"(^|\s)s3(\s|$)"))  # three half-hours
    with dav.session_for(teacher.mail_account) as session:
        found = session.occurrences_between(
            session.list_calendars(), paris(2026, 3, 24), paris(2026, 3, 25), PARIS
        )
    assert [(o.start, o.end) for o in found if o.summary == "Dentiste"] == [
        (paris(2026, 3, 24, 17, 30), paris(2026, 3, 24, 19, 0))
    ]
    assert page.console_errors == []
