"""Labels in Chromium: create one on a phone, put it on a message from the list."""

import pytest
from playwright.sync_api import expect

from mailbox.models import Label
from mailbox.services import imap
from tests.browser.conftest import screenshot
from tests.mailbox.action_helpers import mailbox_with, messages_in

pytestmark = pytest.mark.browser

SUBJECTS = ["Conseil de classe", "Bulletin du trimestre", "Planning des oraux"]


@pytest.mark.parametrize("width", [360, 1280])
def test_a_label_made_on_the_labels_page_marks_a_message(
    open_inbox, make_account, live_server, width
):
    reader = mailbox_with(make_account, SUBJECTS, username="marie.martin")
    page = open_inbox(width)

    page.goto(f"{live_server.url}/mail/labels/")
    page.get_by_label("Name").fill("Conseils")
    page.get_by_label("Purple").check()
    page.get_by_role("button", name="Create").click()
    expect(page.locator(".label-manage-list .label-purple")).to_have_text("Conseils")
    width_labels = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, f"labels-page-{width}-en")
    page.goto(f"{live_server.url}/mail/")
    page.get_by_label("Select “Conseil de classe”").check()
    page.get_by_label("Label", exact=True).select_option(label="Conseils")
    page.get_by_role("button", name="Apply label").click()
    chip = page.locator("tr[data-uid]", has_text="Conseil de classe").locator(".label-chip")
    expect(chip).to_have_text("Label: Conseils")
    width_list = page.evaluate("document.documentElement.scrollWidth")

    assert "conseils" in messages_in(reader, "INBOX")["Conseil de classe"].flags
    assert width_labels <= width
    assert width_list <= width
    screenshot(page, f"labels-list-{width}-en")
    page.get_by_role("link", name="Conseil de classe").click()
    expect(page.locator(".message .label-chip")).to_have_text("Label: Conseils")
    width_message = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, f"labels-message-{width}-en")

    assert width_message <= width
    assert page.console_errors == []


def test_archiving_in_a_label_filter_keeps_the_list_filtered(open_inbox, make_account, live_server):
    reader = mailbox_with(make_account, SUBJECTS, username="marie.martin")
    label = Label.objects.create(user=reader, name="Oraux", colour="blue", keyword="oraux")
    with imap.session_for(reader.mail_account) as session:
        uids = [m.uid for s, m in messages_in(reader, "INBOX").items() if s != "Conseil de classe"]
        session.set_flags("INBOX", uids, ["oraux"])
    page = open_inbox(1280)

    page.goto(f"{live_server.url}/mail/labels/{label.pk}/in/INBOX")
    expect(page.locator("tr[data-uid]")).to_have_count(2)
    page.get_by_label("Select “Bulletin du trimestre”").check()
    page.get_by_role("button", name="Archive", exact=True).click()
    expect(page.locator("tr[data-uid]")).to_have_count(1)
    page.wait_for_timeout(500)  # the unfiltered answer, then the filtered one

    assert page.locator("tr[data-uid]").count() == 1
    assert "Planning des oraux" in page.inner_text("#message-list")
    assert "Bulletin du trimestre" in messages_in(reader, "Archive")
    assert page.console_errors == []
