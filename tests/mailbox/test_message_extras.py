"""One message from the real Dovecot shown other ways: original source, .eml download,
print view, attachment previews and all attachments in one zip; and the folder tree
beside it."""

import io
import zipfile
from email.message import EmailMessage

import pytest
from django.urls import reverse

from tests.mailbox.export_helpers import append_messages, stored_messages

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n% bulletin\n" + bytes(range(256)) * 40
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def hostile_message():
    message = EmailMessage()
    message["From"] = "Pirate Malin <pirate@evil.example>"
    message["To"] = "marie.martin@example.org"
    message["Subject"] = "Relevé de notes"
    message["Date"] = "Mon, 23 Nov 2026 09:00:00 +0100"
    message.set_content("Bonjour <script>alert('texte')</script>")
    message.add_alternative(
        '<p onclick="steal()">Bonjour <b>Marie</b></p><script>alert(1)</script>'
        '<img src="https://tracker.example/pixel.gif">',
        subtype="html",
    )
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="Relevé.pdf")
    message.add_attachment(PNG, maintype="image", subtype="png", filename="../photo.png")
    message.add_attachment(PNG, maintype="image", subtype="png", filename="photo.png")
    message.add_attachment(SVG, maintype="image", subtype="svg+xml", filename="logo.svg")
    return message.as_bytes().replace(b"\n", b"\r\n")


@pytest.fixture
def opened(make_account, client):
    reader = make_account(first_name="Marie", last_name="Martin")
    append_messages(reader, "INBOX", [hostile_message()])
    append_messages(reader, "Classes/3e B", [])
    client.force_login(reader)
    uid, raw = next(iter(stored_messages(reader, "INBOX").items()))
    page = client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"]))
    assert page.status_code == 200
    parts = {a.filename: a.part_id for a in page.context["attachments"]}
    return client, reader, uid, raw, page, parts


def test_the_original_source_is_shown_as_text_never_as_html(opened):
    client, _reader, uid, raw, _page, _parts = opened

    response = client.get(reverse("mailbox:message-source", args=[uid, "INBOX"]))

    page = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Bonjour &lt;script&gt;alert(&#x27;texte&#x27;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "Subject: =?utf-8?q?Relev=C3=A9?= de notes" in page
    assert response["Cache-Control"] == "private, no-store"


def test_the_eml_download_is_the_stored_message_byte_for_byte(opened):
    client, _reader, uid, raw, _page, _parts = opened

    response = client.get(reverse("mailbox:message-eml", args=[uid, "INBOX"]))

    assert response.content == raw
    assert response["Content-Type"] == "message/rfc822"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''1%20Relev%C3%A9%20de%20notes.eml" in disposition


def test_the_print_view_shows_headers_and_the_sanitised_body(opened):
    client, _reader, uid, _raw, _page, _parts = opened

    response = client.get(reverse("mailbox:message-print", args=[uid, "INBOX"]), {"autoprint": "1"})

    page = response.content.decode()
    assert "<b>Marie</b>" in page
    assert "Pirate Malin &lt;pirate@evil.example&gt;" in page
    for forbidden in ("onclick", "<script>alert", "tracker.example"):
        assert forbidden not in page
    assert "data-autoprint" in page
    assert 'src="/static/js/message_print.js"' in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "Relevé.pdf" in page  # attachments are listed on paper


def test_images_show_inline_with_a_locked_down_response(opened):
    client, _reader, uid, _raw, page, parts = opened

    response = client.get(reverse("mailbox:message-part", args=[uid, parts["photo.png"], "INBOX"]))

    assert response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert f'<img src="{response.request["PATH_INFO"]}"' in page.content.decode()


def test_pdfs_are_previewed_in_a_frame_of_our_page_only(opened):
    client, _reader, uid, _raw, page, parts = opened
    url = reverse("mailbox:message-part", args=[uid, parts["Relevé.pdf"], "INBOX"])

    response = client.get(url)

    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert f'<iframe src="{url}"' in page.content.decode()


def test_svg_is_never_served_inline(opened):
    client, _reader, uid, _raw, page, parts = opened
    url = reverse("mailbox:message-part", args=[uid, parts["logo.svg"], "INBOX"])

    response = client.get(url)

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f'<img src="{url}"' not in page.content.decode()


def test_download_all_streams_a_zip_with_safe_distinct_names(opened):
    client, _reader, uid, _raw, _page, _parts = opened

    response = client.get(reverse("mailbox:message-attachments-zip", args=[uid, "INBOX"]))

    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert (
        "filename*=utf-8''Relev%C3%A9%20de%20notes%20-%20attachments.zip"
        in (response["Content-Disposition"])
    )
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zipped:
        assert zipped.namelist() == ["Relevé.pdf", "photo.png", "photo (2).png", "logo.svg"]
        assert zipped.read("Relevé.pdf") == PDF
        assert zipped.read("photo (2).png") == PNG


def test_the_message_page_has_the_folder_tree(opened):
    _client, _reader, _uid, _raw, page, _parts = opened

    html = page.content.decode()
    assert 'class="folders"' in html
    assert reverse("mailbox:folder-detail", args=["Classes/3e B"]) in html


def test_another_user_gets_404_everywhere(opened, make_account, client):
    _client, _reader, uid, _raw, _page, parts = opened
    client.force_login(make_account())

    for name in ("message-source", "message-eml", "message-print", "message-attachments-zip"):
        assert client.get(reverse(f"mailbox:{name}", args=[uid, "INBOX"])).status_code == 404
