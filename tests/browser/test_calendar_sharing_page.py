"""In a real browser, on a 360 px phone: share a calendar from the calendar page's Share
link, with the directory's suggestions, change the rights; the colleague sees it."""

import pytest
from playwright.sync_api import expect

from calendar_app.services import dav
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def owner_and_colleague(make_account):
    owner = make_account(username="jean.dupont", first_name="Jean", last_name="Dupont")
    colleague = make_account(username="marie.martin", first_name="Marie", last_name="Martin")
    for user in (owner, colleague):
        with dav.session_for(user.mail_account) as session:
            session.delete_all_collections()  # Radicale keeps an earlier test's calendars
    with dav.session_for(owner.mail_account) as session:
        session.create_calendar("Collège", color="#1a56a8")
    return owner, colleague


def test_share_a_calendar_from_the_share_dialog(signed_in_page, owner_and_colleague):
    page = signed_in_page("jean.dupont", "/calendar/month/2026-03-24/", width=360, height=800)
    page.wait_for_load_state("load")
    page.get_by_role("link", name="Share – Collège").click()
    page.wait_for_url("**/sharing/")
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Share “Collège”")).to_be_visible()
    expect(page.get_by_text("This calendar is not shared with anyone.")).to_be_visible()

    field = page.get_by_role("combobox", name="Colleague")
    field.press_sequentially("mart", delay=50)
    expect(page.locator("#colleague-suggestions option")).to_have_count(1)
    expect(page.locator("#colleague-suggestions option")).to_have_attribute(
        "value", "marie.martin@example.org"
    )
    field.fill("marie.martin@example.org")
    page.get_by_label("Can see the events", exact=True).check()
    page.get_by_role("button", name="Share", exact=True).click()

    expect(page.get_by_text("The calendar is now shared with Marie Martin.")).to_be_visible()
    rights = page.get_by_label("Rights of Marie Martin")
    expect(rights).to_have_value("read")
    rights.select_option("write")
    page.get_by_role("button", name="Change – Marie Martin").click()
    expect(page.get_by_text("The rights were changed.")).to_be_visible()
    expect(page.get_by_label("Rights of Marie Martin")).to_have_value("write")
    screenshot(page, "calendar-sharing-360")
    assert page.console_errors == []

    colleague_page = signed_in_page("marie.martin", "/calendar/month/2026-03-24/", width=360)
    shared = colleague_page.get_by_role("list", name="Shared with me")
    expect(shared).to_contain_text("shared by Jean Dupont")
    expect(shared).to_contain_text("Collège")
    screenshot(colleague_page, "calendar-shared-with-me-360")
    assert colleague_page.console_errors == []
