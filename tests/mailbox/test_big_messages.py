"""A message with a big attachment opens without fetching the attachment: the page
shows the text, the attachment's name and size, and the download is still the
original's bytes. Against the real Dovecot (BODYSTRUCTURE, BODY[n.MIME] sections)."""

import base64
import os
from email.message import EmailMessage

from django.urls import reverse

from mailbox.parsing import parse_message, with_part_sizes
from mailbox.services import imap
from tests.mailbox.list_helpers import imap_client

PDF = b"%PDF-1.4\n" + os.urandom(5 * 1024 * 1024)


def _big_message() -> bytes:
    """Text and HTML alternatives, a small inline image and a 5 MB PDF, nested as mail
    programs send them."""
    message = EmailMessage()
    message["From"] = "Hélène N'Diaye <helene.n-diaye@example.org>"
    message["To"] = "lecteur@example.org"
    message["Subject"] = "Dossier complet"
    message.set_content("Le dossier est joint.")
    message.add_alternative("<p>Le <b>dossier</b> est joint.</p>", subtype="html")
    message.add_attachment(b"\x89PNG small", maintype="image", subtype="png", filename="logo.png")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="dossier.pdf")
    return message.as_bytes()


def _append(user, raw) -> int:
    with imap_client(user) as client:
        answer = client.append("INBOX", raw)
    return int(answer.split(b"APPENDUID ")[1].split()[1].rstrip(b"]"))


def test_reading_leaves_out_only_the_big_attachment(jean):
    uid = _append(jean, _big_message())

    with imap.session_for(jean.mail_account) as session:
        fetched = session.fetch_for_reading("INBOX", uid)
        stored = session.fetch_message("INBOX", uid).raw

    assert len(fetched.raw) < 100_000
    read = with_part_sizes(parse_message(fetched.raw), fetched.omitted)
    whole = parse_message(stored)
    assert (read.subject, read.text, read.html) == (whole.subject, whole.text, whole.html)
    names = [(a.part_id, a.filename, a.content_type) for a in read.attachments]
    assert names == [(a.part_id, a.filename, a.content_type) for a in whole.attachments]
    sizes = {a.filename: a.size for a in read.attachments}
    assert sizes["logo.png"] == len(b"\x89PNG small")
    assert abs(sizes["dossier.pdf"] - len(PDF)) < len(PDF) // 100  # about, from BODYSTRUCTURE


def test_a_small_message_is_read_whole_in_one_fetch(jean):
    message = EmailMessage()
    message["Subject"] = "Court"
    message.set_content("Bonjour.")
    uid = _append(jean, message.as_bytes())

    with imap.session_for(jean.mail_account) as session:
        fetched = session.fetch_for_reading("INBOX", uid)

    assert fetched.raw.replace(b"\r\n", b"\n") == message.as_bytes().replace(b"\r\n", b"\n")
    assert fetched.omitted == {}


def test_the_page_shows_the_big_attachment_and_its_download_is_the_original(jean, jean_client):
    uid = _append(jean, _big_message())

    page = jean_client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"]))
    body = jean_client.get(reverse("mailbox:message-body", args=[uid, "INBOX"]))
    pdf = next(a for a in page.context["attachments"] if a.filename == "dossier.pdf")
    download = jean_client.get(
        reverse("mailbox:message-part", args=[uid, pdf.part_id, "INBOX"]), {"download": "1"}
    )

    assert page.status_code == 200
    assert "dossier.pdf" in page.content.decode()
    assert "5.0\xa0MB" in page.content.decode()
    assert "<b>dossier</b>" in body.content.decode()
    assert b"".join(download.streaming_content if download.streaming else [download.content]) == PDF


def test_a_big_message_that_is_not_multipart_is_read_whole(jean):
    text = "Compte rendu.\n" + base64.b64encode(os.urandom(1_200_000)).decode()
    message = EmailMessage()
    message["Subject"] = "Long"
    message.set_content(text)
    uid = _append(jean, message.as_bytes())

    with imap.session_for(jean.mail_account) as session:
        fetched = session.fetch_for_reading("INBOX", uid)

    assert parse_message(fetched.raw).text.split() == text.split()


def test_an_attachment_under_a_megabyte_is_left_out_too(jean):
    message = EmailMessage()
    message["Subject"] = "Compte rendu"
    message.set_content("Le compte rendu est joint.")
    pdf = b"%PDF-1.4\n" + os.urandom(600 * 1024)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="cr.pdf")
    uid = _append(jean, message.as_bytes())

    with imap.session_for(jean.mail_account) as session:
        fetched = session.fetch_for_reading("INBOX", uid)

    assert len(fetched.raw) < 100_000
    read = with_part_sizes(parse_message(fetched.raw), fetched.omitted)
    assert read.text.strip() == "Le compte rendu est joint."
    assert [a.filename for a in read.attachments] == ["cr.pdf"]
