"""In a real browser, on a phone-sized screen: Léa, who works in Martinique, picks her
time zone on the profile page with the keyboard; the message list then shows her mail
at Martinique time."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.mailbox.list_helpers import imap_client, raw_message

pytestmark = pytest.mark.browser


def test_lea_picks_martinique_and_reads_her_mail_at_martinique_time(signed_in_page, make_account):
    lea = make_account(username="lea.joseph", first_name="Léa", last_name="Joseph")
    received = dt.datetime(2023, 3, 14, 15, tzinfo=ZoneInfo("Europe/Paris"))
    with imap_client(lea) as imap:
        imap.append("INBOX", raw_message("Conseil pédagogique"), msg_time=received)
    page = signed_in_page("lea.joseph", "/accounts/profile/#time-zone", width=360)
    page.wait_for_load_state("load")

    zone = page.get_by_role("combobox", name="Time zone")
    expect(zone).to_have_value("Europe/Paris")
    zone.focus()
    zone.select_option("America/Martinique")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the save button, next in the tab order

    expect(page.get_by_text("The time zone is saved.")).to_be_visible()
    expect(page.get_by_role("combobox", name="Time zone")).to_have_value("America/Martinique")
    screenshot(page, "profile-time-zone-360")
    page.goto(page.url.split("/accounts/")[0] + "/mail/")
    row = page.locator("tr[data-uid]", has_text="Conseil pédagogique")
    # 15:00 in Paris is 10:00 in Martinique
    expect(row.locator("time")).to_have_attribute("datetime", "2023-03-14T10:00:00-04:00")
