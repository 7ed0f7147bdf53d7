"""Celery tasks of the accounts app, a few lines each."""

from celery import shared_task

from accounts import recovery
from accounts.provisioning_tasks import purge_deleted_account  # noqa: F401 - a worker task


@shared_task
def send_recovery_proof(user_id: int | None, site_root: str) -> None:
    """Mail a recovery link and code to the account's backup address; None does nothing
    (queued anyway, so that a request that matched nobody costs the same)."""
    recovery.send_recovery_proof(user_id, site_root)
