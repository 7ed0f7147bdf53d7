"""Attachments previewed in the message page, the print view, the original source and an
export with its progress bar, in Chromium at 1280 and 360 px."""

import io
import zipfile
from email.message import EmailMessage

import pytest
from PIL import Image
from playwright.sync_api import expect
from reportlab.pdfgen import canvas

from tests.browser.conftest import ARTIFACTS, screenshot
from tests.mailbox.export_helpers import append_messages

pytestmark = pytest.mark.browser
PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (240, 120), (26, 86, 168)).save(out, format="PNG")
    return out.getvalue()


def pdf_bytes():
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 760, "Bulletin du premier trimestre")
    page.save()
    return out.getvalue()


def message_with_attachments(subject="Bulletins et photo de classe"):
    message = EmailMessage()
    message["From"] = "Sophie Leroy <sophie.leroy@example.org>"
    message["To"] = "marie.martin@example.org"
    message["Subject"] = subject
    message["Date"] = "Mon, 23 Nov 2026 09:00:00 +0100"
    message.set_content("Bonjour Marie,\n\nVoici les bulletins et la photo de classe.\n")
    message.add_alternative(
        "<p>Bonjour <b>Marie</b>,</p><p>Voici les bulletins et la photo de classe.</p>"
        "<script>document.title='PWNED'</script>",
        subtype="html",
    )
    message.add_attachment(png_bytes(), maintype="image", subtype="png", filename="classe.png")
    message.add_attachment(
        pdf_bytes(), maintype="application", subtype="pdf", filename="Bulletin été.pdf"
    )
    return message.as_bytes().replace(b"\n", b"\r\n")


def frame_urls_once_loaded(page):
    for _attempt in range(50):
        urls = [frame.url for frame in page.frames]
        if any(url.startswith((PDF_VIEWER, "chrome-error:")) for url in urls):
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(1000)  # let the viewer draw the page for the screenshot
    return urls


@pytest.fixture
def signed_in(open_inbox, make_account):
    """signed_in(width): marie.martin's INBOX holding one message with a PNG and a PDF."""
    reader = make_account(username="marie.martin", first_name="Marie", last_name="Martin")
    append_messages(reader, "INBOX", [message_with_attachments()])
    append_messages(reader, "Classes/3e B", [])
    return open_inbox


def open_the_message(page):
    """Open it from the list; wait for its body and its image preview."""
    page.get_by_role("link", name="Bulletins et photo de classe").click()
    page.frame_locator("iframe.message-body").get_by_text("Voici les bulletins").wait_for()
    image = page.get_by_role("img", name="Preview of classe.png")
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    return image


def test_images_and_pdfs_are_previewed_in_the_message_page(signed_in):
    page = signed_in(1280)

    image = open_the_message(page)
    assert image.evaluate("img => img.complete && img.naturalWidth") == 240
    page.get_by_text("Preview", exact=True).click()
    frame = page.locator("iframe[title='Preview of Bulletin été.pdf']")
    expect(frame).to_be_visible()
    # Chromium's own PDF viewer (an extension) took the document; an <iframe sandbox>
    # would have shown chrome-error:// instead.
    urls = frame_urls_once_loaded(page)
    assert any(url.startswith(PDF_VIEWER) for url in urls), urls
    assert not any(url.startswith("chrome-error:") for url in urls), urls
    # The folder tree is beside the message too.
    expect(page.locator("nav.folders").get_by_role("link", name="3e B")).to_be_visible()
    assert page.title() != "PWNED"
    assert not [e for e in page.console_errors if "Content Security Policy" in e]
    screenshot(page, "message-preview-1280")


def test_the_message_page_on_a_phone(signed_in):
    page = signed_in(360)

    image = open_the_message(page)
    assert image.evaluate("img => img.getBoundingClientRect().width") <= 360

    screenshot(page, "message-preview-360")
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("nav.folders").get_by_role("link", name="3e B")).to_be_visible()
    page.wait_for_timeout(400)  # the menu slides in
    page.screenshot(path=str(ARTIFACTS / "message-sidebar-360.png"))  # the open menu only


@pytest.mark.parametrize("width", [1280, 360])
def test_the_print_view_prints_itself_and_hides_its_buttons_on_paper(signed_in, width):
    page = signed_in(width)
    # Record the call instead of opening the dialog (headless Chromium has none).
    page.context.add_init_script(
        "window.print = () => { window.printed = (window.printed || 0) + 1; };"
    )
    page.get_by_role("link", name="Bulletins et photo de classe").click()

    with page.expect_popup() as popup:
        page.get_by_role("link", name="Print").click()
    printed = popup.value
    printed.wait_for_load_state("load")

    expect(printed.get_by_role("heading", name="Bulletins et photo de classe")).to_be_visible()
    expect(printed.locator(".print-body b")).to_have_text("Marie")
    for _attempt in range(50):
        if printed.evaluate("window.printed"):
            break
        printed.wait_for_timeout(100)
    assert printed.evaluate("window.printed") == 1
    expect(printed.get_by_role("button", name="Print")).to_be_visible()
    screenshot(printed, f"message-print-{width}")
    printed.emulate_media(media="print")
    expect(printed.get_by_role("button", name="Print")).to_be_hidden()
    screenshot(printed, f"message-print-paper-{width}")
    assert printed.title() != "PWNED"


def test_the_original_source_is_text_and_can_be_copied(signed_in):
    page = signed_in(1280)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("link", name="Bulletins et photo de classe").click()
    page.get_by_role("link", name="Show original").click()

    source = page.locator("#message-source")
    # Markup of the HTML part is shown as characters, not rendered.
    expect(source).to_contain_text("<p>Bonjour <b>Marie</b>")
    expect(page.locator("#message-source b")).to_have_count(0)
    page.get_by_role("button", name="Copy to clipboard").click()
    expect(page.get_by_role("status")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("From: Sophie Leroy <sophie.leroy@example.org>")
    assert page.title() != "PWNED"
    screenshot(page, "message-source-1280")


@pytest.mark.parametrize("width", [1280, 360])
def test_a_folder_export_downloads_and_shows_its_progress(signed_in, width):
    page = signed_in(width)
    page.locator("[data-select-folder]").check()

    with page.expect_download() as download:
        page.get_by_role("button", name="zip of .eml files").click()
    path = download.value.path()

    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["1 Bulletins et photo de classe.eml"]
    status = page.locator("[data-export-status]")
    expect(status).to_contain_text("Export finished: 1 / 1")
    assert page.locator("[data-export-status] progress").evaluate("p => p.value === p.max")
    screenshot(page, f"export-progress-{width}")
