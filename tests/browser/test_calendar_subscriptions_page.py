"""In a real browser: the subscribed calendars page at 1280 and 360 px (own, provided and
failing feeds), and a subscribed event shown read-only in the month view."""

import pytest

from calendar_app import subscriptions
from calendar_app.models import CalendarSubscription, IcsFeed
from calendar_app.services import dav
from tests.browser.conftest import screenshot
from tests.calendar_app.feed_server import FeedServer, holidays

pytestmark = pytest.mark.browser


@pytest.fixture
def feeds(settings):
    settings.ICS_FEED_ALLOW_PRIVATE = True
    good, broken = FeedServer(), FeedServer()
    good.body = holidays(
        ("hiver-b@education", "Vacances d'hiver", "20260221"),
        ("printemps-b@education", "Vacances de printemps", "20260418"),
    )
    broken.body = holidays(("conseil@college", "Conseil d'administration", "20260312"))
    yield good, broken
    good.close()
    broken.close()


def test_subscriptions_page_and_read_only_events(signed_in_page, live_server, make_account, feeds):
    good, broken = feeds
    user = make_account(username="marie.martin", first_name="Marie", last_name="Martin")
    with dav.session_for(user.mail_account) as session:
        session.delete_all_collections()
    holidays_feed = IcsFeed.objects.create(url=good.url)
    council_feed = IcsFeed.objects.create(url=broken.url)
    CalendarSubscription.objects.create(
        feed=holidays_feed, name="Vacances scolaires zone B", color="#2e7d32", for_everyone=True
    )
    CalendarSubscription.objects.create(
        feed=council_feed, user=user, name="Conseils du collège", color="#c25e00"
    )
    subscriptions.refresh(holidays_feed)
    subscriptions.refresh(council_feed)
    broken.status = 503
    subscriptions.refresh(IcsFeed.objects.get(pk=council_feed.pk))

    for width in (1280, 360):
        page = signed_in_page("marie.martin", "/calendar/subscriptions/", width=width)
        page.wait_for_selector(".subscriptions-page")

        assert page.get_by_role("heading", name="Vacances scolaires zone B").is_visible()
        assert page.get_by_text("provided by your administration").is_visible()
        assert page.get_by_role("alert").filter(has_text="HTTP 503").is_visible()
        assert page.get_by_role("button", name="Unsubscribe – Conseils du collège").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"calendar-subscriptions-{width}")

        page.goto(f"{live_server.url}/calendar/month/2026-04-10/")
        chip = page.locator(".event-chip.is-subscribed", has_text="Vacances de printemps")
        assert chip.first.is_visible()
        assert page.locator("a.event-chip", has_text="Vacances de printemps").count() == 0
        assert page.console_errors == []
