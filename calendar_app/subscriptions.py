"""Subscribed (read-only) calendars: who sees which feed, refreshing feeds, their events.

A feed is fetched by calendar_app/services/feeds.py and stored once per URL (IcsFeed); the
calendar views ask feed_occurrences() for the events of the feeds a person sees.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.time_zones import user_zone
from calendar_app import events, feed_urls
from calendar_app.models import CalendarSubscription, IcsFeed, hidden_calendar_ids
from calendar_app.services import feeds

logger = logging.getLogger(__name__)

BATCH = 200


def subscriptions_for(user) -> list[CalendarSubscription]:
    """The person's own subscriptions and those provided to everyone, to one of their
    groups or to their establishment."""
    target = Q(user=user) | Q(for_everyone=True) | Q(group__in=user.groups.all())
    if getattr(user, "establishment_id", None):
        target |= Q(establishment_id=user.establishment_id)
    return list(
        CalendarSubscription.objects.filter(target).select_related("feed").order_by("name", "pk")
    )


def get_own_subscription(user, pk: int) -> CalendarSubscription:
    """Raises CalendarSubscription.DoesNotExist (missing or not theirs)."""
    return CalendarSubscription.objects.get(pk=pk, user=user)


def is_shown(subscription: CalendarSubscription, hidden: set[str]) -> bool:
    """A person hides their own subscription with `visible`; a provided one through their
    calendar preferences (the admin's `visible` hides it from everyone)."""
    return subscription.visible and subscription.calendar_id not in hidden


def subscribe(user, url: str, name: str, color: str) -> CalendarSubscription:
    """Subscribe the person to a feed; a new feed is fetched at once by a worker.

    Raises feed_urls.RefusedUrl.
    """
    feeds.check_url(url)
    url = normalized_url(url)
    feed, created = IcsFeed.objects.get_or_create(url=url)
    subscription = CalendarSubscription.objects.create(feed=feed, user=user, name=name, color=color)
    if created or feed.last_fetched is None:
        from calendar_app.tasks import refresh_ics_feed

        transaction.on_commit(lambda: refresh_ics_feed.delay(feed.pk))
    return subscription


def normalized_url(url: str) -> str:
    return feed_urls.parse_feed_url(url).geturl()


def unsubscribe(subscription: CalendarSubscription) -> None:
    """Remove the person's subscription, and the feed when nobody else reads it."""
    feed = subscription.feed
    subscription.delete()
    if not feed.subscriptions.exists():
        feed.delete()


def refresh(feed: IcsFeed, now: dt.datetime | None = None) -> bool:
    """Fetch the feed again and store it; on failure keep the last content and record why.

    Returns True when the content changed. Safe to run twice.
    """
    now = now or timezone.now()
    try:
        fetched = feeds.fetch(feed.url, feed.etag, feed.last_modified)
        if not fetched.not_modified:
            events.parse(fetched.content)
    except feeds.FeedFetchError as exc:
        return _record_error(feed, now, str(exc))
    except events.InvalidCalendar as exc:
        return _record_error(feed, now, f"not an iCalendar file ({exc})")
    feed.last_fetched, feed.last_error = now, ""
    changed = not fetched.not_modified and fetched.content != bytes(feed.content)
    if not fetched.not_modified:
        feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
    if changed:
        feed.content, feed.last_changed = fetched.content, now
    feed.save()
    return changed


def _record_error(feed: IcsFeed, now: dt.datetime, error: str) -> bool:
    logger.warning("ics feed refresh failed feed=%s error=%s", feed.pk, error)
    feed.last_fetched, feed.last_error = now, error[:1000]
    feed.save(update_fields=["last_fetched", "last_error"])
    return False


def stale_feed_ids(now: dt.datetime) -> list[int]:
    """Feeds someone reads that were not fetched for ICS_FEED_REFRESH_MINUTES, oldest first."""
    cutoff = now - dt.timedelta(minutes=settings.ICS_FEED_REFRESH_MINUTES)
    stale = Q(last_fetched__lt=cutoff) | Q(last_fetched__isnull=True)
    feeds_read = IcsFeed.objects.filter(stale, subscriptions__isnull=False).distinct()
    return list(feeds_read.order_by("last_fetched").values_list("pk", flat=True)[:BATCH])


def feed_occurrences(
    user, start: dt.datetime, end: dt.datetime, tz: ZoneInfo | None = None
) -> list[events.Occurrence]:
    """The occurrences in [start, end) of the subscribed calendars the person shows.

    Same shape as the CalDAV events (events.Occurrence); calendar_id is "feed-<pk>", which
    the views treat as read-only. A feed that cannot be read shows nothing.
    """
    tz = tz or user_zone(user)
    hidden = hidden_calendar_ids(user)
    found = []
    for subscription in subscriptions_for(user):
        if not is_shown(subscription, hidden):
            continue
        calendar = _parsed(subscription.feed_id, subscription.feed.last_changed)
        if calendar is None:
            continue
        try:
            expanded = events.occurrences(calendar, start, end, tz)
        except events.InvalidCalendar:
            continue
        found += [
            dataclasses.replace(
                o, calendar_id=subscription.calendar_id, color=subscription.color, reminders=()
            )
            for o in expanded
        ]
    return events.in_order(found, tz)


@lru_cache(maxsize=64)
def _parsed(feed_id: int, last_changed: dt.datetime | None):
    """The feed parsed once per version in each process (the holiday calendar is read on
    every calendar page)."""
    if last_changed is None:
        return None
    content = IcsFeed.objects.filter(pk=feed_id).values_list("content", flat=True).first()
    try:
        return events.parse(bytes(content or b""))
    except events.InvalidCalendar:
        return None
