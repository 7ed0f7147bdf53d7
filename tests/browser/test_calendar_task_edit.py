"""In Chromium at 360 px, with the keyboard: edit a task from the task list, then delete it
after confirming; no CSP or script error."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from calendar_app import events
from calendar_app.services import dav
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def with_task(make_account):
    user = make_account(username="karim.benali", first_name="Karim", last_name="Benali")
    with dav.session_for(user.mail_account) as session:
        session.delete_all_collections()  # Radicale keeps an earlier test's calendars
        calendar = session.create_calendar("Collège", color="#1a56a8")
        now = dt.datetime.now(dt.UTC)
        data = events.new_task("Saisir les notes", dt.date(2026, 3, 20), 5, "task@webmail", now)
        session.create_event(calendar.id, "task@webmail", data)
    return user


def test_edit_then_delete_a_task_with_the_keyboard(signed_in_page, with_task):
    page = signed_in_page("karim.benali", "/calendar/month/2026-03-10/", width=360, locale="en-GB")
    page.wait_for_selector("#calendar-main")
    page.wait_for_load_state("load")

    edit = page.get_by_role("link", name="Edit Saisir les notes")
    edit.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("form.task-edit-form")
    page.wait_for_load_state("load")
    screenshot(page, "calendar-task-edit-360")
    title = page.get_by_label("Title")
    title.fill("Saisir les notes du 2e trimestre")
    title.press("Enter")  # submits the form

    tasks = page.locator(".task-list")
    expect(tasks).to_contain_text("Saisir les notes du 2e trimestre")
    page.wait_for_load_state("load")
    page.get_by_role("link", name="Edit Saisir les notes du 2e trimestre").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("form.task-edit-form")
    page.get_by_role("link", name="Delete the task…").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("form.task-delete-form")
    screenshot(page, "calendar-task-delete-360")
    expect(page.locator("form.task-delete-form")).to_contain_text(
        "Delete the task “Saisir les notes du 2e trimestre”?"
    )
    page.get_by_role("button", name="Delete the task").focus()
    page.keyboard.press("Enter")

    expect(page.locator(".task-list")).to_contain_text("No tasks.")
    expect(page.get_by_role("status").first).to_contain_text("Task deleted.")
    assert page.console_errors == []
