"""Full-text search reads attachments: Dovecot's fts_decoder runs decode2text.sh
(pdftotext, docx2txt, odt2txt, xlsx2csv) when the message arrives over LMTP, so a word
that is only inside an attached file finds its message."""

import time
from pathlib import Path

import pytest
from django.urls import reverse

from tests.mail_helpers import send_mail_as
from tests.mailbox.compose_helpers import wait_for_messages
from tests.mailbox.search_helpers import (
    DOCX,
    ODT,
    XLSX,
    docx_with,
    odt_with,
    pdf_with,
    send_with_attachment,
    xlsx_with,
)


def found_subjects(client, **params):
    response = client.get(reverse("mailbox:search", args=["INBOX"]), params)
    assert response.status_code == 200
    return [message.subject for message in response.context["page"].messages]


@pytest.fixture
def people(client, make_account):
    reader = make_account(first_name="Marie", last_name="Martin")
    sender = make_account(first_name="Paul", last_name="Bernard")
    client.force_login(reader)
    return client, reader, sender


def test_a_word_only_inside_a_pdf_attachment_finds_the_message(people):
    client, reader, sender = people
    pdf = pdf_with("Compte rendu: le mot zygomorphe figure seulement ici.")
    send_with_attachment(
        sender, reader, "Compte rendu", "Voir la pièce jointe.", pdf, "application/pdf", "cr.pdf"
    )
    send_with_attachment(
        sender, reader, "Autre", "Sans le mot.", pdf_with("Rien ici."), "application/pdf", "a.pdf"
    )
    send_mail_as(sender, [reader.mail_address], "Sans pièce jointe", "zygomorphe absent")
    wait_for_messages(reader, "INBOX", 3)
    assert found_subjects(client, q="zygomorphe") == ["Sans pièce jointe", "Compte rendu"]
    # The advanced form's "words in the message or its attachments" too.
    response = client.get(
        reverse("mailbox:search-advanced", args=["INBOX"]), {"body": "zygomorphe"}
    )
    assert [m.subject for m in response.context["page"].messages] == [
        "Sans pièce jointe",
        "Compte rendu",
    ]
    # Has attachments: the two multipart/mixed messages, not the plain one.
    response = client.get(
        reverse("mailbox:search-advanced", args=["INBOX"]), {"has_attachment": "on"}
    )
    assert [m.subject for m in response.context["page"].messages] == ["Autre", "Compte rendu"]


@pytest.mark.parametrize(
    ("content_type", "make", "filename"),
    [(DOCX, docx_with, "note.docx"), (ODT, odt_with, "note.odt"), (XLSX, xlsx_with, "note.xlsx")],
)
def test_a_word_inside_an_office_document_finds_the_message(people, content_type, make, filename):
    client, reader, sender = people
    send_with_attachment(
        sender, reader, "Note", "Ci-joint.", make("Bonjour ornithorynque"), content_type, filename
    )
    wait_for_messages(reader, "INBOX", 1)
    assert found_subjects(client, q="ornithorynque") == ["Note"]


def test_messages_are_indexed_when_they_arrive_not_at_the_first_search(people, stack):
    _client, reader, sender = people
    index_dir = Path(stack.root) / "mail" / reader.username / "Maildir" / "xapian-indexes"
    send_with_attachment(
        sender, reader, "Livret", "Ci-joint.", pdf_with("Livret"), "application/pdf", "l.pdf"
    )
    wait_for_messages(reader, "INBOX", 1)
    deadline = time.monotonic() + 30
    while not any(index_dir.glob("*")) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert any(index_dir.glob("*")), "fts_autoindex should index at delivery (LMTP)"
