"""Managing folders in Chromium on a 360 px phone screen, keyboard only."""

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_hostile_message import sign_in
from tests.mail_helpers import send_mail_as

pytestmark = pytest.mark.browser


def test_a_folder_is_created_from_the_keyboard_on_a_phone(page, live_server, make_account):
    sender = make_account(first_name="Paul", last_name="Girard")
    reader = make_account(quota_mb=300)
    send_mail_as(sender, [reader.mail_address], "Bienvenue")
    sign_in(page, live_server, reader)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/mail/folders/")

    page.locator("#id_name").focus()
    page.keyboard.type("Conseils de classe — 2026/3e B")
    page.keyboard.press("Enter")
    created = page.locator(".folder-manage-list").get_by_text("3e B", exact=True)
    created.wait_for()

    assert created.is_visible()
    assert page.locator(".folders").get_by_text("3e B").count() == 1  # in the tree too
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 360, overflow
    screenshot(page, "manage-folders-360")
