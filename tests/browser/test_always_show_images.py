"""In Chromium: always showing a sender's images loads them in that sender's next
message, and only theirs; a doubtful message shows its warnings and cannot be trusted."""

import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.test_hostile_message import sign_in
from tests.mailbox import crafted_mail
from tests.mailbox.crafted_mail import deliver

pytestmark = pytest.mark.browser
ours = crafted_mail.ours  # fixture, used by name below


def banner_png(width=120, height=40) -> bytes:
    """A plain blue PNG, made here so the test needs no file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x1a\x56\xa8" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PIXEL = banner_png()


@pytest.fixture
def image_server():
    """A web server on a free loopback port that serves a picture and records each path
    asked for: the remote site a newsletter's images come from."""
    requested: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            requested.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PIXEL)))
            self.end_headers()
            self.wfile.write(PIXEL)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.requested = requested
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def newsletter(image_server, name):
    return (
        f"<p>Lettre {name}</p>"
        f'<img alt="Bannière" width="120" height="40" '
        f'src="{image_server.url}/banner.png?m={name}">'
    )


def open_message(page, live_server, uid):
    page.goto(live_server.url + reverse("mailbox:message-detail", args=[uid, "INBOX"]))
    page.frame_locator("iframe.message-body").get_by_text("Lettre").wait_for()
    page.wait_for_timeout(300)


def image_shown(page) -> bool:
    # The sanitiser drops id and class attributes: the image is found by its text.
    banner = page.frame_locator("iframe.message-body").get_by_alt_text("Bannière")
    if not banner.count():
        return False
    # decode() waits for the picture to arrive, and fails if it cannot be shown.
    return banner.evaluate("img => img.decode().then(() => img.naturalWidth > 0, () => false)")


def test_a_trusted_senders_next_message_loads_its_images_and_no_one_elses(
    page, live_server, make_account, image_server, ours
):
    reader = make_account(first_name="Marie", last_name="Martin")
    sender = "Association des parents <lettre@asso-parents.example>"
    first = deliver(reader, {"From": sender}, html=newsletter(image_server, "mai"))
    second = deliver(reader, {"From": sender}, html=newsletter(image_server, "juin"))
    other = deliver(
        reader, {"From": "Club <club@sport.example>"}, html=newsletter(image_server, "club")
    )

    sign_in(page, live_server, reader)
    assert page.locator("tr[data-uid] .external-mark").count() == 3
    screenshot(page, "external-senders-list-1280")
    open_message(page, live_server, first)
    assert image_server.requested == []
    assert not image_shown(page)
    page.locator("form[action*='trust-images'] button").click()
    page.frame_locator("iframe.message-body").get_by_text("Lettre").wait_for()
    page.wait_for_timeout(300)
    assert image_server.requested == ["/banner.png?m=mai"]

    open_message(page, live_server, second)

    assert "/banner.png?m=juin" in image_server.requested
    assert image_shown(page)
    assert page.locator(".remote-trusted").is_visible()
    screenshot(page, "trusted-images-1280")
    page.locator("iframe.message-body").screenshot(path=str(ARTIFACTS / "trusted-images-body.png"))
    page.set_viewport_size({"width": 360, "height": 740})
    open_message(page, live_server, second)
    screenshot(page, "trusted-images-360")

    open_message(page, live_server, other)

    assert not any("club" in path for path in image_server.requested)
    assert not image_shown(page)
    assert page.locator("form[action*='trust-images'] button").is_visible()
    page.goto(live_server.url + reverse("mailbox:trusted-senders"))
    assert page.locator(".trusted-address", has_text="lettre@asso-parents.example").is_visible()
    screenshot(page, "trusted-senders-360")
    assert page.console_errors == []


def test_a_doubtful_message_shows_its_warnings_and_offers_no_trust(
    page, live_server, make_account, image_server, ours
):
    reader = make_account(first_name="Marie", last_name="Martin")
    make_account(first_name="Sophie", last_name="Leroy")
    name, _, ending = ours.rpartition(".")
    uid = deliver(
        reader,
        {
            "From": f"Sophie Leroy <sophie.leroy@{name}s.{ending}>",
            "Reply-To": "sophie.leroy.perso@fastmail.example",
            "Subject": "Urgent : carte cadeau",
        },
        html=newsletter(image_server, "piege")
        + '<p><a href="https://evil.example/login">www.impots.gouv.fr</a></p>',
    )

    sign_in(page, live_server, reader)
    page.set_viewport_size({"width": 360, "height": 740})
    open_message(page, live_server, uid)

    warnings = page.locator(".phishing-warning")
    assert warnings.count() == 4  # colleague's name, reply elsewhere, look-alike, link
    assert warnings.first.is_visible()
    assert page.locator(".external-sender").is_visible()
    assert not page.locator("form[action*='trust-images']").count()
    assert page.locator(".remote-refused").is_visible()
    assert image_server.requested == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways at 360 px ({width} px)"
    screenshot(page, "phishing-warnings-360")
    page.set_viewport_size({"width": 1280, "height": 800})
    open_message(page, live_server, uid)
    screenshot(page, "phishing-warnings-1280")
