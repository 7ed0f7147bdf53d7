"""A person signs in with a real browser and sees their real INBOX."""

import pytest

from tests.browser.conftest import screenshot
from tests.conftest import DEFAULT_TEST_PASSWORD
from tests.mail_helpers import send_mail_as

pytestmark = pytest.mark.browser


@pytest.fixture
def marie_with_mail(make_account):
    jean = make_account("jean.dupont", first_name="Jean", last_name="Dupont")
    marie = make_account("marie.martin", first_name="Marie", last_name="Martin")
    send_mail_as(jean, [marie.mail_address], "Réunion parents-professeurs de jeudi")
    return marie


def sign_in(page, live_server, login):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(DEFAULT_TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_sign_in_and_see_the_inbox(page, live_server, marie_with_mail):
    sign_in(page, live_server, "marie.martin@example.org")

    page.wait_for_selector("tr[data-uid]")
    assert "Réunion parents-professeurs de jeudi" in page.inner_text("#message-list")
    assert "Jean Dupont" in page.inner_text("#message-list")
    assert page.console_errors == []  # no CSP violation, no script error
    screenshot(page, "inbox-desktop-fr")


def test_the_inbox_on_a_360px_phone_in_english(browser, live_server, marie_with_mail):
    context = browser.new_context(locale="en-GB", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("marie.martin")
    page.get_by_label("Password").fill(DEFAULT_TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_selector("tr[data-uid]")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the page must not scroll sideways on a phone"
    screenshot(page, "inbox-phone-en")
    context.close()


def test_a_wrong_password_is_refused_in_the_browser(page, live_server, marie_with_mail):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Identifiant").fill("marie.martin")
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Se connecter").click()

    assert "Identifiant ou mot de passe incorrect" in page.inner_text("body")
    assert page.get_by_label("Identifiant").input_value() == "marie.martin"
