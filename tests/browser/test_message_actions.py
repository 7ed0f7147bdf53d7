"""Selecting messages and acting on them in Chromium, with the keyboard, on a phone too."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.mailbox.action_helpers import mailbox_with, messages_in

pytestmark = pytest.mark.browser

SUBJECTS = ["Conseil de classe", "Bulletin du trimestre", "Planning des oraux"]


def test_two_messages_archived_from_the_keyboard_leave_the_list(open_inbox, make_account):
    reader = mailbox_with(make_account, SUBJECTS, username="marie.martin")
    page = open_inbox(1280)

    page.get_by_label("Select “Conseil de classe”").check()
    page.get_by_label("Select “Bulletin du trimestre”").press("Space")
    page.get_by_role("button", name="Archive", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator("tr[data-uid]")).to_have_count(1)
    inbox_link = page.locator("#folder-tree a[aria-current='page']")
    expect(inbox_link.locator(".unread-count")).to_contain_text("1")

    assert "Planning des oraux" in page.inner_text("#message-list")
    assert set(messages_in(reader, "Archive")) == {"Conseil de classe", "Bulletin du trimestre"}
    assert page.console_errors == []  # no CSP violation, no script error
    screenshot(page, "message-actions-archived-en")  # after: screenshots trip the CSP log


def test_select_all_on_a_360px_phone_marks_the_page_read(open_inbox, make_account):
    reader = mailbox_with(make_account, SUBJECTS, username="marie.martin")
    page = open_inbox(360)

    page.get_by_label("Select all on this page").check()
    checked = page.locator("input[name='uids']:checked").count()
    width = page.evaluate("document.documentElement.scrollWidth")
    page.get_by_role("button", name="Mark read").click()
    expect(page.locator("tr[data-uid].unread")).to_have_count(0)

    assert checked == 3
    assert width <= 360, "the toolbar must not make the page scroll sideways"
    assert all(message.is_seen for message in messages_in(reader, "INBOX").values())
    assert page.console_errors == []
    page.get_by_label("Select all on this page").check()
    screenshot(page, "message-actions-phone-en")
