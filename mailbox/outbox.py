"""Outgoing messages: recorded as an OutboxItem before they are submitted, sent by a
Celery task (mailbox.tasks), then filed in Sent.

The message's bytes wait in Django storage (outbox/<item id>.eml), shared by the web
process that writes them and the worker that sends them, and are deleted once the copy
is in Sent, or when the item fails or is cancelled: a message is streamed from a file,
never whole in the web process's memory.

One item per draft key makes sending idempotent: pressing send twice, or a retried task,
sends once. Undo and send later only move `send_at` or cancel the item before a worker
claims it; the claim is one conditional UPDATE, so two workers never both send.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import BinaryIO

import redis
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from addressbook.collected import record_recipients
from mailbox.composing import Draft, bcc_header
from mailbox.drafts import remove_draft
from mailbox.errors import FolderNotFound
from mailbox.models import OutboxItem
from mailbox.services import imap, smtp
from webmail.errors import SubmissionServerUnavailable

logger = logging.getLogger(__name__)
Status = OutboxItem.Status
# A draft key whose item is in one of these states is never queued again.
NOT_AGAIN = {Status.QUEUED, Status.SENDING, Status.SENT}
# Sends due within this delay are queued with a countdown; later ones wait for the beat.
COUNTDOWN_LIMIT = timedelta(minutes=5)
OUTBOX_FOLDER = "outbox"  # in storage: one <item id>.eml per message waiting to be sent
ORPHAN_AFTER = timedelta(hours=1)


def queue_message(
    user, draft: Draft, message: BinaryIO, *, send_at: datetime, original: str = ""
) -> OutboxItem:
    """Record the message (a file, read from its start) and queue it for send_at. If
    this draft key already has an item queued, sending or sent, that item is returned
    unchanged: nothing is sent twice. A failed or cancelled item is replaced by this new
    version and queued again.
    """
    fields = {
        "bcc_header": bcc_header(draft),
        "recipients": [[a.name, a.address] for a in [*draft.to, *draft.cc, *draft.bcc]],
        "subject": draft.subject[:998],
        "message_id": draft.message_id,
        "original": original,
        "send_at": send_at,
        "status": Status.QUEUED,
        "error": "",
        "error_detail": "",
    }
    with transaction.atomic():
        item, created = OutboxItem.objects.select_for_update().get_or_create(
            user=user, draft_key=draft.draft_key, defaults=fields
        )
        if not created:
            if item.status in NOT_AGAIN:
                return item
            for name, value in fields.items():
                setattr(item, name, value)
            item.save()
        _store_message(item, message)
        transaction.on_commit(lambda: schedule(item))
    return item


def message_name(item: OutboxItem) -> str:
    """Where the item's message waits in storage."""
    return f"{OUTBOX_FOLDER}/{item.pk}.eml"


def _store_message(item: OutboxItem, message: BinaryIO) -> None:
    name = message_name(item)
    default_storage.delete(name)  # the version that failed or was cancelled
    stored = default_storage.save(name, File(message, name=name))
    if stored != name:  # storage chose another name: the worker would not find it
        default_storage.delete(stored)
        raise RuntimeError(f"outbox message stored as {stored}, not {name}")


def _message_file(item: OutboxItem) -> File:
    """The message as submitted, from storage. Raises FileNotFoundError."""
    return default_storage.open(message_name(item), "rb")


def _forget_message(item: OutboxItem) -> None:
    default_storage.delete(message_name(item))


def delete_orphan_messages() -> int:
    """Delete the stored messages no item waits for any more (the account was deleted,
    or a worker stopped between sending and deleting); those younger than ORPHAN_AFTER
    stay, in case their item is still being recorded. Run by the hourly cleanup;
    returns how many were deleted."""
    try:
        _folders, names = default_storage.listdir(OUTBOX_FOLDER)
    except FileNotFoundError:
        return 0
    waiting = OutboxItem.objects.filter(
        Q(status__in=[Status.QUEUED, Status.SENDING]) | Q(status=Status.SENT, filed_in_sent=False)
    )
    needed = {message_name(item) for item in waiting.only("pk")}
    cutoff = timezone.now() - ORPHAN_AFTER
    count = 0
    for name in (f"{OUTBOX_FOLDER}/{name}" for name in names):
        if name not in needed and default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            count += 1
    return count


def schedule(item: OutboxItem) -> None:
    """Hand a due-soon item to a worker; a later one (or one Redis refused) is found by
    the beat's sweep, send_due_items."""
    from mailbox.tasks import send_outbox_item

    delay = max(0.0, (item.send_at - timezone.now()).total_seconds())
    if delay > COUNTDOWN_LIMIT.total_seconds():
        return
    try:
        send_outbox_item.apply_async(args=[str(item.pk)], countdown=delay, retry=False)
    except (OperationalError, redis.RedisError, OSError) as exc:
        logger.warning("outbox item %s left for the sweep: %s", item.pk, exc)


def cancel(item: OutboxItem) -> bool:
    """Stop an item that no worker has claimed yet (undo send, cancel a later send)."""
    stopped = OutboxItem.objects.filter(pk=item.pk, status=Status.QUEUED)
    if not stopped.update(status=Status.CANCELLED):
        return False
    _forget_message(item)
    return True


def send_item(item_id: str) -> None:
    """Submit a due item and file it in Sent; safe to run twice. Raises
    MailServerUnavailable when filing fails (the task retries only the filing)."""
    claimed = OutboxItem.objects.filter(
        pk=item_id, status=Status.QUEUED, send_at__lte=timezone.now()
    ).update(status=Status.SENDING)
    if not claimed:
        pending = OutboxItem.objects.filter(pk=item_id, status=Status.SENT, filed_in_sent=False)
        for item in pending.select_related("user"):
            file_sent_item(item)
        return
    item = OutboxItem.objects.select_related("user").get(pk=item_id)
    envelope = [address for _name, address in item.recipients]
    try:
        with _message_file(item) as message:
            smtp.send_file(item.user.mail_account, message, envelope)
    except smtp.RecipientsRefused as exc:
        return _failed(item, "refused", "\n".join(f"{a}: {r}" for a, r in exc.refused.items()))
    except smtp.MessageRefused as exc:
        return _failed(item, "too_large" if exc.too_large else "rejected", str(exc))
    except SubmissionServerUnavailable as exc:
        return _failed(item, "unavailable", exc.detail)
    except FileNotFoundError as exc:  # storage lost the file: the draft can be sent again
        return _failed(item, "unavailable", f"message not found in storage: {exc}")
    item.status, item.sent_at = Status.SENT, timezone.now()
    item.save(update_fields=["status", "sent_at"])
    logger.info("outbox item %s sent for user %s", item.pk, item.user_id)
    record_recipients(item.user, item.recipients, item.sent_at)
    # The hourly cleanup releases the draft's files (release_uploads_of_sent_messages).
    file_sent_item(item)


def _failed(item: OutboxItem, error: str, detail: str) -> None:
    # The draft stays in Drafts: the person can correct it and send it again.
    # Sending again builds the message anew from the draft: the bytes are not kept.
    item.status, item.error, item.error_detail = Status.FAILED, error, detail[:2000]
    item.save(update_fields=["status", "error", "error_detail"])
    _forget_message(item)
    logger.warning("outbox item %s not sent for user %s: %s", item.pk, item.user_id, error)


def file_sent_item(item: OutboxItem) -> None:
    """Copy the sent message to Sent (read), delete its draft, mark the original
    answered or forwarded. Raises MailServerUnavailable (retried by the task)."""
    with imap.session_for(item.user.mail_account) as session:
        sent = session.special_folder("\\Sent")
        # A retry after a failure half-way must not file a second copy.
        recent = session.uids_with_header(sent, "Message-ID", item.message_id, latest=50)
        if not item.message_id or not recent:
            with _sent_copy(item) as copy:
                session.append(sent, copy, ["\\Seen"])
        remove_draft(session, item.draft_key)
        _flag_original(session, item.original)
    # The copy is in Sent: the row stays (sending twice sends once), its bytes need not.
    item.filed_in_sent = True
    item.save(update_fields=["filed_in_sent"])
    _forget_message(item)


@contextlib.contextmanager
def _sent_copy(item: OutboxItem) -> Iterator[BinaryIO]:
    """The message with its Bcc header in front, in a temporary file."""
    with _message_file(item) as message:
        if not item.bcc_header:
            yield message
            return
        with tempfile.TemporaryFile() as copy:
            copy.write(item.bcc_header.encode())
            shutil.copyfileobj(message, copy)
            copy.seek(0)
            yield copy


def _flag_original(session: imap.ImapSession, original: str) -> None:
    action, _sp, rest = original.partition(" ")
    uid, _sp, folder = rest.partition(" ")
    if not uid.isdigit() or not folder:
        return
    flag = "$Forwarded" if action.startswith("forward") else "\\Answered"
    # The original's folder may have been renamed or deleted since: nothing to mark.
    with contextlib.suppress(FolderNotFound):
        session.set_flags(folder, [int(uid)], [flag])


def send_due_items() -> int:
    """Queue every item whose time has come (send later, or missed by a worker)."""
    due = OutboxItem.objects.filter(status=Status.QUEUED, send_at__lte=timezone.now())
    count = 0
    for item in due:
        schedule(item)
        count += 1
    return count
