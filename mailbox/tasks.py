"""Celery tasks of the mail app, a few lines each."""

from celery import shared_task

from mailbox import outbox, snoozing
from webmail.errors import MailServerUnavailable, VirusScannerUnavailable


@shared_task(
    autoretry_for=(MailServerUnavailable,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=10,
)
def send_outbox_item(item_id: str) -> None:
    """Send one queued message, then file it in Sent; a retry only finishes the filing."""
    outbox.send_item(item_id)


@shared_task
def send_due_outbox_items() -> int:
    """Beat: hand the messages whose time has come (send later) to the workers."""
    return outbox.send_due_items()


@shared_task(bind=True, max_retries=8, acks_late=True)
def scan_upload(self, upload_id: str) -> str:
    """Scan one uploaded file with clamd; safe to run twice.

    While clamd is down the file is marked `error` and the scan retried with backoff
    (10 s, 20 s, 40 s... up to 5 minutes); sending waits meanwhile.
    """
    from mailbox import scanning

    try:
        return scanning.scan_upload(upload_id)
    except VirusScannerUnavailable as exc:
        raise self.retry(exc=exc, countdown=min(10 * 2**self.request.retries, 300)) from exc


@shared_task(acks_late=True)
def assemble_large_file(upload_id: str) -> None:
    """Join the chunks of a finished large upload into one stored file, then scan it."""
    from mailbox import large_files

    large_files.assemble(upload_id)


@shared_task
def delete_expired_shared_files() -> int:
    """Beat: delete the bytes of expired or revoked links; returns how many."""
    from mailbox import large_files

    return large_files.delete_expired_files()


@shared_task
def wake_snoozed_messages() -> int:
    """Beat, every minute: snoozed messages whose time has come go back to INBOX, unread."""
    return snoozing.wake_due()


# ignore_result: queueing it then never waits on the result store (a Redis subscription).
@shared_task(acks_late=True, ignore_result=True)
def prepare_conversations(
    username: str, address: str, folder_name: str, key: str, descending: bool
) -> None:
    """Thread a folder too big to thread within a page's time, for its next page."""
    from accounts.mail_account import MailAccount
    from mailbox.services import listing

    order = listing.ListOrder(key=key, descending=descending, conversations=True)
    listing.prepare_conversations(MailAccount(username, address), folder_name, order)


@shared_task(acks_late=True, ignore_result=True)
def summarise_received_dates(username: str, address: str, folder_name: str) -> None:
    """Read a big folder's received dates, for its searches by date."""
    from accounts.mail_account import MailAccount
    from mailbox.services import imap, received_dates

    with imap.session_for(MailAccount(username, address)) as session:
        received_dates.summarise(session.open_folder(folder_name))
