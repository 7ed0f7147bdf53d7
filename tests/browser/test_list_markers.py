"""The message list's markers and text previews in Chromium, on a phone and a desktop:
visible, named for screen readers, and never widening the page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.mailbox.list_helpers import append, imap_client, raw_message
from tests.mailbox.test_list_markers import _with_pdf

pytestmark = pytest.mark.browser

LONG_TEXT = (
    "Bonjour à toutes et à tous, le conseil de classe du troisième trimestre aura lieu "
    "mardi prochain en salle B204 ; merci de saisir vos appréciations avant lundi soir."
)


@pytest.mark.parametrize("width", [360, 1280])
def test_rows_show_markers_and_the_start_of_the_text(open_inbox, make_account, width):
    reader = make_account(username="marie.martin")
    append(reader, raw_message("Conseil de classe", body=LONG_TEXT), _with_pdf("Bulletin"))
    with imap_client(reader) as client:
        client.select_folder("INBOX")
        client.add_flags([client.search(["SUBJECT", "Conseil"])[0]], [b"\\Answered"])

    page = open_inbox(width)

    council = page.locator("tr[data-uid]", has_text="Conseil de classe")
    expect(council.locator(".preview")).to_contain_text("le conseil de classe du troisième")
    expect(council.get_by_role("img", name="Answered")).to_be_visible()
    bulletin = page.locator("tr[data-uid]", has_text="Bulletin")
    expect(bulletin.get_by_role("img", name="Has attachments")).to_be_visible()
    screenshot(page, f"list-markers-{width}-en")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
