"""Keyboard shortcuts in Chromium: j/k walk the list, e archives, ? shows the help."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.mailbox.action_helpers import mailbox_with, messages_in

pytestmark = pytest.mark.browser

# Delivered in this order, so the list shows them newest first: reversed.
SUBJECTS = ["Conseil de classe", "Bulletin du trimestre", "Planning des oraux"]


def highlighted(page):
    return page.locator("tr.current")


def test_j_and_k_move_the_highlight_and_e_archives_it(open_inbox, make_account):
    reader = mailbox_with(make_account, SUBJECTS, username="marie.martin")
    page = open_inbox(1280)

    page.keyboard.press("j")
    expect(highlighted(page)).to_contain_text("Planning des oraux")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(highlighted(page)).to_contain_text("Conseil de classe")
    page.keyboard.press("k")
    expect(highlighted(page)).to_contain_text("Bulletin du trimestre")
    expect(page.locator("tr.current a.subject-text")).to_be_focused()
    errors = list(page.console_errors)
    screenshot(page, "shortcuts-highlight-en")  # screenshots trip the CSP log: errors first
    page.keyboard.press("e")
    expect(page.locator("tr[data-uid]")).to_have_count(2)
    # The highlight stays where it was, on the next message.
    expect(highlighted(page)).to_contain_text("Conseil de classe")

    assert set(messages_in(reader, "Archive")) == {"Bulletin du trimestre"}
    assert errors == []


def test_keys_typed_in_a_menu_do_not_act_on_messages(open_inbox, make_account):
    reader = mailbox_with(make_account, SUBJECTS, username="marie.martin")
    page = open_inbox(1280)
    page.keyboard.press("j")

    page.get_by_label("Move to folder").focus()
    page.keyboard.press("e")
    page.keyboard.press("#")
    page.wait_for_timeout(300)

    assert page.locator("tr[data-uid]").count() == 3
    assert len(messages_in(reader, "INBOX")) == 3


def test_question_mark_opens_the_help_and_escape_closes_it(open_inbox, make_account):
    mailbox_with(make_account, SUBJECTS, username="marie.martin")
    page = open_inbox(360)
    page.keyboard.press("j")

    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    close = dialog.get_by_role("button", name="Close")
    expect(close).to_be_focused()
    page.keyboard.press("Tab")
    expect(close).to_be_focused()  # the focus stays in the dialog
    width = page.evaluate("document.documentElement.scrollWidth")
    text = dialog.inner_text()
    screenshot(page, "shortcuts-help-phone-en")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    assert width <= 360
    assert "Archive" in text
    assert "Next / previous message in the list" in text
    # The focus is back on the highlighted message.
    expect(page.locator("tr.current a.subject-text")).to_be_focused()
    # Those who do not know "?" find the same help under the list.
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(dialog).to_be_visible()
    assert page.console_errors == []


def test_on_the_message_page_r_replies_and_e_archives(open_inbox, make_account):
    reader = mailbox_with(make_account, SUBJECTS, username="marie.martin")
    page = open_inbox(1280)
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page.get_by_role("heading", name="Planning des oraux")).to_be_visible()
    page.wait_for_load_state("load")  # the message page's shortcuts are in place
    message_url = page.url

    page.keyboard.press("r")
    page.wait_for_url("**/compose/reply/**")
    reply_url = page.url
    page.goto(message_url)
    page.keyboard.press("e")
    page.wait_for_url("**/folder/INBOX/")

    assert "/compose/reply/" in reply_url
    assert "Planning des oraux" in messages_in(reader, "Archive")
    assert "Planning des oraux" not in messages_in(reader, "INBOX")
    assert page.console_errors == []


def test_x_ticks_the_highlighted_message_and_s_flags_the_ticked_ones(open_inbox, make_account):
    reader = mailbox_with(make_account, SUBJECTS, username="marie.martin")
    page = open_inbox(1280)

    page.keyboard.press("j")
    expect(highlighted(page)).to_have_count(1)
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("j")
    expect(page.locator("input[name='uids']:checked")).to_have_count(2)
    page.keyboard.press("s")
    expect(page.locator("tr.flagged")).to_have_count(2)

    flagged = {s for s, m in messages_in(reader, "INBOX").items() if m.is_flagged}
    assert flagged == {"Planning des oraux", "Bulletin du trimestre"}
    assert page.console_errors == []


@pytest.mark.parametrize("width", [1280, 360])
def test_on_the_message_page_j_and_k_open_the_next_and_previous_messages(
    open_inbox, make_account, width
):
    mailbox_with(make_account, SUBJECTS, username="marie.martin")
    page = open_inbox(width)
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page.get_by_role("heading", name="Planning des oraux")).to_be_visible()
    page.wait_for_load_state("load")

    page.keyboard.press("j")
    expect(page.get_by_role("heading", name="Bulletin du trimestre")).to_be_visible()
    page.wait_for_load_state("load")
    expect(page.get_by_role("link", name="Previous message")).to_be_visible()
    expect(page.get_by_role("link", name="Next message")).to_be_visible()
    screenshot(page, f"message-previous-next-{width}")
    page.keyboard.press("k")
    expect(page.get_by_role("heading", name="Planning des oraux")).to_be_visible()
    page.wait_for_load_state("load")
    page.get_by_role("link", name="Next message").click()
    expect(page.get_by_role("heading", name="Bulletin du trimestre")).to_be_visible()

    assert page.console_errors == []


def test_a_click_in_the_message_text_pauses_shortcuts_and_says_so(open_inbox, make_account):
    mailbox_with(make_account, SUBJECTS, username="marie.martin")
    page = open_inbox(1280)
    page.keyboard.press("j")
    page.keyboard.press("o")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Planning des oraux")
    page.wait_for_load_state("load")
    hint = page.get_by_role("status").filter(has_text="Keyboard shortcuts are paused")
    expect(hint).to_be_hidden()

    # The sandboxed frame keeps its keys: the page neither hears j nor pretends to.
    page.frame_locator("iframe.message-body").locator("body").click()
    expect(hint).to_be_visible()
    page.keyboard.press("j")
    page.wait_for_timeout(300)
    assert page.url.endswith("pos=0"), "a j typed in the message text moved the page"
    expect(heading).to_have_text("Planning des oraux")
    # After the key: a full-page screenshot resizes the view, which must not come
    # between the focus check and the key press.
    expect(hint).to_be_visible()
    screenshot(page, "message-frame-focus-hint")
    heading.click()  # back on the page: the hint goes and j works again
    expect(hint).to_be_hidden()
    page.keyboard.press("j")

    expect(heading).to_have_text("Bulletin du trimestre")  # one step, not two
    assert page.console_errors == []
