"""A real Chromium (Debian's), driven by Playwright, against the live test server."""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_TEST_PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Auto-waiting assertions wait up to 15 s (Playwright's default is 5 s): the live server,
# Dovecot and the Celery worker share two cores with Chromium, and a loaded machine must
# make a test slower, never red. What is asserted stays the same.
EXPECT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session", autouse=True)
def patient_expectations():
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make venv` installs Debian's chromium.")
    # Playwright's sync API runs its own event loop; Django must allow ORM calls from it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_page(browser, *, locale="fr-FR", width=1280, height=800):
    """A page in a context of its own; page.console_errors collects console errors (CSP
    violations show there). Close it with page.context.close()."""
    context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    return page


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def signed_in_page(browser, live_server):
    """signed_in_page(username, path="/", width=1280, height=800, locale="en-GB"): a new
    page signed in at path (the login form's fields are found by name, so any language
    works); the caller waits for what its page shows. Closed after the test."""
    pages = []

    def open_page(username, path="/", *, width=1280, height=800, locale="en-GB"):
        page = new_page(browser, locale=locale, width=width, height=height)
        pages.append(page)
        page.goto(f"{live_server.url}{path}")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(DEFAULT_TEST_PASSWORD)
        page.locator("form button[type=submit]").first.click()
        return page

    yield open_page
    for page in pages:
        page.context.close()


@pytest.fixture
def open_inbox(signed_in_page):
    """open_inbox(width): marie.martin's INBOX (create the account first), in English:
    the French strings come with the lead's translation."""

    def open_at(width):
        page = signed_in_page("marie.martin", width=width)
        page.wait_for_selector("tr[data-uid]")
        page.wait_for_load_state("load")  # the page's scripts are in place
        return page

    return open_at


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
