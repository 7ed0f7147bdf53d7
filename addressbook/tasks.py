"""Celery tasks of the address book, a few lines each."""

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from addressbook import contacts
from addressbook.models import ContactBook
from webmail.errors import ContactsServerUnavailable

logger = logging.getLogger(__name__)

# Address books not synced for this long are synced by the beat, at most BATCH a run, so
# that autocomplete offers a contact added on a phone even before the contacts page opens.
STALE_AFTER = timedelta(minutes=10)
BATCH = 200


@shared_task
def sync_contact_books() -> int:
    """Beat: bring the stalest contact indexes in step with CardDAV. Returns how many."""
    return sync_stale_books(timezone.now())


def sync_stale_books(now: datetime) -> int:
    """Sync the address books last synced before now - STALE_AFTER (oldest first)."""
    stale = Q(synced_at__lt=now - STALE_AFTER) | Q(synced_at__isnull=True)
    books = ContactBook.objects.filter(stale).select_related("user").order_by("synced_at")
    synced = 0
    for book in books[:BATCH]:
        try:
            contacts.sync(book.user)
        except ContactsServerUnavailable:
            logger.warning("contacts sync failed user=%s", book.user_id)
            break  # the server is down: the next run tries again
        synced += 1
    return synced


@shared_task(
    autoretry_for=(ContactsServerUnavailable,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def import_contacts(import_id: int) -> None:
    """Import one uploaded .vcf file (addressbook.contacts.run_import); safe to run twice."""
    contacts.run_import(import_id)
