"""A large attachment is never whole in the web process's memory when sending: the draft
and the message are written to files, streamed to IMAP, and wait for the worker in
storage, which deletes them once the message has left or was cancelled."""

import hashlib
import io
import os
import time
import tracemalloc

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from mailbox import outbox
from mailbox.models import OutboxItem
from mailbox.services import smtp
from mailbox.tasks import delete_expired_shared_files
from tests.mailbox.compose_helpers import (
    compose_data,
    folder_messages,
    send,
    wait_for_messages,
    wait_for_outbox,
)
from tests.mailbox.upload_helpers import upload_file, wait_for_scan

MB = 1024 * 1024


def test_sending_8_mb_allocates_less_than_the_file_and_it_arrives_whole(
    jean_client, jean, marie, settings
):
    settings.UNDO_SEND_SECONDS = 0
    data = compose_data(
        jean,
        to="marie.martin@example.org",
        bcc="jean.dupont@example.org",
        subject="Le gros rapport",
    )
    report = os.urandom(8 * MB)
    uploaded = upload_file(jean_client, data["draft_key"], "rapport.pdf", report)
    assert wait_for_scan(uploaded.json()["id"]).scan_status == "clean"

    tracemalloc.start()
    try:
        response = send(jean_client, data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 302
    # Saving the draft and writing the message (11 MB in base64, twice) took a few chunks.
    assert peak < 3 * MB, f"the Send request allocated {peak / MB:.1f} MB at its peak"
    item = wait_for_outbox(jean, data["draft_key"])
    assert item.status == "sent"
    ((_uid, _flags, received),) = wait_for_messages(marie, "INBOX", 1)
    [attachment] = received.iter_attachments()
    assert hashlib.sha256(attachment.get_content()).digest() == hashlib.sha256(report).digest()
    assert "Bcc" not in received
    # The copy in Sent keeps the Bcc, written in front of the stored message.
    ((_uid, _flags, copy),) = folder_messages(jean, "\\Sent")
    assert copy["Message-ID"] == received["Message-ID"]
    assert copy["Bcc"] == "jean.dupont@example.org"
    [filed] = copy.iter_attachments()
    assert filed.get_content() == report
    assert folder_messages(jean, "\\Drafts") == []
    assert not default_storage.exists(outbox.message_name(item))  # gone with the message


def test_the_waiting_message_is_in_storage_until_undo_deletes_it(jean_client, jean, settings):
    settings.UNDO_SEND_SECONDS = 30
    data = compose_data(jean, to="marie.martin@example.org", subject="Oups", body="Texte")

    send(jean_client, data)

    item = OutboxItem.objects.get(user=jean, draft_key=data["draft_key"])
    binary = [f for f in OutboxItem._meta.concrete_fields if isinstance(f, models.BinaryField)]
    assert binary == []  # not in the database row
    with default_storage.open(outbox.message_name(item), "rb") as stored:
        waiting = stored.read()
    assert b"Subject: Oups" in waiting
    assert b"X-Webmail-Draft-Key" not in waiting  # the message to submit, not the draft

    assert outbox.cancel(item)

    assert not default_storage.exists(outbox.message_name(item))
    assert len(folder_messages(jean, "\\Drafts")) == 1


def test_a_refused_message_keeps_the_draft_and_not_the_stored_bytes(jean_client, jean, settings):
    settings.UNDO_SEND_SECONDS = 0
    data = compose_data(jean, to="personne.inconnue@example.org", subject="Perdu", body="x")

    send(jean_client, data)

    item = wait_for_outbox(jean, data["draft_key"])
    assert item.status == "failed"
    assert not default_storage.exists(outbox.message_name(item))
    assert len(folder_messages(jean, "\\Drafts")) == 1


def test_a_message_sent_from_a_file_keeps_lines_that_start_with_a_dot(jean, marie, monkeypatch):
    # Tiny chunks, so that lines start with a dot on both sides of a chunk boundary.
    monkeypatch.setattr(smtp, "DATA_CHUNK_BYTES", 7)
    body = "Liste :\r\n.un\r\n..deux\r\n.\r\nfin.\r\n"
    raw = (
        f"From: {jean.mail_address}\r\nTo: {marie.mail_address}\r\nSubject: Points\r\n"
        f"Message-ID: <points@example.org>\r\n\r\n{body}"
    ).encode()

    smtp.send_file(jean.mail_account, io.BytesIO(raw), [marie.mail_address])

    ((_uid, _flags, received),) = wait_for_messages(marie, "INBOX", 1)
    assert received["Subject"] == "Points"
    assert received.get_content().replace("\r\n", "\n") == body.replace("\r\n", "\n")


def test_a_message_lost_from_storage_fails_and_the_draft_stays(jean_client, jean, settings):
    settings.UNDO_SEND_SECONDS = 30
    data = compose_data(jean, to="marie.martin@example.org", subject="Égaré", body="x")
    send(jean_client, data)
    item = OutboxItem.objects.get(user=jean, draft_key=data["draft_key"])
    default_storage.delete(outbox.message_name(item))
    OutboxItem.objects.filter(pk=item.pk).update(send_at=timezone.now())

    outbox.send_item(str(item.pk))  # what the worker runs when the delay is over

    item.refresh_from_db()
    assert (item.status, item.error) == ("failed", "unavailable")
    assert len(folder_messages(jean, "\\Drafts")) == 1


def test_the_hourly_cleanup_deletes_stored_messages_no_item_waits_for(jean_client, jean, settings):
    settings.UNDO_SEND_SECONDS = 300
    data = compose_data(jean, to="marie.martin@example.org", subject="Plus tard", body="x")
    send(jean_client, data)
    waiting = outbox.message_name(OutboxItem.objects.get(user=jean))
    orphan = default_storage.save(
        "outbox/0f0e0d0c-0000-4000-8000-000000000000.eml", ContentFile(b"x")
    )
    recent = default_storage.save(
        "outbox/1f0e0d0c-0000-4000-8000-000000000000.eml", ContentFile(b"x")
    )
    two_hours_ago = time.time() - 7200
    for name in (waiting, orphan):
        os.utime(default_storage.path(name), (two_hours_ago, two_hours_ago))

    delete_expired_shared_files()  # the beat's hourly cleanup

    assert not default_storage.exists(orphan)
    assert default_storage.exists(waiting)  # its item is still queued
    assert default_storage.exists(recent)  # perhaps being recorded right now
