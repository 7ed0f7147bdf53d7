"""Snooze: a message waits in the Snoozed folder, then comes back to INBOX, unread.

The row (SnoozedMessage) is written before the message moves, so a failed move leaves
at worst a row whose message is not found at wake-up time, which is then closed. Waking
is safe to repeat: a message already back is simply not found in Snoozed any more.
Celery beat calls wake_due() every minute (mailbox.tasks.wake_snoozed_messages).
"""

from __future__ import annotations

import logging
from datetime import datetime
from itertools import groupby

from django.utils import timezone
from django.utils.translation import gettext as _

from mailbox.errors import (
    FolderNotFound,
    MailLoginFailed,
    MailServerUnavailable,
    MessageCannotBeSnoozed,
)
from mailbox.forms import MAX_SELECTED_MESSAGES
from mailbox.models import SnoozedMessage
from mailbox.services import imap
from mailbox.services.imap import SNOOZED_FOLDER, ImapSession

logger = logging.getLogger(__name__)

WAKE_FOLDER = "INBOX"
# "All in folder" on a big folder would fetch every envelope: snoozing is for a few.
MAX_SNOOZED_AT_ONCE = MAX_SELECTED_MESSAGES


def snooze(user, session: ImapSession, folder_name: str, uids: list[int], until: datetime) -> int:
    """Hide these messages in Snoozed until `until`; snoozing again only moves the time.

    Returns how many were snoozed. Raises MessageCannotBeSnoozed (before touching
    anything) when one has no Message-ID, FolderNotFound, MailServerUnavailable.
    """
    if len(set(uids)) > MAX_SNOOZED_AT_ONCE:
        raise MessageCannotBeSnoozed(
            _("Snooze at most %(count)s messages at once.") % {"count": MAX_SNOOZED_AT_ONCE}
        )
    summaries = session.open_folder(folder_name).summaries(sorted(set(uids)))
    if any(not summary.message_id for summary in summaries):
        raise MessageCannotBeSnoozed
    session.ensure_folder(SNOOZED_FOLDER)
    for summary in summaries:
        SnoozedMessage.objects.update_or_create(
            user=user,
            message_id=summary.message_id,
            woken_at=None,
            defaults={"until": until},
            create_defaults={
                "until": until,
                "original_folder": folder_name,
                "subject": summary.subject[:255],
                "sender": (summary.sender_name or summary.sender_address)[:255],
            },
        )
    session.move(folder_name, [summary.uid for summary in summaries], SNOOZED_FOLDER)
    return len(summaries)


def wake(snoozed: SnoozedMessage, session: ImapSession) -> None:
    """Bring the message back to INBOX as unread, now, and close the row."""
    try:
        moved = session.move_by_message_id(
            SNOOZED_FOLDER, snoozed.message_id, WAKE_FOLDER, mark_unread=True
        )
    except FolderNotFound:
        moved = 0  # the Snoozed folder went (another client): nothing left to bring back
    if not moved:
        logger.info("snoozed message %s of user %s not found", snoozed.pk, snoozed.user_id)
    snoozed.woken_at = timezone.now()
    snoozed.save(update_fields=["woken_at"])


def wake_due(now: datetime | None = None) -> int:
    """Wake every snoozed message whose time has come, one IMAP session per user.

    A user whose mailbox cannot be reached now is tried again at the next run.
    Returns how many were woken.
    """
    due = (
        SnoozedMessage.objects.filter(
            woken_at__isnull=True, until__lte=now or timezone.now(), user__is_active=True
        )
        .select_related("user")
        .order_by("user_id", "until")
    )
    woken = 0
    for user, rows in groupby(due, key=lambda row: row.user):
        try:
            with imap.session_for(user.mail_account) as session:
                for row in rows:
                    wake(row, session)
                    woken += 1
        except (MailServerUnavailable, MailLoginFailed):
            logger.warning("snoozed messages of user %s wait: mailbox unreachable", user.pk)
    return woken


def pending_for(user):
    """The user's messages still snoozed, the soonest back first."""
    return SnoozedMessage.objects.filter(user=user, woken_at__isnull=True).order_by("until")


def get_pending_for_user(user, snoozed_id: int) -> SnoozedMessage:
    """One of the user's waiting snoozed messages. Raises SnoozedMessage.DoesNotExist for
    a missing one and for another user's alike."""
    return pending_for(user).get(pk=snoozed_id)
