"""Large-file links in Chromium: the sender's list at 1280 and 360 px, a recipient without
an account downloading the file, and revoking the link from the list."""

import os

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.mailbox.upload_helpers import new_draft_key, send_as_link, upload_large, wait_for_scan

pytestmark = pytest.mark.browser


@pytest.fixture
def shared_link(make_account, live_server):
    """jean.dupont sent one large file; returns (user, link path, bytes)."""
    jean = make_account(username="jean.dupont", first_name="Jean", last_name="Dupont")
    client = Client()
    client.force_login(jean)
    data = os.urandom(3 * 1024 * 1024)
    draft = new_draft_key()
    wait_for_scan(upload_large(client, draft, "sortie-scolaire.mp4", data))
    [link] = send_as_link(jean, draft)
    return jean, link.url.removeprefix("http://testserver"), data


def signed_in(signed_in_page, width):
    page = signed_in_page("jean.dupont", "/mail/shared-files/", width=width)
    page.wait_for_selector(".shared-files-table")
    return page


def test_a_recipient_without_account_downloads_then_the_sender_revokes(
    browser, signed_in_page, live_server, shared_link, tmp_path
):
    _jean, path, data = shared_link
    outsider = browser.new_context(locale="en-GB", viewport={"width": 360, "height": 800})
    page = outsider.new_page()
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", name="A file was shared with you")).to_be_visible()
    screenshot(page, "shared-file-download-360-en")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download").click()
    assert info.value.suggested_filename == "sortie-scolaire.mp4"
    info.value.save_as(tmp_path / "file")
    assert (tmp_path / "file").read_bytes() == data

    sender = signed_in(signed_in_page, 1280)
    row = sender.locator("tr", has_text="sortie-scolaire.mp4")
    expect(row).to_contain_text("1")  # one download
    assert (
        row.locator("input.shared-file-link").input_value()
        == f"http://{sender.url.split('/')[2]}{path}"
    )
    screenshot(sender, "shared-files-list-1280-en")
    row.get_by_role("button", name="Revoke sortie-scolaire.mp4").click()
    expect(sender.locator("tr", has_text="sortie-scolaire.mp4")).to_contain_text("Revoked")
    assert sender.console_errors == []

    gone = page.goto(f"{live_server.url}{path}")
    assert gone.status == 410
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    outsider.close()


def test_the_list_fits_a_360px_phone(signed_in_page, shared_link):
    page = signed_in(signed_in_page, 360)

    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "shared-files-list-360-en")
