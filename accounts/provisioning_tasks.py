"""Celery tasks of account provisioning, a few lines each.

Imported by accounts/admin.py, which every process loads at start-up (admin
autodiscovery), so the workers know these tasks.
"""

from celery import shared_task

from accounts import provisioning
from accounts.models import User
from webmail.errors import ServiceUnavailable


@shared_task(
    autoretry_for=(ServiceUnavailable,),
    retry_backoff=True,
    retry_backoff_max=3600,
    max_retries=12,
)
def purge_deleted_account(user_id: int) -> None:
    """Empty a deleted account's mailbox, calendars and address books, then delete its row.

    A server outage is retried with backoff; a row already gone means the work is done.
    """
    user = User.objects.filter(pk=user_id, deletion_requested_at__isnull=False).first()
    if user is not None:
        provisioning.purge_account(user)
