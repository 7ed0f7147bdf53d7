"""Large files: chunked, resumable upload; download links with expiry, password, revoke.

Protocol (mailbox/urls.py, static/js/attachments.js): the page creates an upload with the
file's name and size, then sends chunks of at most CHUNK_MAX_BYTES, each with the offset
it starts at. The server answers with the offset it now holds; after a failure the page
asks for that offset and goes on from there. Chunks are stored as separate objects in
Django storage (so object storage works too) and joined by a Celery task at the end.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404, UnreadablePostError
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from mailbox.errors import UploadRefused
from mailbox.filenames import clean_filename
from mailbox.models import SharedFile, Upload
from webmail.errors import TaskQueueUnavailable
from webmail.services.tasks_queue import enqueue

logger = logging.getLogger(__name__)

# What the page sends: small enough to finish within gunicorn's timeout on a slow link.
CHUNK_SIZE = 4 * 1024 * 1024
CHUNK_MAX_BYTES = 16 * 1024 * 1024
COPY_CHUNK = 1024 * 1024
PASSWORD_FAILURES_BEFORE_LOCK = 5
PASSWORD_LOCK = timedelta(minutes=15)
# A large upload that stopped half-way this long ago cannot resume any more (the page
# that held the file is gone): its chunks are deleted.
ABANDONED_AFTER = timedelta(days=2)


# ---- upload ----
def start_upload(
    user, draft_key: str, filename: str, size: int, content_type: str, link_days: int, password: str
) -> Upload:
    """Create a large upload and its (not yet issued) link. Raises UploadRefused."""
    from mailbox.uploads import _clean_content_type, large_file_limit_bytes

    if not draft_key or len(draft_key) > 64:
        raise UploadRefused(_("This compose window is not valid any more. Reload the page."))
    if size <= 0:
        raise UploadRefused(_("This file is empty."))
    if size > large_file_limit_bytes():
        raise UploadRefused(
            _("Files are limited to %(limit)s MB, even as a download link.")
            % {"limit": settings.LARGE_FILE_MAX_MB}
        )
    if not 1 <= link_days <= settings.LARGE_FILE_LINK_MAX_DAYS:
        raise UploadRefused(
            _("A link works from 1 to %(max)s days.") % {"max": settings.LARGE_FILE_LINK_MAX_DAYS}
        )
    with transaction.atomic():
        upload = Upload.objects.create(
            owner=user,
            draft_key=draft_key,
            filename=clean_filename(filename),
            content_type=_clean_content_type(content_type),
            size=size,
            is_large_file=True,
        )
        SharedFile.objects.create(
            upload=upload,
            owner=user,
            link_days=link_days,
            password_hash=make_password(password) if password else "",
        )
    return upload


def _parts_dir(upload: Upload) -> str:
    return f"uploads/{upload.owner_id}/{upload.pk}.parts"


def _part_name(upload: Upload, offset: int) -> str:
    return f"{_parts_dir(upload)}/{offset:013d}"


class _BoundedStream:
    """Reads at most `length` bytes of a request body, chunk by chunk."""

    def __init__(self, stream, length: int) -> None:
        self.stream = stream
        self.remaining = length

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        size = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self.stream.read(size)
        self.remaining -= len(data)
        return data


def append_chunk(upload: Upload, offset: int, stream, length: int) -> int:
    """Store the chunk that starts at `offset`; return the offset the server now holds.

    A chunk at another offset than the server's is ignored (the page resumes from the
    returned offset). Raises UploadRefused for a chunk that is too long or was cut off.
    """
    if offset != upload.received or upload.received >= upload.size:
        return upload.received
    if length <= 0 or length > CHUNK_MAX_BYTES or offset + length > upload.size:
        raise UploadRefused(_("This part of the file is not valid. Retry the upload."))
    name = _part_name(upload, offset)
    default_storage.delete(name)  # a leftover of an interrupted attempt
    try:
        stored = default_storage.save(name, File(_BoundedStream(stream, length), name=name))
    except (UnreadablePostError, OSError) as exc:
        default_storage.delete(name)
        raise UploadRefused(_("The connection was cut. The upload will resume.")) from exc
    if default_storage.size(stored) != length:
        default_storage.delete(stored)
        raise UploadRefused(_("The connection was cut. The upload will resume."))
    moved = Upload.objects.filter(pk=upload.pk, received=offset).update(received=offset + length)
    if not moved:  # another request stored this chunk meanwhile
        default_storage.delete(stored)
        upload.refresh_from_db(fields=["received"])
        return upload.received
    upload.received = offset + length
    if upload.received == upload.size:
        queue_assembly(upload)
    return upload.received


def queue_assembly(upload: Upload) -> None:
    from mailbox.tasks import assemble_large_file

    try:
        enqueue(assemble_large_file, str(upload.pk))
    except TaskQueueUnavailable as exc:
        # Stays `pending`; "Scan again" on the page queues it once the queue is back.
        logger.warning("assembly not queued: upload=%s detail=%s", upload.pk, exc.detail)


def assemble(upload_id: str) -> None:
    """Join the parts in order into the upload's file, hashing on the way; then scan.

    Safe to run twice: a file already assembled is only scanned.
    """
    from mailbox.uploads import request_scan

    upload = Upload.objects.filter(pk=upload_id, is_large_file=True).first()
    if upload is None or upload.received < upload.size:
        return
    if not upload.file:
        _, parts = default_storage.listdir(_parts_dir(upload))
        joined = _JoinedParts([f"{_parts_dir(upload)}/{part}" for part in sorted(parts)])
        upload.file.save(upload.filename, File(joined, name=upload.filename), save=False)
        Upload.objects.filter(pk=upload.pk).update(file=upload.file.name, sha256=joined.sha256())
        delete_parts(upload)
    request_scan(upload)


class _JoinedParts:
    """The parts read one after the other as one stream, with their sha256."""

    def __init__(self, names: list[str]) -> None:
        self.names = list(names)
        self.current = None
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        size = COPY_CHUNK if size is None or size < 0 else size
        while True:
            if self.current is None:
                if not self.names:
                    return b""
                self.current = default_storage.open(self.names.pop(0), "rb")
            data = self.current.read(size)
            if data:
                self.digest.update(data)
                return data
            self.current.close()
            self.current = None

    def sha256(self) -> str:
        return self.digest.hexdigest()


def delete_parts(upload: Upload) -> None:
    directory = _parts_dir(upload)
    try:
        _, parts = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for part in parts:
        default_storage.delete(f"{directory}/{part}")
    default_storage.delete(directory)  # the empty folder, on a file system


# ---- links ----
@dataclass(frozen=True)
class IssuedLink:
    filename: str
    size: int
    url: str
    expires_at: datetime
    has_password: bool


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_token(shared: SharedFile) -> str:
    """The link's 256-bit token: an HMAC under SECRET_KEY of the link and its expiry.

    Only its hash is stored, so the database alone reveals no link; the key lets the
    sender's page show the link again to copy. A new expiry (a new issue) is a new token.
    """
    message = f"{shared.pk}:{int(shared.expires_at.timestamp())}"
    digest = salted_hmac("mailbox.shared-file", message, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def link_url(shared: SharedFile, site_root: str) -> str:
    from django.urls import reverse

    return site_root.rstrip("/") + reverse("shared-file", args=[link_token(shared)])


def issue_links(uploads, site_root: str) -> list[IssuedLink]:
    """Give each large file of a message its link, valid `link_days` from now.

    Called when sending, to put the links in the message. A send that is retried
    issues new links, and the earlier ones stop working.
    """
    links = []
    for upload in uploads:
        if not upload.is_large_file:
            continue
        shared = upload.shared
        shared.expires_at = timezone.now().replace(microsecond=0) + timedelta(days=shared.link_days)
        shared.token_hash = _token_hash(link_token(shared))
        shared.save(update_fields=["token_hash", "expires_at"])
        links.append(
            IssuedLink(
                upload.filename,
                upload.size,
                link_url(shared, site_root),
                shared.expires_at,
                bool(shared.password_hash),
            )
        )
    return links


def get_shared_file_by_token(token: str) -> SharedFile:
    """The link's file, whatever its state; Http404 when no link has this token."""
    if not token or len(token) > 100:
        raise Http404("no such link")
    try:
        return SharedFile.objects.select_related("upload").get(token_hash=_token_hash(token))
    except SharedFile.DoesNotExist:
        raise Http404("no such link") from None


def is_available(shared: SharedFile) -> bool:
    """False once the link expired, was revoked, or its file was deleted (HTTP 410)."""
    return (
        shared.revoked_at is None
        and shared.file_deleted_at is None
        and shared.expires_at is not None
        and shared.expires_at > timezone.now()
        and shared.upload.scan_status == Upload.ScanStatus.CLEAN
        and bool(shared.upload.file)
    )


class PasswordLocked(Exception):
    pass


def check_link_password(shared: SharedFile, password: str) -> bool:
    """True if the password is right; after 5 wrong ones the link refuses for 15 minutes.

    Raises PasswordLocked while it refuses.
    """
    now = timezone.now()
    if shared.password_locked_until and shared.password_locked_until > now:
        raise PasswordLocked
    if check_password(password, shared.password_hash):
        SharedFile.objects.filter(pk=shared.pk).update(password_failures=0)
        return True
    failures = shared.password_failures + 1
    locked_until = now + PASSWORD_LOCK if failures >= PASSWORD_FAILURES_BEFORE_LOCK else None
    SharedFile.objects.filter(pk=shared.pk).update(
        password_failures=0 if locked_until else failures, password_locked_until=locked_until
    )
    if locked_until:
        raise PasswordLocked
    return False


def count_download(shared: SharedFile) -> None:
    SharedFile.objects.filter(pk=shared.pk).update(download_count=F("download_count") + 1)


def shared_files_for_user(user):
    """The links the user sent (issued ones), newest first."""
    return (
        SharedFile.objects.filter(owner=user)
        .exclude(token_hash="")
        .select_related("upload")
        .order_by("-created_at")
    )


def get_shared_file_for_user(user, shared_id: int) -> SharedFile:
    try:
        return SharedFile.objects.select_related("upload").get(pk=shared_id, owner=user)
    except SharedFile.DoesNotExist:
        raise Http404("no such shared file") from None


def revoke(shared: SharedFile) -> None:
    """The link stops working at once (410); the cleanup task deletes the bytes."""
    if shared.revoked_at is None:
        shared.revoked_at = timezone.now()
        shared.save(update_fields=["revoked_at"])


def delete_expired_files() -> int:
    """Delete the stored bytes of links that expired or were revoked, the attachments of
    sent messages, the chunks of large uploads abandoned half-way for ABANDONED_AFTER,
    and outgoing messages no item waits for. Returns how many links lost their file.
    Safe to run twice."""
    from mailbox.outbox import delete_orphan_messages
    from mailbox.uploads import (
        delete_stored_file,
        delete_upload,
        release_uploads_of_sent_messages,
    )

    release_uploads_of_sent_messages()
    delete_orphan_messages()
    now = timezone.now()
    abandoned = Upload.objects.filter(
        is_large_file=True, file="", created_at__lt=now - ABANDONED_AFTER
    ).exclude(scan_status=Upload.ScanStatus.INFECTED)
    for upload in abandoned:
        if upload.received < upload.size:
            delete_upload(upload)
    due = SharedFile.objects.filter(file_deleted_at__isnull=True).filter(
        Q(expires_at__lte=now) | Q(revoked_at__isnull=False)
    )
    count = 0
    for shared in due.select_related("upload"):
        delete_stored_file(shared.upload)
        SharedFile.objects.filter(pk=shared.pk).update(file_deleted_at=now)
        count += 1
    if count:
        logger.info("deleted %s expired or revoked shared files", count)
    return count
