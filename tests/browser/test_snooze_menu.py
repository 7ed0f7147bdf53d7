"""Snoozing from the list in Chromium: the menu, the Snoozed page, unsnooze; phone too."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.mailbox.action_helpers import mailbox_with, messages_in

pytestmark = pytest.mark.browser

SUBJECTS = ["Conseil de classe", "Sortie au musée"]


def clean_screenshot(page, name):
    """No script or CSP error so far; then the screenshot (which itself trips the CSP log)."""
    assert page.console_errors == []
    screenshot(page, name)
    page.wait_for_timeout(1000)
    page.console_errors.clear()


def test_snooze_from_the_list_then_unsnooze_from_the_snoozed_page(open_inbox, make_account):
    reader = mailbox_with(make_account, SUBJECTS, username="marie.martin")
    page = open_inbox(1280)

    page.get_by_label("Select “Conseil de classe”").check()
    page.locator(".message-toolbar .snooze-menu summary").click()
    page.get_by_role("button", name="Tomorrow morning").click()
    expect(page.locator("tr[data-uid]")).to_have_count(1)
    assert set(messages_in(reader, "Snoozed")) == {"Conseil de classe"}

    page.locator("#folder-tree").get_by_role("link", name="Snoozed").click()
    expect(page.get_by_role("heading", name="Snoozed")).to_be_visible()
    expect(page.locator(".snoozed-item")).to_contain_text("Conseil de classe")
    clean_screenshot(page, "snoozed-page-en")
    page.get_by_role("button", name="Unsnooze now").click()

    expect(page.locator(".snoozed-item")).to_have_count(0)
    assert "Conseil de classe" in messages_in(reader, "INBOX")
    page.locator("#folder-tree").get_by_role("link", name="Inbox").click()
    page.get_by_label("Select “Conseil de classe”").check()
    page.locator(".message-toolbar .snooze-menu summary").click()
    clean_screenshot(page, "snooze-menu-en")


def test_the_snooze_menu_fits_a_360px_phone(open_inbox, make_account):
    mailbox_with(make_account, SUBJECTS, username="marie.martin")
    page = open_inbox(360)

    page.get_by_label("Select “Sortie au musée”").check()
    page.locator(".message-toolbar .snooze-menu summary").click()
    panel = page.locator(".message-toolbar .snooze-panel")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    width = page.evaluate("document.documentElement.scrollWidth")

    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 360
    assert width <= 360
    page.get_by_label("Date and time").fill("2099-01-01T08:00")  # past the max: refused
    clean_screenshot(page, "snooze-menu-phone-en")


def test_snooze_from_the_message_page(open_inbox, make_account):
    reader = mailbox_with(make_account, SUBJECTS, username="marie.martin")
    page = open_inbox(1280)
    page.get_by_role("link", name="Sortie au musée").click()
    page.locator(".message-actions .snooze-menu summary").click()
    expect(page.locator(".message-actions .snooze-panel")).to_be_visible()
    clean_screenshot(page, "snooze-message-page-en")

    page.get_by_role("button", name="Next Monday morning").click()

    expect(page.locator("tr[data-uid]")).to_have_count(1)  # back on the list
    assert set(messages_in(reader, "Snoozed")) == {"Sortie au musée"}
    assert page.console_errors == []
