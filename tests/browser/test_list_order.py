"""Choosing the list's order in Chromium: re-sorted in place by htmx, on a phone too."""

import pytest
from playwright.sync_api import expect

from mailbox.models import MailPreferences
from tests.browser.conftest import screenshot
from tests.mailbox.list_helpers import append, raw_message

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 360])
def test_choosing_subject_order_resorts_the_rows_and_is_saved(open_inbox, make_account, width):
    reader = make_account(username="marie.martin")
    append(
        reader,
        raw_message("Bravo", day=1),
        raw_message("Alpha", day=3),
        raw_message("Charlie", day=2),
    )
    page = open_inbox(width)

    page.get_by_label("Sort by").select_option("subject")
    page.get_by_label("Order").select_option("asc")
    expect(page.locator("tr[data-uid] .subject-text").first).to_have_text("Alpha")

    rows = page.locator("tr[data-uid] .subject-text").all_inner_texts()
    assert rows == ["Alpha", "Bravo", "Charlie"]
    saved = MailPreferences.objects.get(user=reader)
    assert (saved.sort_key, saved.sort_descending) == ("subject", False)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.console_errors == []
    page.reload()
    assert page.get_by_label("Sort by").input_value() == "subject"  # kept across visits
    screenshot(page, f"list-order-subject-{width}-en")
