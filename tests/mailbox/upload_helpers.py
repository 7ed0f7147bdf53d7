"""Uploading through the compose page's endpoints, and waiting for the real scan."""

import time
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mailbox import large_files, uploads
from mailbox.models import Upload

# Built from two halves so that no file in the repository is itself the test virus.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CLEAN = b"%PDF-1.4 bulletin trimestriel\n" * 2000
SITE = "http://testserver"


def new_draft_key() -> str:
    return uuid.uuid4().hex


def upload_file(client, draft_key: str, name: str, data: bytes, content_type="application/pdf"):
    url = reverse("mailbox:attachment-upload", args=[draft_key])
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type)})


def wait_for_scan(upload_id, statuses=("clean", "infected"), timeout=90.0) -> Upload:
    """Poll the database until the worker recorded one of `statuses`."""
    deadline = time.monotonic() + timeout
    while True:
        upload = Upload.objects.get(pk=upload_id)
        if upload.scan_status in statuses:
            return upload
        if time.monotonic() > deadline:
            raise AssertionError(f"scan still {upload.scan_status!r} after {timeout} s")
        time.sleep(0.3)


def start(client, draft, name, size, link_days=7, password=""):
    return client.post(
        reverse("mailbox:large-file-start", args=[draft]),
        {"filename": name, "size": size, "link_days": link_days, "password": password},
    )


def send_chunk(client, upload_id, offset, data):
    url = reverse("mailbox:large-file-chunk", args=[upload_id]) + f"?offset={offset}"
    return client.post(url, data=data, content_type="application/octet-stream")


def upload_large(client, draft, name, data, **options) -> str:
    started = start(client, draft, name, len(data), **options)
    assert started.status_code == 201, started.content
    upload_id = started.json()["id"]
    chunk = started.json()["chunk_size"]
    offset = 0
    while offset < len(data):
        answer = send_chunk(client, upload_id, offset, data[offset : offset + chunk])
        assert answer.status_code == 200, answer.content
        offset = answer.json()["offset"]
    return upload_id


def download_bytes(response) -> bytes:
    return b"".join(response.streaming_content)


def send_as_link(account, draft):
    """What the send path does: check, issue the links, release the draft's files."""
    files = list(uploads.uploads_for_draft(account, draft))
    uploads.check_ready_to_send(files)
    links = large_files.issue_links(files, SITE)
    uploads.release_sent_uploads(account, draft)
    return links
