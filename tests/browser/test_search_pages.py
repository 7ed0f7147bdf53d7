"""Search in Chromium: the box above the list, the advanced form, results that act like a
folder, and the searched word marked inside the sandboxed message frame."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.mail_helpers import send_mail_as
from tests.mailbox.compose_helpers import wait_for_messages

pytestmark = pytest.mark.browser


def deliver(make_account):
    sender = make_account(first_name="Sophie", last_name="Leroy")
    reader = make_account(username="marie.martin", first_name="Marie", last_name="Martin")
    send_mail_as(sender, [reader.mail_address], "Sortie scolaire", "Le car part du parking.")
    send_mail_as(sender, [reader.mail_address], "Conseil de classe", "Jeudi en salle 12.")
    send_mail_as(sender, [reader.mail_address], "Cantine", "Le parking reste fermé.")
    wait_for_messages(reader, "INBOX", 3)
    return reader


@pytest.mark.parametrize("width", [360, 1280])
def test_searching_from_the_box_lists_results_that_act_like_a_folder(
    open_inbox, make_account, width
):
    deliver(make_account)
    page = open_inbox(width)
    screenshot(page, f"search-box-{width}-en")

    page.locator("#mail-search").fill("parking")
    page.locator("#mail-search").press("Enter")
    expect(page.locator("tr[data-uid]")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # An action on the results keeps the results (label_filter.js asks for them again).
    page.get_by_label("Select “Cantine”").check()
    page.get_by_role("button", name="Flag", exact=True).click()
    expect(page.locator("tr.flagged[data-uid]")).to_have_count(1)
    expect(page.locator("tr[data-uid]")).to_have_count(2)
    page.wait_for_timeout(500)  # the folder's rows, then the results again
    expect(page.locator("tr[data-uid]")).to_have_count(2)
    screenshot(page, f"search-results-{width}-en")

    page.get_by_role("link", name="Sortie scolaire").click()
    frame = page.frame_locator("iframe.message-body")
    expect(frame.locator("mark")).to_have_text("parking")
    screenshot(page, f"search-message-{width}-en")
    assert page.console_errors == []


@pytest.mark.parametrize("width", [360, 1280])
def test_the_advanced_form_explains_its_errors_then_searches(
    open_inbox, make_account, live_server, width
):
    deliver(make_account)
    page = open_inbox(width)
    page.get_by_role("link", name="Advanced search").click()
    page.get_by_label("Subject").fill("ab")
    page.get_by_label("From date").fill("2026-02-01")
    page.get_by_label("To date").fill("2026-01-01")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.locator(".field-errors")).to_have_count(2)
    expect(page.get_by_label("Subject")).to_have_value("ab")
    screenshot(page, f"search-advanced-errors-{width}-en")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_label("Subject").fill("conseil")
    page.get_by_label("From date").fill("")
    page.get_by_label("To date").fill("")
    page.get_by_label("From", exact=True).fill("Leroy")
    page.get_by_label("All folders").last.check()
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.locator(".search-group tr[data-uid]")).to_have_count(1)
    screenshot(page, f"search-advanced-results-{width}-en")
    # The refused search answered 422, which Chromium logs; nothing else may complain.
    assert [e for e in page.console_errors if "status of 422" not in e] == []
