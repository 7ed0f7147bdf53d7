"""A file over the attachment limit goes as a link: chunked and resumable upload, scan,
download without an account, password, revoke, expiry (410) and the cleanup task."""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mailbox import uploads
from mailbox.errors import AttachmentsNotReady
from mailbox.models import SharedFile, Upload
from mailbox.tasks import delete_expired_shared_files
from tests.mailbox.upload_helpers import (
    EICAR,
    SITE,
    download_bytes,
    new_draft_key,
    send_as_link,
    send_chunk,
    start,
    upload_large,
    wait_for_scan,
)

MB = 1024 * 1024


def stored_path(upload_id) -> Path:
    return Path(settings.MEDIA_ROOT) / Upload.objects.get(pk=upload_id).file.name


def test_a_60_mb_file_becomes_a_link_that_returns_the_same_bytes(logged_in_client, account, client):
    data = os.urandom(60 * MB)
    draft = new_draft_key()
    upload_id = upload_large(logged_in_client, draft, "video-sortie.mp4", data)

    upload = wait_for_scan(upload_id)
    assert upload.scan_status == "clean"
    assert upload.sha256 == hashlib.sha256(data).hexdigest()
    [link] = send_as_link(account, draft)
    assert link.url.startswith(f"{SITE}/files/")
    assert link.filename == "video-sortie.mp4"
    assert timedelta(days=6, hours=23) < link.expires_at - timezone.now() <= timedelta(days=7)
    assert Upload.objects.get(pk=upload_id).draft_key == ""  # kept after the send

    path = link.url.removeprefix(SITE)
    page = client.get(path)  # no account: recipients may be outside
    assert page.status_code == 200
    assert "video-sortie.mp4" in page.content.decode()
    response = client.get(path + "download")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert hashlib.sha256(download_bytes(response)).digest() == hashlib.sha256(data).digest()
    assert SharedFile.objects.get(upload_id=upload_id).download_count == 1

    # A cut download resumes where it stopped, without counting as another download.
    resumed = client.get(path + "download", headers={"Range": f"bytes={50 * MB}-"})
    assert resumed.status_code == 206
    assert resumed["Content-Range"] == f"bytes {50 * MB}-{60 * MB - 1}/{60 * MB}"
    assert download_bytes(resumed) == data[50 * MB :]
    past_end = client.get(path + "download", headers={"Range": f"bytes={60 * MB}-"})
    assert past_end.status_code == 416
    assert SharedFile.objects.get(upload_id=upload_id).download_count == 1


def test_the_upload_resumes_from_the_offset_the_server_holds(logged_in_client):
    data = os.urandom(20 * MB)
    draft = new_draft_key()
    started = start(logged_in_client, draft, "archive.zip", len(data)).json()
    chunk = started["chunk_size"]
    send_chunk(logged_in_client, started["id"], 0, data[:chunk])

    # The page lost the answer and tries a later chunk: the server says where it is.
    skipped = send_chunk(logged_in_client, started["id"], 2 * chunk, data[2 * chunk :])
    assert skipped.status_code == 409
    assert skipped.json()["offset"] == chunk
    offset_url = reverse("mailbox:large-file-offset", args=[started["id"]])
    assert logged_in_client.get(offset_url).json() == {"offset": chunk, "size": len(data)}
    # The same chunk sent twice is stored once.
    again = send_chunk(logged_in_client, started["id"], 0, data[:chunk])
    assert again.json()["offset"] == chunk

    offset = chunk
    while offset < len(data):
        answer = send_chunk(logged_in_client, started["id"], offset, data[offset : offset + chunk])
        offset = answer.json()["offset"]
    upload = wait_for_scan(started["id"])
    with upload.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).digest() == hashlib.sha256(data).digest()
    assert not (stored_path(started["id"]).parent / f"{started['id']}.parts").exists()


def test_revoked_and_expired_links_answer_410_and_the_cleanup_task_deletes_the_files(
    logged_in_client, account, client
):
    draft = new_draft_key()
    kept = upload_large(logged_in_client, draft, "revoked.pdf", os.urandom(MB))
    expiring = upload_large(logged_in_client, draft, "expired.pdf", os.urandom(MB))
    wait_for_scan(kept)
    wait_for_scan(expiring)
    links = {link.filename: link.url.removeprefix(SITE) for link in send_as_link(account, draft)}
    revoked_path, expired_path = stored_path(kept), stored_path(expiring)

    shared = SharedFile.objects.get(upload_id=kept)
    logged_in_client.post(reverse("mailbox:shared-file-revoke", args=[shared.pk]))
    SharedFile.objects.filter(upload_id=expiring).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    for name in ("revoked.pdf", "expired.pdf"):
        assert client.get(links[name]).status_code == 410
        gone = client.get(links[name] + "download")
        assert gone.status_code == 410
        assert "This link no longer works" in gone.content.decode()
    assert revoked_path.exists()
    assert expired_path.exists()

    # The beat task, run by the real worker.
    assert delete_expired_shared_files.delay().get(timeout=60) == 2
    assert not revoked_path.exists()
    assert not expired_path.exists()
    assert client.get(links["expired.pdf"]).status_code == 410
    assert delete_expired_shared_files.delay().get(timeout=60) == 0  # safe to run twice


def test_a_password_protected_link_asks_for_it_and_locks_after_five_wrong_ones(
    logged_in_client, account, client
):
    data = os.urandom(MB)
    draft = new_draft_key()
    wait_for_scan(upload_large(logged_in_client, draft, "notes.ods", data, password="Tulipe-42"))
    [link] = send_as_link(account, draft)
    download = link.url.removeprefix(SITE) + "download"
    assert link.has_password

    assert client.get(download).status_code == 302  # to the page that asks it
    assert client.post(download, {"password": "nope"}).status_code == 403
    right = client.post(download, {"password": "Tulipe-42"})
    assert right.status_code == 200
    assert download_bytes(right) == data
    for _ in range(4):
        assert client.post(download, {"password": "nope"}).status_code == 403
    locked = client.post(download, {"password": "nope"})
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.content.decode()
    assert client.post(download, {"password": "Tulipe-42"}).status_code == 429


def test_an_infected_large_file_is_refused(logged_in_client, account):
    draft = new_draft_key()
    upload = wait_for_scan(upload_large(logged_in_client, draft, "outil.exe", EICAR))

    assert upload.scan_status == "infected"
    with pytest.raises(AttachmentsNotReady):
        uploads.check_ready_to_send(uploads.uploads_for_draft(account, draft))


def test_the_sender_lists_their_links_and_only_they_can_revoke(
    logged_in_client, account, make_account, client
):
    draft = new_draft_key()
    wait_for_scan(upload_large(logged_in_client, draft, "diaporama.odp", os.urandom(MB)))
    [link] = send_as_link(account, draft)
    page = logged_in_client.get(reverse("mailbox:shared-files")).content.decode()
    assert "diaporama.odp" in page
    assert link.url in page  # the link to copy

    shared = SharedFile.objects.get(owner=account)
    client.force_login(make_account())
    assert "diaporama.odp" not in client.get(reverse("mailbox:shared-files")).content.decode()
    revoke = reverse("mailbox:shared-file-revoke", args=[shared.pk])
    assert client.post(revoke).status_code == 404
    assert SharedFile.objects.get(pk=shared.pk).revoked_at is None


def test_files_over_the_large_file_limit_are_refused(logged_in_client, settings):
    settings.LARGE_FILE_MAX_MB = 1
    response = start(logged_in_client, new_draft_key(), "film.mkv", 2 * MB)

    assert response.status_code == 422
    assert "limited to 1 MB" in response.json()["error"]


def test_an_unknown_link_is_404(client, db):
    assert client.get(reverse("shared-file", args=["x" * 43])).status_code == 404


def test_the_cleanup_runs_on_the_beat_schedule():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "mailbox.tasks.delete_expired_shared_files" in tasks


def test_an_upload_abandoned_half_way_is_deleted_by_the_cleanup(logged_in_client, account):
    data = os.urandom(12 * MB)
    started = start(logged_in_client, new_draft_key(), "coupure.iso", len(data)).json()
    send_chunk(logged_in_client, started["id"], 0, data[: started["chunk_size"]])
    parts = Path(settings.MEDIA_ROOT) / "uploads" / str(account.pk) / f"{started['id']}.parts"
    assert parts.is_dir()

    delete_expired_shared_files.delay().get(timeout=60)
    assert Upload.objects.filter(pk=started["id"]).exists()  # it may still resume
    Upload.objects.filter(pk=started["id"]).update(created_at=timezone.now() - timedelta(days=3))
    delete_expired_shared_files.delay().get(timeout=60)
    assert not Upload.objects.filter(pk=started["id"]).exists()
    assert not parts.exists()


def test_the_sender_chooses_how_long_the_link_works_up_to_30_days(logged_in_client, account):
    draft = new_draft_key()
    too_long = start(logged_in_client, draft, "x.bin", MB, link_days=31)
    assert too_long.status_code == 422
    wait_for_scan(upload_large(logged_in_client, draft, "x.bin", os.urandom(MB), link_days=30))

    [link] = send_as_link(account, draft)
    assert timedelta(days=29, hours=23) < link.expires_at - timezone.now() <= timedelta(days=30)
