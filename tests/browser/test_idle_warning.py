"""In a real browser: the idle warning appears before sign-out, and 'stay' keeps the session."""

import pytest

from tests.browser.conftest import screenshot
from tests.conftest import DEFAULT_TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_the_warning_appears_and_staying_keeps_the_session(
    page, live_server, settings, make_account
):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 124  # the warning comes 120 s before the end
    user = make_account(first_name="Inès", last_name="Garcia")
    page.goto(f"{live_server.url}/contacts/")
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill(DEFAULT_TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/contacts/")

    dialog = page.locator("dialog#idle-warning")
    dialog.wait_for(state="visible", timeout=15000)
    assert "Rester connecté" in dialog.inner_text()
    screenshot(page, "idle-warning-fr")

    with page.expect_response("**/accounts/sessions/keepalive/") as keepalive:
        dialog.get_by_role("button").click()
    assert keepalive.value.status == 200
    assert not dialog.is_visible()
    assert page.console_errors == []


def test_without_activity_the_page_goes_to_the_sign_in(page, live_server, settings, make_account):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 3
    user = make_account()
    page.goto(f"{live_server.url}/contacts/")
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill(DEFAULT_TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_url("**/accounts/login/?idle=1*", timeout=15000)
    assert "sans activité" in page.inner_text("body")
