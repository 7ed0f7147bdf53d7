"""Attaching files in Chromium: progress per file, the real scan's verdict, drag and drop,
removing a file, and a 360 px phone."""

import hashlib
import os

import pytest
from playwright.sync_api import expect

from mailbox.models import Upload
from tests.browser.conftest import screenshot
from tests.mailbox.upload_helpers import CLEAN, EICAR

pytestmark = pytest.mark.browser


@pytest.fixture
def open_compose(signed_in_page, make_account):
    make_account(username="jean.dupont", first_name="Jean", last_name="Dupont")

    def open_at(width):
        page = signed_in_page("jean.dupont", "/mail/compose/", width=width, height=900)
        page.wait_for_selector(".attachments[data-draft-key]")
        return page

    return open_at


def item(page, name):
    return page.locator("[data-attachment]", has_text=name)


def test_two_files_upload_with_progress_and_are_scanned_clean(open_compose):
    page = open_compose(1280)
    page.evaluate(
        "() => { window.progressSeen = [];"
        " new MutationObserver((changes) => changes.forEach((change) =>"
        " window.progressSeen.push(Number(change.target.value))))"
        ".observe(document.querySelector('[data-attachment-list]'),"
        " {attributes: true, attributeFilter: ['value'], subtree: true}); }"
    )
    page.set_input_files(
        "#attachments-input",
        [
            {"name": "bulletin.pdf", "mimeType": "application/pdf", "buffer": CLEAN},
            {
                "name": "planning.ods",
                "mimeType": "application/octet-stream",
                "buffer": CLEAN[:5000],
            },
        ],
    )

    for name in ("bulletin.pdf", "planning.ods"):
        expect(item(page, name).locator("[data-state]")).to_have_text("Clean", timeout=60_000)
    bars = page.locator("[data-attachment] [data-progress]")
    assert bars.evaluate_all("bars => bars.map((bar) => bar.value)") == [100, 100]
    seen = page.evaluate("window.progressSeen")
    assert seen
    assert seen.count(100) >= 2  # each file's bar went to the end
    draft_key = page.locator(".attachments").get_attribute("data-draft-key")
    stored = Upload.objects.filter(draft_key=draft_key).order_by("filename")
    assert [(u.filename, u.scan_status) for u in stored] == [
        ("bulletin.pdf", "clean"),
        ("planning.ods", "clean"),
    ]
    screenshot(page, "attachments-clean-1280-en")

    # Dropped files go the same way.
    dropped = page.evaluate_handle(
        "() => { const data = new DataTransfer();"
        " data.items.add(new File(['ordre du jour'], 'ordre-du-jour.txt', {type: 'text/plain'}));"
        " return data; }"
    )
    page.dispatch_event("[data-drop-zone]", "drop", {"dataTransfer": dropped})
    expect(item(page, "ordre-du-jour.txt").locator("[data-state]")).to_have_text(
        "Clean", timeout=60_000
    )

    # Removing one, from the keyboard.
    item(page, "planning.ods").get_by_role("button", name="Remove planning.ods").focus()
    page.keyboard.press("Enter")
    expect(item(page, "planning.ods")).to_have_count(0)
    page.wait_for_timeout(500)
    assert sorted(
        Upload.objects.filter(draft_key=draft_key).values_list("filename", flat=True)
    ) == [
        "bulletin.pdf",
        "ordre-du-jour.txt",
    ]
    assert page.console_errors == []


def test_the_eicar_file_shows_infected_on_a_360px_phone(open_compose):
    page = open_compose(360)
    page.set_input_files(
        "#attachments-input",
        [
            {"name": "rapport.pdf", "mimeType": "application/pdf", "buffer": CLEAN},
            {"name": "facture.exe", "mimeType": "application/octet-stream", "buffer": EICAR},
        ],
    )

    expect(item(page, "facture.exe").locator("[data-state]")).to_have_text(
        "Infected: refused", timeout=60_000
    )
    expect(item(page, "rapport.pdf").locator("[data-state]")).to_have_text("Clean")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert page.console_errors == []
    page.locator(".attachments").scroll_into_view_if_needed()
    screenshot(page, "attachments-infected-360-en")


def test_a_file_over_the_limit_is_offered_as_a_link(open_compose, settings):
    settings.ATTACHMENT_MAX_MESSAGE_MB = 1
    page = open_compose(1280)
    page.set_input_files(
        "#attachments-input",
        [{"name": "film.mp4", "mimeType": "video/mp4", "buffer": b"v" * (3 * 1024 * 1024)}],
    )

    film = item(page, "film.mp4")
    film.get_by_role("button", name="Send as a link").click()
    expect(film.locator("[data-state]")).to_have_text(
        "Sent as a download link · Clean", timeout=60_000
    )
    upload = Upload.objects.get(filename="film.mp4")
    assert upload.is_large_file
    assert upload.size == 3 * 1024 * 1024
    screenshot(page, "attachments-link-1280-en")


def test_a_large_file_resumes_after_a_lost_connection(open_compose, settings):
    settings.ATTACHMENT_MAX_MESSAGE_MB = 1
    data = os.urandom(10 * 1024 * 1024)
    page = open_compose(1280)
    cut = []

    def lose_the_second_chunk_once(route):
        if not cut:
            cut.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(lambda url: "/chunk?offset=4194304" in url, lose_the_second_chunk_once)
    page.set_input_files(
        "#attachments-input",
        [{"name": "conseil.mkv", "mimeType": "video/x-matroska", "buffer": data}],
    )
    item(page, "conseil.mkv").get_by_role("button", name="Send as a link").click()

    expect(item(page, "conseil.mkv").locator("[data-state]")).to_have_text(
        "Sent as a download link · Clean", timeout=90_000
    )
    assert len(cut) == 1
    upload = Upload.objects.get(filename="conseil.mkv")
    assert upload.sha256 == hashlib.sha256(data).hexdigest()
    assert page.console_errors == [] or all(
        "ERR_CONNECTION_RESET" in e for e in page.console_errors
    )
