"""Answering an invitation from the message page in Chromium, on a 360 px phone too."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from calendar_app import events, itip
from calendar_app.services import dav
from mailbox.models import OutboxItem
from tests.browser.conftest import screenshot
from tests.calendar_app.invitation_helpers import send_imip
from tests.mailbox.compose_helpers import wait_for_messages

pytestmark = pytest.mark.browser
PARIS = ZoneInfo("Europe/Paris")


def invitation_from_jean_to_marie(jean, marie, uid):
    """jean's invitation, built as the event form does and sent through submission."""
    fields = events.EventFields(
        summary="Conseil de classe 3e B",
        start=dt.datetime(2026, 3, 10, 17, 0, tzinfo=PARIS),
        end=dt.datetime(2026, 3, 10, 18, 30, tzinfo=PARIS),
        location="Salle 204",
    )
    data = itip.organise(
        events.new_event(fields, uid, timezone.now()),
        uid,
        itip.Attendee(jean.mail_address, "Jean Dupont"),
        [itip.Attendee(marie.mail_address, "Marie Martin")],
    )
    ics = itip.itip_object(data, uid, "REQUEST", timezone.now())
    send_imip(jean, marie, "Invitation: Conseil de classe 3e B", ics, "REQUEST")
    ((message_uid, _flags, _message),) = wait_for_messages(marie, "INBOX", 1)
    return message_uid


def marie_event(marie, uid):
    with dav.session_for(marie.mail_account) as session:
        (calendar,) = session.list_calendars()
        return session.get_event(calendar.id, uid)


@pytest.mark.parametrize("width", [1280, 360])
def test_marie_accepts_from_the_message_page(signed_in_page, make_account, width):
    jean = make_account(username="jean.dupont", first_name="Jean", last_name="Dupont")
    marie = make_account(username="marie.martin", first_name="Marie", last_name="Martin")
    with dav.session_for(marie.mail_account) as session:
        session.delete_all_collections()  # Radicale keeps an earlier test's calendars
    event_uid = f"{uuid.uuid4()}@example.org"
    uid = invitation_from_jean_to_marie(jean, marie, event_uid)

    page = signed_in_page(
        "marie.martin", reverse("mailbox:message-detail", args=[uid, "INBOX"]), width=width
    )
    card = page.locator("[data-invitation]")
    expect(card.get_by_role("heading", name="Conseil de classe 3e B")).to_be_visible()
    page.wait_for_load_state("load")
    expect(card).to_contain_text("Salle 204")
    expect(card).to_contain_text("Jean Dupont")
    expect(card).to_contain_text("Will you attend?")
    with page.expect_navigation(timeout=30_000):  # the answer is sent, the event filed
        page.get_by_role("button", name="Accept").click()
    page.wait_for_load_state("load")

    expect(card).to_contain_text("You accepted: the event is in your calendar")
    expect(page.get_by_role("button", name="Accept")).to_have_attribute("aria-pressed", "true")
    # jean, who organises, is listed too, as Thunderbird and Outlook list him.
    expect(card.get_by_role("listitem")).to_have_text(
        ["Jean Dupont (accepted)", "Marie Martin (accepted)"]
    )
    width_used = page.evaluate("document.documentElement.scrollWidth")
    assert width_used <= width, "the card must not make the page scroll sideways"
    attendees = itip.attendees_in(marie_event(marie, event_uid).data, event_uid)
    assert {a.address: a.partstat for a in attendees}[marie.mail_address] == "ACCEPTED"
    assert page.console_errors == []  # no CSP violation, no script error
    screenshot(page, f"invitation-card-accepted-{width}-en")


def test_marie_deletes_her_copy_and_jean_is_told(signed_in_page, make_account, live_server):
    jean = make_account(username="jean.dupont", first_name="Jean", last_name="Dupont")
    marie = make_account(username="marie.martin", first_name="Marie", last_name="Martin")
    with dav.session_for(marie.mail_account) as session:
        session.delete_all_collections()
    event_uid = f"{uuid.uuid4()}@example.org"
    uid = invitation_from_jean_to_marie(jean, marie, event_uid)
    page = signed_in_page(
        "marie.martin", reverse("mailbox:message-detail", args=[uid, "INBOX"]), width=360
    )
    page.wait_for_load_state("load")
    with page.expect_navigation(timeout=30_000):
        page.get_by_role("button", name="Accept").click()
    copy = marie_event(marie, event_uid)

    edit = reverse("calendar_app:event-edit", args=[copy.calendar_id, event_uid])
    page.goto(f"{live_server.url}{edit}")
    page.wait_for_load_state("load")
    tell = page.get_by_label("Tell the organiser you won't come")
    expect(tell).to_be_checked()
    screenshot(page, "invitation-delete-copy-360-en")
    with page.expect_navigation(timeout=30_000):
        page.get_by_role("button", name="Delete the event").click()
    page.wait_for_load_state("load")

    expect(page.get_by_text("Event deleted.")).to_be_visible()
    subjects = OutboxItem.objects.filter(user=marie).values_list("subject", flat=True)
    assert sorted(s.split(":")[0] for s in subjects) == ["Accepted", "Declined"]
    assert page.console_errors == []
