"""Sending through the real submission path: the message arrives whole, a copy is filed in
Sent, the draft goes only after success, and pressing send twice sends once."""

import os
import time

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from mailbox import outbox
from mailbox.models import Identity, OutboxItem
from tests.mailbox.compose_helpers import (
    compose_data,
    folder_messages,
    send,
    wait_for_messages,
    wait_for_outbox,
)
from tests.mailbox.upload_helpers import upload_file, wait_for_scan
from tests.servers import stopped

pytestmark = pytest.mark.usefixtures("no_undo_delay")


def test_jean_sends_marie_two_attachments_that_arrive_byte_identical(jean_client, jean, marie):
    data = compose_data(
        jean, to="Marie Martin <marie.martin@example.org>", subject="Bulletins du 1er trimestre"
    )
    data["body"] = "Bonjour Marie,\nvoici les bulletins.\nJean"
    pdf = b"%PDF-1.4 bulletin\n" + os.urandom(200_000)
    table = "élève;note\nZoé;15\n".encode() * 500
    for name, content, kind in [
        ("bulletins é.pdf", pdf, "application/pdf"),
        ("notes.csv", table, "text/csv"),
    ]:
        response = upload_file(jean_client, data["draft_key"], name, content, kind)
        assert wait_for_scan(response.json()["id"]).scan_status == "clean"

    response = send(jean_client, data)

    item = OutboxItem.objects.get(user=jean, draft_key=data["draft_key"])
    assert response.status_code == 302
    assert response["Location"] == reverse("mailbox:outbox-item", args=[item.pk])
    assert wait_for_outbox(jean, data["draft_key"]).status == "sent"
    ((_uid, _flags, received),) = wait_for_messages(marie, "INBOX", 1)
    assert received["Subject"] == "Bulletins du 1er trimestre"
    assert str(received["From"]) == "Jean Dupont <jean.dupont@example.org>"
    assert (
        received.get_body(("plain",))
        .get_content()
        .replace("\r\n", "\n")
        .startswith("Bonjour Marie,\nvoici les bulletins.")
    )
    attachments = {
        part.get_filename(): part.get_payload(decode=True) for part in received.iter_attachments()
    }
    assert attachments == {"bulletins é.pdf": pdf, "notes.csv": table}
    # The copy in Sent is the same message, already read; the draft is gone.
    ((_uid, flags, copy),) = folder_messages(jean, "\\Sent")
    assert copy["Message-ID"] == received["Message-ID"]
    assert "\\Seen" in flags
    assert folder_messages(jean, "\\Drafts") == []
    assert not default_storage.exists(outbox.message_name(item))  # not kept
    page = jean_client.get(response["Location"]).content.decode()
    assert "Your message was sent." in page


def test_pressing_send_twice_sends_once(jean_client, jean, marie):
    data = compose_data(jean, to="marie.martin@example.org", subject="Une seule fois", body="x")

    first = send(jean_client, data)
    second = send(jean_client, data)

    assert first["Location"] == second["Location"]
    assert OutboxItem.objects.filter(user=jean).count() == 1
    wait_for_outbox(jean, data["draft_key"])
    third = send(jean_client, data)  # even after it left
    assert third["Location"] == first["Location"]
    time.sleep(2)
    assert len(folder_messages(marie, "INBOX")) == 1
    assert len(folder_messages(jean, "\\Sent")) == 1


def test_with_the_sending_server_down_the_message_stays_in_drafts(stack, jean_client, jean, marie):
    data = compose_data(jean, to="marie.martin@example.org", subject="Malgré la panne", body="x")

    with stopped(stack, "relay"):
        send(jean_client, data)
        item = wait_for_outbox(jean, data["draft_key"])

    assert item.status == "failed"
    assert item.error == "unavailable"
    ((_uid, _flags, draft),) = folder_messages(jean, "\\Drafts")
    assert draft["Subject"] == "Malgré la panne"
    page = jean_client.get(reverse("mailbox:outbox-item", args=[item.pk])).content.decode()
    assert "Your message was not sent." in page
    assert "The sending server did not answer" in page
    assert reverse("mailbox:draft-resume", args=[data["draft_key"]]) in page
    assert folder_messages(marie, "INBOX") == []

    # Back up: the same draft is sent again, once, and leaves Drafts.
    send(jean_client, data)
    assert wait_for_outbox(jean, data["draft_key"]).status == "sent"
    assert len(wait_for_messages(marie, "INBOX", 1)) == 1
    assert folder_messages(jean, "\\Drafts") == []


def test_a_refused_recipient_is_named_and_the_draft_kept(jean_client, jean):
    data = compose_data(jean, to="personne.inconnue@example.org", subject="Perdu", body="x")

    send(jean_client, data)
    item = wait_for_outbox(jean, data["draft_key"])

    assert item.status == "failed"
    assert item.error == "refused"
    page = jean_client.get(reverse("mailbox:outbox-item", args=[item.pk])).content.decode()
    assert "The server refused these recipients:" in page
    assert "personne.inconnue@example.org" in page
    assert len(folder_messages(jean, "\\Drafts")) == 1


def test_line_breaks_in_fields_add_no_header(stack, jean_client, jean, marie):
    data = compose_data(
        jean,
        to='"Marie\r\nBcc: spy@evil.example" <marie.martin@example.org>',
        subject="Salut\r\nBcc: spy@evil.example\r\nX-Injected: yes",
        body="x",
        in_reply_to="<a@example.org>\r\nX-Injected: yes",
    )

    send(jean_client, data)
    assert wait_for_outbox(jean, data["draft_key"]).status == "sent"

    ((_uid, _flags, received),) = wait_for_messages(marie, "INBOX", 1)
    assert received["X-Injected"] is None
    assert received["Bcc"] is None
    assert received["Subject"] == "Salut Bcc: spy@evil.example X-Injected: yes"
    # Nothing went to evil.example (other tests of the run may have captured other mail).
    assert not any("evil.example" in p.read_text() for p in stack.capture_dir.glob("*.json"))


def test_a_bad_address_is_named_and_nothing_typed_is_lost(jean_client, jean):
    data = compose_data(
        jean, to="marie.martin@example.org, paul@@example.org", subject="Réunion", body="Mon texte"
    )

    response = send(jean_client, data)

    assert response.status_code == 422
    page = response.content.decode()
    assert "“paul@@example.org” is not a valid e-mail address." in page
    assert 'value="Réunion"' in page
    assert "Mon texte" in page
    assert not OutboxItem.objects.filter(user=jean).exists()


def test_idn_addresses_are_accepted_in_ascii_form(jean_client, jean, stack):
    data = compose_data(jean, to="Zoé <zoe@académie.fr>", subject="IDN", body="x")

    send(jean_client, data)
    item = wait_for_outbox(jean, data["draft_key"])

    assert item.status == "sent"
    assert item.recipients == [["Zoé", "zoe@xn--acadmie-eya.fr"]]


def test_from_must_be_one_of_the_users_identities(jean_client, jean, marie):
    someone_else = Identity.for_user(marie)[0]
    data = compose_data(jean, to="marie.martin@example.org", subject="Usurpation", body="x")
    data["identity"] = someone_else.pk

    response = send(jean_client, data)

    assert response.status_code == 422
    assert not OutboxItem.objects.filter(user=jean).exists()


def test_sent_addresses_are_suggested_afterwards(jean_client, jean, marie):
    data = compose_data(jean, to="Marie Martin <marie.martin@example.org>", subject="x", body="x")
    send(jean_client, data)
    wait_for_outbox(jean, data["draft_key"])

    for query in ("mar", "MART", "marie.m"):
        response = jean_client.get(reverse("addressbook:autocomplete"), {"q": query})
        assert response.json()["results"] == [
            {"name": "Marie Martin", "address": "marie.martin@example.org", "source": "recent"}
        ]
    assert jean_client.get(reverse("addressbook:autocomplete"), {"q": "zz"}).json() == {
        "results": []
    }


def test_with_the_mail_server_down_the_page_keeps_what_was_typed(stack, jean_client, jean):
    data = compose_data(jean, to="marie.martin@example.org", subject="Panne", body="Long texte")

    with stopped(stack, "dovecot"):
        response = send(jean_client, data)

    assert response.status_code == 503
    page = response.content.decode()
    assert "The mail server did not answer, so nothing was sent." in page
    assert 'value="Panne"' in page
    assert "Long texte" in page
    assert not OutboxItem.objects.filter(user=jean).exists()


def test_a_message_too_large_for_the_server_fails_with_its_reason_and_the_draft_kept(
    settings, jean_client, jean
):
    """The submission server takes at most 60 MB (deploy/local/dovecot.conf.in). The
    queued message is grown past that in storage (a sparse file: nothing is written), so
    the server refuses it at MAIL FROM ... SIZE=, as it would a message built too big."""
    settings.UNDO_SEND_SECONDS = 300  # it waits in the outbox; the test sends it
    data = compose_data(jean, to="marie.martin@example.org", subject="Trop lourd", body="x")
    send(jean_client, data)
    item = OutboxItem.objects.get(user=jean, draft_key=data["draft_key"])
    with open(default_storage.path(outbox.message_name(item)), "r+b") as stored:
        stored.truncate(70 * 1024 * 1024)
    OutboxItem.objects.filter(pk=item.pk).update(send_at=timezone.now())

    outbox.send_item(str(item.pk))

    item.refresh_from_db()
    assert (item.status, item.error) == ("failed", "too_large")
    page = jean_client.get(reverse("mailbox:outbox-item", args=[item.pk])).content.decode()
    assert "The message is too large for the server." in page
    assert len(folder_messages(jean, "\\Drafts")) == 1
