"""Celery tasks of the calendar, a few lines each."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from calendar_app import reminders, subscriptions
from calendar_app.models import IcsFeed
from webmail.errors import CalendarServerUnavailable
from webmail.tasks import send_system_mail


@shared_task
def refresh_ics_feeds() -> int:
    """Beat: queue a refresh of every subscribed feed that is due. Returns how many."""
    due = subscriptions.stale_feed_ids(timezone.now())
    for feed_id in due:
        refresh_ics_feed.delay(feed_id)
    return len(due)


@shared_task
def refresh_ics_feed(feed_id: int) -> bool:
    """Fetch one feed and store it (or its error). Returns whether its content changed."""
    feed = IcsFeed.objects.filter(pk=feed_id).first()
    if feed is None:
        return False
    return subscriptions.refresh(feed)


@shared_task
def sync_reminder_calendars() -> int:
    """Beat: queue a reminder sync of each user not checked for a while. Returns how many."""
    user_ids = reminders.users_to_sync(timezone.now())
    for user_id in user_ids:
        sync_reminders.delay(user_id)
    return len(user_ids)


@shared_task(
    autoretry_for=(CalendarServerUnavailable,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=3,
)
def sync_reminders(user_id: int, calendar_ids: list[str] = ()) -> int:
    """Read the user's upcoming reminders again. Returns how many calendars were read."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    return reminders.sync_user(user, timezone.now(), frozenset(calendar_ids))


@shared_task
def send_due_reminders() -> int:
    """Beat, every minute: mail each reminder that is due, once. Returns how many."""
    due = reminders.claim_due(timezone.now())
    for reminder in due:
        send_system_mail.delay(*reminders.mail_for(reminder))
    return len(due)
