"""Files attached to a draft: storing, scanning, the send check and deletion.

The compose page identifies one compose session by an opaque `draft_key`; every function
here takes the user too, so a user reaches only their own files (404 otherwise).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mailbox.errors import AttachmentsNotReady, UploadRefused
from mailbox.filenames import clean_filename, human_size
from mailbox.models import Upload
from webmail.errors import TaskQueueUnavailable
from webmail.services.tasks_queue import enqueue

logger = logging.getLogger(__name__)

MB = 1024 * 1024
HASH_CHUNK = 1024 * 1024


def message_limit_bytes() -> int:
    return settings.ATTACHMENT_MAX_MESSAGE_MB * MB


def large_file_limit_bytes() -> int:
    return settings.LARGE_FILE_MAX_MB * MB


def uploads_for_draft(user, draft_key: str) -> QuerySet[Upload]:
    """The user's files of one compose session, oldest first."""
    return Upload.objects.filter(owner=user, draft_key=draft_key).select_related("shared")


def get_upload_for_user(user, upload_id) -> Upload:
    """The user's upload; Http404 for one that is missing or someone else's."""
    try:
        upload_uuid = uuid.UUID(str(upload_id))
    except ValueError:
        raise Http404("no such upload") from None
    try:
        return Upload.objects.select_related("shared").get(pk=upload_uuid, owner=user)
    except Upload.DoesNotExist:
        raise Http404("no such upload") from None


def attached_bytes(user, draft_key: str) -> int:
    """Total size of the draft's normal attachments (large files travel as links)."""
    total = (
        uploads_for_draft(user, draft_key)
        .filter(is_large_file=False)
        .aggregate(total=Sum("size"))["total"]
    )
    return total or 0


def too_large_message() -> str:
    return _(
        "Attachments are limited to %(limit)s MB per message. "
        "Send this file as a download link instead."
    ) % {"limit": settings.ATTACHMENT_MAX_MESSAGE_MB}


def save_upload(user, draft_key: str, uploaded: UploadedFile) -> Upload:
    """Store one attachment and queue its scan.

    Raises UploadRefused when it would take the draft over the per-message limit (the
    page then offers the large-file path) or is empty.
    """
    if not draft_key or len(draft_key) > 64:
        raise UploadRefused(_("This compose window is not valid any more. Reload the page."))
    if uploaded.size == 0:
        raise UploadRefused(_("This file is empty."))
    if attached_bytes(user, draft_key) + uploaded.size > message_limit_bytes():
        raise UploadRefused(too_large_message())
    digest = hashlib.sha256()
    for chunk in uploaded.chunks(HASH_CHUNK):
        digest.update(chunk)
    uploaded.seek(0)
    upload = Upload(
        owner=user,
        draft_key=draft_key,
        filename=clean_filename(uploaded.name or ""),
        content_type=_clean_content_type(uploaded.content_type),
        size=uploaded.size,
        received=uploaded.size,
        sha256=digest.hexdigest(),
    )
    upload.file.save(upload.filename, uploaded, save=True)
    request_scan(upload)
    return upload


def _clean_content_type(content_type: str | None) -> str:
    value = (content_type or "").split(";")[0].strip().lower()
    # type/subtype of token characters only: nothing that could break a MIME header.
    if value.count("/") == 1 and all(c.isalnum() or c in "/.+-_" for c in value):
        return value[:255]
    return "application/octet-stream"


def request_scan(upload: Upload) -> None:
    """Queue the antivirus scan. With Redis down the file is marked `error`: sending
    waits, and the page offers to scan again."""
    from mailbox.tasks import scan_upload

    if upload.scan_status != Upload.ScanStatus.PENDING:
        upload.scan_status = Upload.ScanStatus.PENDING
        upload.scan_detail = ""
        upload.save(update_fields=["scan_status", "scan_detail"])
    try:
        enqueue(scan_upload, str(upload.pk))
    except TaskQueueUnavailable as exc:
        # Shown as "scanner unavailable", with "Scan again" once the queue is back.
        logger.warning("scan not queued: upload=%s detail=%s", upload.pk, exc.detail)
        upload.scan_status = Upload.ScanStatus.ERROR
        upload.scan_detail = "queue unavailable"
        upload.save(update_fields=["scan_status", "scan_detail"])


def _waiting_message(status: str, count: int) -> str:
    """Why sending waits, for files in this state; `%(names)s` is filled in."""
    if status == Upload.ScanStatus.INFECTED:
        return ngettext(
            "The file %(names)s contains a virus and was refused. Remove it to send.",
            "The files %(names)s contain a virus and were refused. Remove them to send.",
            count,
        )
    if status == "incomplete":
        return _("%(names)s is still uploading. Sending waits; your draft and files are kept.")
    if status == Upload.ScanStatus.ERROR:
        return _(
            "The antivirus scanner is unavailable, so %(names)s cannot be checked yet. "
            "Sending waits; your draft and files are kept. Try again shortly."
        )
    return _(
        "%(names)s is still being checked for viruses. Sending waits; your draft "
        "and files are kept. If this lasts, the scanning service may be down."
    )


def _blocking_state(upload: Upload) -> str | None:
    if upload.scan_status == Upload.ScanStatus.INFECTED:
        return upload.scan_status
    if not upload.is_complete:
        return "incomplete"
    if upload.scan_status != Upload.ScanStatus.CLEAN:
        return upload.scan_status
    return None


def check_ready_to_send(uploads: Iterable[Upload]) -> None:
    """Raise AttachmentsNotReady unless every file is complete and scanned clean.

    The message says why sending waits (an infected file first, then one still
    uploading, the scanner down, a scan running); the draft and its files are kept.
    """
    uploads = list(uploads)
    for state in (Upload.ScanStatus.INFECTED, "incomplete", Upload.ScanStatus.ERROR, "pending"):
        blocked = [u for u in uploads if _blocking_state(u) == state]
        if blocked:
            names = ", ".join(u.filename for u in blocked)
            message = _waiting_message(state, len(blocked)) % {"names": names}
            raise AttachmentsNotReady(message, blocked)
    attached = sum(u.size for u in uploads if not u.is_large_file)
    if attached > message_limit_bytes():
        raise AttachmentsNotReady(
            _("Attachments total %(size)s, over the limit of %(limit)s MB per message.")
            % {"size": human_size(attached), "limit": settings.ATTACHMENT_MAX_MESSAGE_MB},
            [u for u in uploads if not u.is_large_file],
        )


def delete_stored_file(upload: Upload) -> None:
    """Remove the bytes from storage (and any chunk parts); the row stays."""
    from mailbox.large_files import delete_parts

    if upload.file:
        upload.file.delete(save=False)
    if upload.is_large_file:
        delete_parts(upload)
    Upload.objects.filter(pk=upload.pk).update(file="")


def delete_upload(upload: Upload) -> None:
    """Delete one file of a draft, bytes and row (its link, if any, goes with it)."""
    delete_stored_file(upload)
    upload.delete()


def delete_draft_uploads(user, draft_key: str) -> None:
    """Discarding a draft: delete all its files, large ones included."""
    for upload in uploads_for_draft(user, draft_key):
        delete_upload(upload)


def release_sent_uploads(user, draft_key: str) -> None:
    """After a successful send: attachments are deleted; large files live on as links.

    A large file whose link was issued leaves the draft (empty draft_key); its bytes are
    deleted by the cleanup task when the link expires.
    """
    for upload in uploads_for_draft(user, draft_key):
        shared = getattr(upload, "shared", None)
        if upload.is_large_file and shared is not None and shared.token_hash:
            Upload.objects.filter(pk=upload.pk).update(draft_key="")
        else:
            delete_upload(upload)


def release_uploads_of_sent_messages() -> int:
    """Release the files of every draft that was sent (its outbox item is `sent`).

    Run by the hourly cleanup, so that the send path need not wait for storage; returns
    how many drafts were released. Safe to run twice.
    """
    from mailbox.models import OutboxItem

    sent = OutboxItem.objects.filter(
        user=OuterRef("owner"), draft_key=OuterRef("draft_key"), status=OutboxItem.Status.SENT
    )
    drafts = (
        Upload.objects.exclude(draft_key="")
        .filter(Exists(sent))
        .values_list("owner", "draft_key")
        .distinct()
    )
    drafts = list(drafts)
    owners = get_user_model().objects.in_bulk({owner_id for owner_id, _key in drafts})
    for owner_id, draft_key in drafts:
        release_sent_uploads(owners[owner_id], draft_key)
    return len(drafts)
