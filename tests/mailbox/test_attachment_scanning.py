"""Every uploaded file is scanned by the real clamd in a real Celery worker before sending."""

import hashlib
import time

import pytest
from django.template import Context, Template
from django.urls import reverse

from mailbox import uploads
from mailbox.errors import AttachmentsNotReady
from mailbox.models import Upload
from tests.mailbox.upload_helpers import (
    CLEAN,
    EICAR,
    new_draft_key,
    upload_file,
    wait_for_scan,
)
from tests.servers import stopped


def test_a_clean_file_is_scanned_by_the_worker_and_may_be_sent(logged_in_client, account):
    draft = new_draft_key()
    response = upload_file(logged_in_client, draft, "bulletin.pdf", CLEAN)

    assert response.status_code == 201
    assert response.json()["scan_status"] == "pending"
    upload = wait_for_scan(response.json()["id"])
    assert upload.scan_status == "clean"
    assert upload.sha256 == hashlib.sha256(CLEAN).hexdigest()
    with upload.file.open("rb") as stored:
        assert stored.read() == CLEAN
    uploads.check_ready_to_send(uploads.uploads_for_draft(account, draft))  # no error
    statuses = logged_in_client.get(reverse("mailbox:attachment-statuses", args=[draft]))
    assert [(f["filename"], f["scan_status"]) for f in statuses.json()["files"]] == [
        ("bulletin.pdf", "clean")
    ]


def test_the_eicar_file_is_refused_and_its_bytes_deleted(logged_in_client, account):
    draft = new_draft_key()
    upload_file(logged_in_client, draft, "bulletin.pdf", CLEAN)
    response = upload_file(logged_in_client, draft, "facture.exe", EICAR)

    upload = wait_for_scan(response.json()["id"])
    assert upload.scan_status == "infected"
    assert "Eicar" in upload.scan_detail
    assert not upload.file  # the bytes are gone; the row tells the user
    with pytest.raises(AttachmentsNotReady) as refused:
        uploads.check_ready_to_send(uploads.uploads_for_draft(account, draft))
    assert "facture.exe contains a virus and was refused" in str(refused.value.user_message)

    logged_in_client.post(reverse("mailbox:attachment-delete", args=[upload.pk]))
    remaining = uploads.uploads_for_draft(account, draft)
    assert [u.filename for u in remaining] == ["bulletin.pdf"]


def test_with_clamd_stopped_sending_waits_and_nothing_is_lost(stack, logged_in_client, account):
    draft = new_draft_key()
    with stopped(stack, "clamd"):
        response = upload_file(logged_in_client, draft, "compte-rendu.pdf", CLEAN)
        upload = wait_for_scan(response.json()["id"], statuses=("error",))
        with pytest.raises(AttachmentsNotReady) as waiting:
            uploads.check_ready_to_send(uploads.uploads_for_draft(account, draft))
        assert "scanner is unavailable" in str(waiting.value.user_message)
        assert "your draft and files are kept" in str(waiting.value.user_message)
        with upload.file.open("rb") as stored:
            assert stored.read() == CLEAN

    logged_in_client.post(reverse("mailbox:attachment-rescan", args=[upload.pk]))
    assert wait_for_scan(upload.pk).scan_status == "clean"
    uploads.check_ready_to_send(uploads.uploads_for_draft(account, draft))


def test_with_the_worker_stopped_the_scan_waits_in_the_queue(stack, logged_in_client, account):
    draft = new_draft_key()
    with stopped(stack, "celery-worker"):
        response = upload_file(logged_in_client, draft, "photo.jpg", CLEAN)
        time.sleep(2)
        assert Upload.objects.get(pk=response.json()["id"]).scan_status == "pending"
        with pytest.raises(AttachmentsNotReady) as waiting:
            uploads.check_ready_to_send(uploads.uploads_for_draft(account, draft))
        assert "still being checked for viruses" in str(waiting.value.user_message)

    # The queued scan runs as soon as a worker is back.
    assert wait_for_scan(response.json()["id"]).scan_status == "clean"


def test_attachments_over_the_message_limit_are_offered_the_link(
    logged_in_client, account, settings
):
    settings.ATTACHMENT_MAX_MESSAGE_MB = 1
    draft = new_draft_key()
    first = upload_file(logged_in_client, draft, "a.pdf", b"a" * 700_000)
    second = upload_file(logged_in_client, draft, "b.pdf", b"b" * 700_000)

    assert first.status_code == 201
    assert second.status_code == 422
    assert "Send this file as a download link instead" in second.json()["error"]
    assert [u.filename for u in uploads.uploads_for_draft(account, draft)] == ["a.pdf"]


def test_file_names_lose_their_path(logged_in_client, account):
    # CR/LF cannot even travel in a multipart header; tests/pure/test_filenames.py covers them.
    draft = new_draft_key()
    response = upload_file(logged_in_client, draft, "../../etc/rapport final.pdf", CLEAN)

    assert response.json()["filename"] == "rapport final.pdf"
    upload = Upload.objects.get(pk=response.json()["id"])
    assert upload.file.name == f"uploads/{account.pk}/{upload.pk}"


def test_another_users_file_is_not_found(logged_in_client, make_account, client):
    draft = new_draft_key()
    upload_id = upload_file(logged_in_client, draft, "a.pdf", CLEAN).json()["id"]
    other = make_account()
    client.force_login(other)

    assert client.post(reverse("mailbox:attachment-delete", args=[upload_id])).status_code == 404
    assert client.get(reverse("mailbox:attachment-statuses", args=[draft])).json() == {"files": []}
    assert Upload.objects.filter(pk=upload_id).exists()


def test_a_single_file_over_the_limit_is_refused_before_it_is_stored(
    logged_in_client, account, settings
):
    settings.ATTACHMENT_MAX_MESSAGE_MB = 1
    response = upload_file(logged_in_client, new_draft_key(), "film.mp4", b"v" * 2_000_000)

    assert response.status_code == 422
    assert "limited to 1 MB per message" in response.json()["error"]
    assert not Upload.objects.filter(owner=account).exists()


def test_a_reopened_compose_page_lists_the_files_with_their_state(logged_in_client, account, rf):
    draft = new_draft_key()
    wait_for_scan(upload_file(logged_in_client, draft, "bulletin.pdf", CLEAN).json()["id"])
    wait_for_scan(upload_file(logged_in_client, draft, "facture.exe", EICAR).json()["id"])
    request = rf.get("/mail/compose/")
    request.user = account

    panel = Template("{% load attachments %}{% attachments_panel key %}").render(
        Context({"request": request, "key": draft})
    )

    assert panel.count("data-attachment ") == 2
    assert "bulletin.pdf" in panel
    assert "Clean" in panel
    assert "Infected: refused" in panel


def test_with_redis_stopped_the_file_is_kept_and_can_be_scanned_later(
    stack, logged_in_client, account
):
    draft = new_draft_key()
    with stopped(stack, "redis"):
        response = upload_file(logged_in_client, draft, "compte-rendu.pdf", CLEAN)
        assert response.status_code == 201
        assert response.json()["scan_status"] == "error"
        with pytest.raises(AttachmentsNotReady):
            uploads.check_ready_to_send(uploads.uploads_for_draft(account, draft))

    logged_in_client.post(reverse("mailbox:attachment-rescan", args=[response.json()["id"]]))
    assert wait_for_scan(response.json()["id"]).scan_status == "clean"
