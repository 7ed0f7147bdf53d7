"""Dragging messages onto a folder of the side tree moves them, checked over IMAP."""

import pytest
from playwright.sync_api import expect

from mailbox.models import MailPreferences
from tests.browser.conftest import screenshot
from tests.mailbox.action_helpers import create_folder, mailbox_with, messages_in
from tests.mailbox.list_helpers import append, raw_message

pytestmark = pytest.mark.browser

SUBJECTS = ["Conseil de classe", "Bulletin du trimestre", "Planning des oraux"]


def test_a_dragged_message_lands_in_the_folder_it_is_dropped_on(open_inbox, make_account):
    reader = mailbox_with(make_account, SUBJECTS, username="marie.martin")
    create_folder(reader, "Classes")
    page = open_inbox(1280)

    row = page.locator("tr[data-uid]", has_text="Planning des oraux")
    page.drag_and_drop(
        "tr[data-uid]:has-text('Planning des oraux') .subject",
        "#folder-tree a[data-folder='Classes']",
    )
    expect(row).to_have_count(0)

    assert set(messages_in(reader, "Classes")) == {"Planning des oraux"}
    assert set(messages_in(reader, "INBOX")) == {"Conseil de classe", "Bulletin du trimestre"}
    assert page.console_errors == []


def test_dragging_a_ticked_row_moves_every_ticked_message(open_inbox, make_account):
    reader = mailbox_with(make_account, SUBJECTS, username="marie.martin")
    create_folder(reader, "Classes")
    page = open_inbox(1280)

    page.get_by_label("Select “Conseil de classe”").check()
    page.get_by_label("Select “Bulletin du trimestre”").check()
    page.drag_and_drop(
        "tr[data-uid]:has-text('Bulletin du trimestre') .from",
        "#folder-tree a[data-folder='Classes']",
    )
    expect(page.locator("tr[data-uid]")).to_have_count(1)
    expect(page.locator("#drag-count")).to_have_text("2 messages")  # the drag image
    classes_link = page.locator("#folder-tree a[data-folder='Classes']")
    expect(classes_link.locator(".unread-count")).to_contain_text("2")

    assert set(messages_in(reader, "Classes")) == {"Conseil de classe", "Bulletin du trimestre"}
    assert page.console_errors == []
    screenshot(page, "drag-drop-moved-en")


def test_dragging_a_conversation_moves_all_its_messages(open_inbox, make_account):
    reader = make_account(username="marie.martin")
    first = raw_message("Sortie au musée", day=1, Message_ID="<musee-1@example.org>")
    reply = raw_message(
        "Re: Sortie au musée",
        day=3,
        In_Reply_To="<musee-1@example.org>",
        References="<musee-1@example.org>",
    )
    append(reader, first, raw_message("Cantine", day=2), reply)
    MailPreferences.objects.create(user=reader, conversations=True)
    create_folder(reader, "Sorties")
    page = open_inbox(1280)

    page.drag_and_drop(
        "tr[data-uid]:has-text('Re: Sortie au musée') .from",
        "#folder-tree a[data-folder='Sorties']",
    )
    expect(page.locator("tr[data-uid]")).to_have_count(1)
    expect(page.locator("#drag-count")).to_have_text("2 messages")  # the whole conversation

    assert set(messages_in(reader, "Sorties")) == {"Sortie au musée", "Re: Sortie au musée"}
    assert set(messages_in(reader, "INBOX")) == {"Cantine"}
    assert page.console_errors == []
