"""Celery tasks of the calendar, a few lines each."""

from celery import shared_task
from django.utils import timezone

from calendar_app import subscriptions
from calendar_app.models import IcsFeed


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
