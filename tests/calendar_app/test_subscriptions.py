"""Subscribed ICS calendars: fetched from a real HTTP server, shared by URL, shown read-only."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from calendar_app import subscriptions
from calendar_app.models import CalendarSubscription, IcsFeed
from calendar_app.tasks import refresh_ics_feeds
from tests.accounts.provisioning_helpers import wait_for
from tests.calendar_app.feed_server import FeedServer, holidays

PARIS = ZoneInfo("Europe/Paris")
SPRING = holidays(("printemps-b@education", "Vacances de printemps", "20260418"))


def april(user):
    start = dt.datetime(2026, 4, 1, tzinfo=PARIS)
    return subscriptions.feed_occurrences(user, start, start + dt.timedelta(days=30), PARIS)


@pytest.fixture
def feed_server():
    server = FeedServer()
    server.body = SPRING
    yield server
    server.close()


@pytest.fixture(autouse=True)
def loopback_feeds(settings):
    settings.ICS_FEED_ALLOW_PRIVATE = True


def subscribe(user, url, name="Vacances scolaires zone B"):
    feed, _created = IcsFeed.objects.get_or_create(url=url)
    return CalendarSubscription.objects.create(feed=feed, user=user, name=name, color="#2e7d32")


def test_a_refresh_stores_the_events_and_a_304_keeps_them(account, feed_server):
    subscription = subscribe(account, feed_server.url)

    assert subscriptions.refresh(subscription.feed) is True
    first = april(account)
    assert subscriptions.refresh(subscription.feed) is False
    feed = IcsFeed.objects.get()

    assert [(o.summary, o.start, o.calendar_id) for o in first] == [
        ("Vacances de printemps", dt.date(2026, 4, 18), f"feed-{subscription.pk}")
    ]
    assert feed_server.requests[1]["if-none-match"] == feed.etag
    assert bytes(feed.content) == SPRING
    assert feed.last_error == ""
    assert april(account) == first


def test_a_failed_refresh_keeps_the_events_and_the_page_shows_the_error(
    account, logged_in_client, feed_server
):
    subscription = subscribe(account, feed_server.url)
    subscriptions.refresh(subscription.feed)
    feed_server.status = 500

    subscriptions.refresh(IcsFeed.objects.get())
    page = logged_in_client.get(reverse("calendar_app:subscriptions")).content.decode()

    assert "The last refresh failed: HTTP 500" in page
    assert "Last refreshed" in page
    assert [o.summary for o in april(account)] == ["Vacances de printemps"]


def test_a_file_that_is_not_icalendar_is_an_error_not_new_content(account, feed_server):
    subscription = subscribe(account, feed_server.url)
    subscriptions.refresh(subscription.feed)
    feed_server.body = b"<html>Maintenance</html>"

    subscriptions.refresh(IcsFeed.objects.get())
    feed = IcsFeed.objects.get()

    assert feed.last_error.startswith("not an iCalendar file")
    assert bytes(feed.content) == SPRING


def test_a_feed_larger_than_the_limit_is_refused(account, feed_server, settings):
    settings.ICS_FEED_MAX_BYTES = 100
    subscription = subscribe(account, feed_server.url)

    subscriptions.refresh(subscription.feed)

    assert IcsFeed.objects.get().last_error == "larger than 0.0001 MB"
    assert april(account) == []


def test_loopback_feeds_are_refused_outside_the_tests(
    account, logged_in_client, feed_server, settings
):
    settings.ICS_FEED_ALLOW_PRIVATE = False
    subscription = subscribe(account, feed_server.url)

    subscriptions.refresh(subscription.feed)
    response = logged_in_client.post(
        reverse("calendar_app:subscription-add"),
        {"name": "Intranet", "url": "http://127.0.0.1:8080/admin.ics", "color": "#2e7d32"},
    )

    assert "loopback" in IcsFeed.objects.get(url=feed_server.url).last_error
    assert feed_server.requests == []
    assert response.status_code == 422
    assert "This address cannot be subscribed to" in response.content.decode()
    assert "http://127.0.0.1:8080/admin.ics" in response.content.decode()  # what was typed


def test_a_redirect_is_followed_and_checked(account, feed_server):
    feed_server.redirect_to = feed_server.url.replace("calendrier.ics", "moved.ics")
    subscription = subscribe(account, feed_server.url)

    subscriptions.refresh(subscription.feed)

    assert [o.summary for o in april(account)] == ["Vacances de printemps"]


def test_the_worker_fetches_a_feed_added_on_the_page(account, logged_in_client, feed_server):
    response = logged_in_client.post(
        reverse("calendar_app:subscription-add"),
        {"name": "Vacances scolaires", "url": feed_server.url, "color": "#2e7d32"},
    )

    assert response.status_code == 302
    assert wait_for(lambda: IcsFeed.objects.get(url=feed_server.url).last_fetched is not None)
    page = logged_in_client.get(reverse("calendar_app:subscriptions")).content.decode()
    assert "Vacances scolaires" in page
    assert "Last refreshed" in page
    assert [o.summary for o in april(account)] == ["Vacances de printemps"]


def test_one_feed_is_stored_once_for_all_its_subscribers(make_account, feed_server):
    jean, marie = make_account(), make_account()
    subscribe(jean, feed_server.url)
    subscribe(marie, feed_server.url, name="Vacances")

    subscriptions.refresh(IcsFeed.objects.get())

    assert IcsFeed.objects.count() == 1
    assert len(feed_server.requests) == 1
    assert [o.summary for o in april(marie)] == ["Vacances de printemps"]


def test_unsubscribing_is_for_ones_own_subscriptions_only(make_account, feed_server):
    jean, marie = make_account(), make_account()
    theirs = subscribe(jean, feed_server.url)
    client = Client()
    client.force_login(marie)

    refused = client.post(reverse("calendar_app:subscription-delete", args=[theirs.pk]))
    client.force_login(jean)
    done = client.post(reverse("calendar_app:subscription-delete", args=[theirs.pk]))

    assert refused.status_code == 404
    assert done.status_code == 302
    assert not IcsFeed.objects.exists()  # nobody reads it any more


def test_an_admin_provides_a_feed_to_a_group_its_members_see_it_others_do_not(
    make_account, feed_server
):
    teachers = Group.objects.create(name="Enseignants")
    member, other = make_account(), make_account()
    member.groups.add(teachers)
    admin = Client()
    admin.force_login(make_account(is_staff=True, is_superuser=True))
    admin.cookies["django_language"] = "en"

    response = admin.post(
        reverse("admin:calendar_app_calendarsubscription_add"),
        {
            "name": "Calendrier des examens",
            "url": feed_server.url,
            "color": "#c0392b",
            "visible": "on",
            "group": teachers.pk,
            "establishment": "",
        },
    )
    subscriptions.refresh(IcsFeed.objects.get())
    member_client = Client()
    member_client.force_login(member)
    page = member_client.get(reverse("calendar_app:subscriptions")).content.decode()

    assert response.status_code == 302
    assert [o.summary for o in april(member)] == ["Vacances de printemps"]
    assert april(other) == []
    assert "Calendrier des examens" in page
    assert "provided by your administration" in page
    assert "Unsubscribe" not in page


def test_a_member_hides_a_provided_calendar_for_himself_only(make_account, feed_server):
    member, colleague = make_account(), make_account()
    provided = CalendarSubscription.objects.create(
        feed=IcsFeed.objects.create(url=feed_server.url), name="Vacances", for_everyone=True
    )
    subscriptions.refresh(provided.feed)
    client = Client()
    client.force_login(member)

    client.post(reverse("calendar_app:subscription-visibility", args=[provided.pk]), {})

    assert april(member) == []
    assert [o.summary for o in april(colleague)] == ["Vacances de printemps"]


def test_an_admin_must_choose_exactly_one_audience(make_account, feed_server):
    admin = Client()
    admin.force_login(make_account(is_staff=True, is_superuser=True))
    admin.cookies["django_language"] = "en"

    response = admin.post(
        reverse("admin:calendar_app_calendarsubscription_add"),
        {"name": "Examens", "url": feed_server.url, "color": "#c0392b", "group": ""},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose exactly one of: everyone, a group, an establishment." in page
    assert not CalendarSubscription.objects.exists()


def test_the_beat_task_refreshes_the_feeds_people_read_that_are_due(make_account, feed_server):
    user = make_account()
    due = subscribe(user, feed_server.url)
    fresh = subscribe(user, feed_server.url + "?fresh", name="Récent")
    IcsFeed.objects.filter(pk=fresh.feed_id).update(last_fetched=timezone.now())
    unread = IcsFeed.objects.create(url=feed_server.url + "?unread")

    queued = refresh_ics_feeds.delay().get(timeout=30)

    assert queued == 1
    assert wait_for(lambda: IcsFeed.objects.get(pk=due.feed_id).last_fetched is not None)
    assert [o.summary for o in april(user)] == ["Vacances de printemps"]
    assert IcsFeed.objects.get(pk=unread.pk).last_fetched is None


def test_admins_see_each_feed_with_its_last_error_and_refresh_it(make_account, feed_server):
    provided = CalendarSubscription.objects.create(
        feed=IcsFeed.objects.create(url=feed_server.url), name="Vacances", for_everyone=True
    )
    feed_server.status = 404
    subscriptions.refresh(provided.feed)
    feed_server.status = 200
    admin = Client()
    admin.force_login(make_account(is_staff=True, is_superuser=True))
    admin.cookies["django_language"] = "en"

    listed = admin.get(reverse("admin:calendar_app_icsfeed_changelist")).content.decode()
    admin.post(
        reverse("admin:calendar_app_icsfeed_changelist"),
        {"action": "refresh_now", "_selected_action": [provided.feed_id]},
    )

    assert feed_server.url in listed
    assert "HTTP 404" in listed
    assert IcsFeed.objects.get().last_error == ""
    assert [o.summary for o in april(make_account())] == ["Vacances de printemps"]
