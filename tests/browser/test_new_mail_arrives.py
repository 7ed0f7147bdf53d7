"""Mail delivered while the inbox is open appears in Chromium without a reload."""

import pytest
from playwright.sync_api import expect

from accounts.web_sessions import end_sessions
from tests.browser.conftest import screenshot
from tests.browser.test_login_and_inbox import sign_in
from tests.mail_helpers import send_mail_as

pytestmark = pytest.mark.browser


@pytest.fixture
def fast_polling(settings):
    settings.MAIL_POLL_SECONDS = 1  # the page checks every second (data-interval)


def test_new_mail_appears_on_top_and_the_title_counts_it(
    page, live_server, make_account, fast_polling
):
    sophie = make_account("sophie.leroy", first_name="Sophie", last_name="Leroy")
    marie = make_account("marie.martin", first_name="Marie", last_name="Martin")
    send_mail_as(sophie, [marie.mail_address], "Conseil de classe")
    checks = []
    page.on(
        "request",
        lambda r: (
            "/folder-changes/" in r.url and checks.append(r.headers.get("x-background-request"))
        ),
    )
    sign_in(page, live_server, "marie.martin")
    page.wait_for_selector("tr[data-uid]")
    expect(page).to_have_title("(1) Boîte de réception – Webmail")
    page.locator("tr[data-uid] input[name='uids']").first.check()
    page.evaluate("window.stillTheSamePage = true")

    send_mail_as(sophie, [marie.mail_address], "Sortie au musée")

    rows = page.locator("tr[data-uid]")
    expect(rows).to_have_count(2, timeout=15_000)
    expect(rows.first).to_contain_text("Sortie au musée")
    expect(page).to_have_title("(2) Boîte de réception – Webmail")
    inbox = page.locator("#folder-tree a[aria-current='page'] .unread-count")
    expect(inbox).to_contain_text("2")
    status = page.locator("#new-mail-status")  # read out by screen readers
    expect(status).to_have_text(status.get_attribute("data-one"))
    assert page.evaluate("window.stillTheSamePage") is True  # no reload
    assert rows.nth(1).locator("input[name='uids']").is_checked()  # the selection stayed
    assert not rows.first.locator("input[name='uids']").is_checked()
    assert page.locator("[data-select-page]").evaluate("box => box.indeterminate")
    assert "2" in page.locator("label:has([data-select-folder])").inner_text()
    assert checks
    assert set(checks) == {"1"}  # every check is a background request
    assert page.console_errors == []
    screenshot(page, "new-mail-arrived-fr")


@pytest.fixture
def marie_signed_in(page, live_server, make_account, fast_polling):
    marie = make_account("marie.martin", first_name="Marie", last_name="Martin")
    send_mail_as(marie, [marie.mail_address], "Note pour moi")
    checks = []
    page.on("request", lambda r: "/folder-changes/" in r.url and checks.append(r.url))
    sign_in(page, live_server, "marie.martin")
    page.wait_for_selector("tr[data-uid]")
    page.wait_for_timeout(1500)
    assert checks, "the page checks every second"
    return marie, checks


def test_checks_pause_while_the_tab_is_hidden(page, marie_signed_in):
    _marie, checks = marie_signed_in

    page.evaluate("""() => {
        Object.defineProperty(document, "hidden", {value: true, configurable: true});
        document.dispatchEvent(new Event("visibilitychange"));
    }""")
    before = len(checks)
    page.wait_for_timeout(3000)
    while_hidden = len(checks) - before
    page.evaluate("""() => {
        Object.defineProperty(document, "hidden", {value: false, configurable: true});
        document.dispatchEvent(new Event("visibilitychange"));
    }""")
    page.wait_for_timeout(1500)

    assert while_hidden == 0
    assert len(checks) > before  # back on the tab: checking again


def test_checks_stop_once_the_session_is_over(page, marie_signed_in):
    marie, checks = marie_signed_in

    end_sessions(marie)  # signed out elsewhere ("log out everywhere")
    page.wait_for_timeout(2000)
    after_end = len(checks)
    page.wait_for_timeout(3000)

    assert len(checks) == after_end  # the redirect to sign in stopped them for good
