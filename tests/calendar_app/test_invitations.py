"""Invitations against the real servers: jean.dupont invites marie.martin (both on the
same Dovecot), the iMIP REQUEST arrives in her INBOX through the outbox and the worker,
she answers from the message page, her event lands in her Radicale calendar, and the
REPLY updates jean's event when he opens it."""

import datetime as dt
import email
import json
import time
from email import policy
from email.message import EmailMessage

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from calendar_app import events, itip
from calendar_app.errors import EventNotFound
from calendar_app.services import dav
from mailbox.models import OutboxItem
from mailbox.services import imap
from tests.calendar_app.calendar_helpers import PARIS, event_form, stored_uid
from tests.calendar_app.invitation_helpers import send_imip
from tests.mailbox.compose_helpers import folder_messages
from tests.servers import stopped


@pytest.fixture
def jean(make_account):
    return make_account(username="jean.dupont", first_name="Jean", last_name="Dupont")


@pytest.fixture
def marie(make_account):
    return make_account(username="marie.martin", first_name="Marie", last_name="Martin")


@pytest.fixture
def jean_client(client, jean):
    client.force_login(jean)
    return client


@pytest.fixture
def marie_client(marie):
    other = Client()
    other.force_login(marie)
    return other


@pytest.fixture
def jean_calendar(jean):
    with dav.session_for(jean.mail_account) as session:
        return session.create_calendar("Personal", color="#1a56a8")


def wait_for_subject(user, starts_with, folder="INBOX", timeout=60.0):
    """The (uid, parsed message) whose Subject starts so, once it arrived."""
    deadline = time.monotonic() + timeout
    while True:
        for uid, _flags, message in folder_messages(user, folder):
            if str(message["Subject"]).startswith(starts_with):
                return uid, message
        if time.monotonic() > deadline:
            raise AssertionError(f"no message {starts_with!r} in {folder} after {timeout} s")
        time.sleep(0.3)


def calendar_part(message):
    return next(p for p in message.walk() if p.get_content_type() == "text/calendar")


def invite(jean_client, jean_calendar, attendees, **overrides):
    response = jean_client.post(
        reverse("calendar_app:event-new"),
        event_form(jean_calendar.id, attendees=attendees, **overrides),
    )
    assert response.status_code == 302


def open_message(client, uid, folder="INBOX"):
    response = client.get(reverse("mailbox:message-detail", args=[uid, folder]))
    assert response.status_code == 200
    return response.content.decode()


def answer(client, uid, partstat, folder="INBOX"):
    return client.post(
        reverse("calendar_app:invitation-answer", args=[uid, folder]), {"answer": partstat}
    )


def stored(user, uid):
    """The user's stored event with this UID, in whichever calendar, or None."""
    with dav.session_for(user.mail_account) as session:
        for calendar in session.list_calendars():
            try:
                return session.get_event(calendar.id, uid)
            except EventNotFound:
                continue
    return None


def partstat_of(data, uid, address):
    return {a.address: a.partstat for a in itip.attendees_in(data, uid)}[address]


def test_marie_accepts_jeans_invitation_and_jean_sees_her_answer(
    jean_client, marie_client, jean, marie, jean_calendar
):
    invite(
        jean_client,
        jean_calendar,
        "Marie Martin <marie.martin@example.org>",
        description="Ordre du jour :\n<b>bulletins</b>",
    )

    uid_in_inbox, request = wait_for_subject(marie, "Invitation: Conseil de classe 3e B")
    part = calendar_part(request)
    assert part.get_param("method") == "REQUEST"
    invitation = itip.parse_invitation(part.get_content().encode())
    assert invitation.organizer.address == "jean.dupont@example.org"
    # As Thunderbird and Outlook do, jean is listed too: he chairs and comes.
    chair = invitation.attendee("jean.dupont@example.org")
    assert (chair.role, chair.partstat) == ("CHAIR", "ACCEPTED")
    assert str(request["From"]) == "Jean Dupont <jean.dupont@example.org>"
    assert any(p.get_filename() == "invite.ics" for p in request.iter_attachments())
    # As any message jean sends: a copy in his Sent folder.
    wait_for_subject(jean, "Invitation: Conseil de classe 3e B", folder="\\Sent")
    # jean's own event names him organiser and marie as not having answered yet.
    uid = stored_uid(jean, jean_calendar.id, "Conseil de classe 3e B")
    assert uid == invitation.uid
    assert partstat_of(stored(jean, uid).data, uid, "marie.martin@example.org") == "NEEDS-ACTION"

    page = open_message(marie_client, uid_in_inbox)
    assert "Conseil de classe 3e B" in page
    assert "Salle 204" in page
    assert "March 10, 2026, 5 p.m. – 6:30 p.m." in page  # in her zone, Europe/Paris
    assert "Jean Dupont" in page
    assert "Will you attend?" in page
    assert 'Jean Dupont <span class="partstat partstat-accepted">(accepted)' in page
    assert "Ordre du jour :<br>&lt;b&gt;bulletins&lt;/b&gt;" in page  # text, never HTML
    assert stored(marie, uid) is None  # nothing in her calendar before she answers

    response = answer(marie_client, uid_in_inbox, "ACCEPTED")

    assert response.status_code == 302
    followed = marie_client.get(response["Location"]).content.decode()
    assert "You accepted: the event is in your calendar" in followed
    assert "You accepted this invitation." in followed
    copy = stored(marie, uid)
    assert partstat_of(copy.data, uid, "marie.martin@example.org") == "ACCEPTED"
    assert stored_uid(marie, copy.calendar_id, "Conseil de classe 3e B") == uid

    reply_uid, reply = wait_for_subject(jean, "Accepted: Conseil de classe 3e B")
    assert calendar_part(reply).get_param("method") == "REPLY"
    page = open_message(jean_client, reply_uid)
    assert "Marie Martin’s answer is now in your event." in page
    assert partstat_of(stored(jean, uid).data, uid, "marie.martin@example.org") == "ACCEPTED"
    event_page = jean_client.get(reverse("calendar_app:event-edit", args=[jean_calendar.id, uid]))
    assert "Marie Martin – <span" in event_page.content.decode()
    assert 'partstat-accepted">accepted</span>' in event_page.content.decode()
    # Opening it again changes nothing and says nothing.
    etag = stored(jean, uid).etag
    assert "answer is now in your event" not in open_message(jean_client, reply_uid)
    assert stored(jean, uid).etag == etag


def test_opening_a_settled_reply_or_ones_own_invitation_needs_no_calendar(
    jean_client, marie_client, jean, marie, jean_calendar, stack
):
    invite(jean_client, jean_calendar, "marie.martin@example.org")
    uid_in_inbox, _request = wait_for_subject(marie, "Invitation: Conseil de classe 3e B")
    answer(marie_client, uid_in_inbox, "ACCEPTED")
    reply_uid, _reply = wait_for_subject(jean, "Accepted: Conseil de classe 3e B")
    assert "answer is now in your event" in open_message(jean_client, reply_uid)
    sent_uid, _copy = wait_for_subject(jean, "Invitation:", folder="\\Sent")
    with imap.session_for(jean.mail_account) as session:
        sent_folder = session.special_folder("\\Sent")

    stack.stop_service("radicale")
    try:
        reply_page = open_message(jean_client, reply_uid)
        sent_page = open_message(jean_client, sent_uid, folder=sent_folder)
        request_page = open_message(marie_client, uid_in_inbox)
    finally:
        stack.start_service("radicale")

    # Neither the applied reply nor jean's own invitation asked the calendar server...
    for page in (reply_page, sent_page):
        assert "Conseil de classe 3e B" in page
        assert "The calendar server did not answer" not in page
    # ...while marie's invitation, whose card shows her answer, needs it.
    assert "The calendar server did not answer: your calendar was not checked." in request_page


def test_a_reply_opened_while_redis_is_down_is_applied_all_the_same(
    jean_client, marie_client, jean, marie, jean_calendar, stack, caplog
):
    invite(jean_client, jean_calendar, "marie.martin@example.org")
    uid_in_inbox, _request = wait_for_subject(marie, "Invitation: Conseil de classe 3e B")
    answer(marie_client, uid_in_inbox, "ACCEPTED")
    reply_uid, _reply = wait_for_subject(jean, "Accepted: Conseil de classe 3e B")

    with stopped(stack, "redis"):
        page = open_message(jean_client, reply_uid)

    # Without the memo of settled replies, the calendar was checked: no error page.
    assert "cache read skipped, Redis unavailable" in caplog.text
    assert "answer is now in your event" in page


def test_declining_after_accepting_removes_the_event_and_tells_jean(
    jean_client, marie_client, jean, marie, jean_calendar
):
    invite(jean_client, jean_calendar, "marie.martin@example.org")
    uid_in_inbox, _request = wait_for_subject(marie, "Invitation: Conseil de classe 3e B")
    uid = stored_uid(jean, jean_calendar.id, "Conseil de classe 3e B")
    answer(marie_client, uid_in_inbox, "ACCEPTED")
    assert stored(marie, uid) is not None

    response = answer(marie_client, uid_in_inbox, "DECLINED")

    page = marie_client.get(response["Location"]).content.decode()
    assert "You declined: the organiser was told." in page
    assert stored(marie, uid) is None
    reply_uid, _reply = wait_for_subject(jean, "Declined: Conseil de classe 3e B")
    open_message(jean_client, reply_uid)
    assert partstat_of(stored(jean, uid).data, uid, "marie.martin@example.org") == "DECLINED"
    # A later visit still says so, though her calendar no longer has the event.
    later = open_message(marie_client, uid_in_inbox)
    assert "You declined this invitation." in later
    assert "Will you attend?" not in later


def test_marie_deleting_her_copy_tells_jean_she_wont_come(
    jean_client, marie_client, jean, marie, jean_calendar
):
    invite(jean_client, jean_calendar, "marie.martin@example.org")
    uid_in_inbox, _request = wait_for_subject(marie, "Invitation: Conseil de classe 3e B")
    answer(marie_client, uid_in_inbox, "ACCEPTED")
    uid = stored_uid(jean, jean_calendar.id, "Conseil de classe 3e B")
    copy = stored(marie, uid)
    edit = marie_client.get(reverse("calendar_app:event-edit", args=[copy.calendar_id, uid]))
    assert (
        '<input type="checkbox" name="decline" value="1" checked> '
        "Tell the organiser you won't come" in edit.content.decode()
    )

    deleted = marie_client.post(
        reverse("calendar_app:event-delete", args=[copy.calendar_id, uid]), {"decline": "1"}
    )

    assert deleted.status_code == 302
    assert stored(marie, uid) is None
    reply_uid, reply = wait_for_subject(jean, "Declined: Conseil de classe 3e B")
    assert calendar_part(reply).get_param("method") == "REPLY"
    open_message(jean_client, reply_uid)
    assert partstat_of(stored(jean, uid).data, uid, "marie.martin@example.org") == "DECLINED"
    page = open_message(marie_client, uid_in_inbox)
    assert "You declined this invitation." in page
    # jean deleting his own event offers no such box: he tells everyone it is cancelled.
    own = jean_client.get(reverse("calendar_app:event-edit", args=[jean_calendar.id, uid]))
    assert 'name="decline"' not in own.content.decode()


def test_marie_deleting_her_copy_unchecked_tells_nobody(
    jean_client, marie_client, jean, marie, jean_calendar
):
    invite(jean_client, jean_calendar, "marie.martin@example.org")
    uid_in_inbox, _request = wait_for_subject(marie, "Invitation: Conseil de classe 3e B")
    answer(marie_client, uid_in_inbox, "ACCEPTED")
    uid = stored_uid(jean, jean_calendar.id, "Conseil de classe 3e B")

    deleted = marie_client.post(
        reverse("calendar_app:event-delete", args=[stored(marie, uid).calendar_id, uid]), {}
    )

    assert deleted.status_code == 302
    assert stored(marie, uid) is None
    sent = OutboxItem.objects.filter(user=marie).values_list("subject", flat=True)
    assert [s.split(":")[0] for s in sent] == ["Accepted"]


def test_a_new_place_keeps_maries_answer_a_new_time_asks_her_again_deleting_cancels(
    jean_client, marie_client, jean, marie, jean_calendar
):
    invite(jean_client, jean_calendar, "marie.martin@example.org")
    first_uid, _request = wait_for_subject(marie, "Invitation: Conseil de classe 3e B")
    answer(marie_client, first_uid, "TENTATIVE")
    reply_uid, _reply = wait_for_subject(jean, "Tentatively accepted: Conseil de classe 3e B")
    open_message(jean_client, reply_uid)
    uid = stored_uid(jean, jean_calendar.id, "Conseil de classe 3e B")
    edit = reverse("calendar_app:event-edit", args=[jean_calendar.id, uid])

    jean_client.post(
        edit,
        event_form(jean_calendar.id, attendees="marie.martin@example.org", location="CDI"),
    )

    place_uid, _update = wait_for_subject(marie, "Updated invitation: Conseil de classe 3e B")
    page = open_message(marie_client, place_uid)
    assert "Your calendar now has this new version of the event." in page
    assert "You answered maybe." in page
    assert partstat_of(stored(marie, uid).data, uid, "marie.martin@example.org") == "TENTATIVE"
    assert partstat_of(stored(jean, uid).data, uid, "marie.martin@example.org") == "TENTATIVE"
    _delete_message(marie, place_uid)

    moved = jean_client.post(
        edit,
        event_form(
            jean_calendar.id,
            attendees="marie.martin@example.org",
            start_time="08:00",
            end_time="09:00",
        ),
    )

    assert moved.status_code == 302
    # jean's event asks marie again, as the update does (RFC 5546 §2.1.5).
    assert partstat_of(stored(jean, uid).data, uid, "marie.martin@example.org") == "NEEDS-ACTION"
    update_uid, update = wait_for_subject(marie, "Updated invitation: Conseil de classe 3e B")
    invitation = itip.parse_invitation(calendar_part(update).get_content().encode())
    assert invitation.sequence == 2
    assert invitation.attendee("marie.martin@example.org").partstat == "NEEDS-ACTION"
    assert b"RSVP=TRUE" in invitation.data.replace(b"\r\n ", b"")  # unfolded
    page = open_message(marie_client, update_uid)
    assert "The organiser changed the date or time: your calendar has the new one." in page
    assert "Will you attend?" in page
    copy = stored(marie, uid)
    fields = events.fields_of(copy.data, uid, "", PARIS)
    assert fields.start == dt.datetime(2026, 3, 10, 8, 0, tzinfo=PARIS)
    assert partstat_of(copy.data, uid, "marie.martin@example.org") == "NEEDS-ACTION"

    deleted = jean_client.post(
        reverse("calendar_app:event-delete", args=[jean_calendar.id, uid]), {}
    )

    assert deleted.status_code == 302
    cancel_uid, cancel = wait_for_subject(marie, "Cancelled: Conseil de classe 3e B")
    assert calendar_part(cancel).get_param("method") == "CANCEL"
    page = open_message(marie_client, cancel_uid)
    assert "The organiser cancelled this event: it was removed from your calendar." in page
    assert stored(marie, uid) is None


def test_taking_marie_off_the_list_sends_her_a_cancellation(
    jean_client, marie, jean, jean_calendar, stack
):
    outside = f"claire.{time.time_ns()}@ailleurs.example"
    invite(jean_client, jean_calendar, f"marie.martin@example.org, Claire <{outside}>")
    wait_for_subject(marie, "Invitation: Conseil de classe 3e B")
    uid = stored_uid(jean, jean_calendar.id, "Conseil de classe 3e B")

    jean_client.post(
        reverse("calendar_app:event-edit", args=[jean_calendar.id, uid]),
        event_form(jean_calendar.id, attendees=f"Claire <{outside}>"),
    )

    _uid, cancel = wait_for_subject(marie, "Cancelled: Conseil de classe 3e B")
    cancelled = itip.parse_invitation(calendar_part(cancel).get_content().encode())
    assert [a.address for a in cancelled.attendees] == ["marie.martin@example.org"]
    # jean reading what he sent changes nothing in his own event.
    before = stored(jean, uid)
    with imap.session_for(jean.mail_account) as session:
        sent_folder = session.special_folder("\\Sent")
    for starts_with in ("Invitation:", "Cancelled:"):
        sent_uid, _copy = wait_for_subject(jean, starts_with, folder="\\Sent")
        sent = jean_client.get(
            reverse("mailbox:message-detail", args=[sent_uid, sent_folder])
        ).content.decode()
        assert "Conseil de classe 3e B" in sent
        assert 'value="ACCEPTED"' not in sent  # nothing for the organiser to answer
    assert stored(jean, uid) == before
    # The outside attendee got the invitation, captured by the relay, and nothing more
    # (the edit changed no time, place or title).
    captured = _captured_for(stack, outside)
    assert len(captured) == 1
    message = email.message_from_bytes(captured[0], policy=policy.default)
    assert str(message["Subject"]).startswith("Invitation: Conseil de classe 3e B")
    assert b"METHOD:REQUEST" in calendar_part(message).get_content().encode()
    assert [a.address for a in itip.attendees_in(stored(jean, uid).data, uid)] == [outside]


def _delete_message(user, uid):
    """So that the next message with the same subject is the only one."""
    with imap.session_for(user.mail_account) as session:
        session.expunge("INBOX", [uid])


def _captured_for(stack, address, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        found = [
            path.with_suffix(".eml").read_bytes()
            for path in stack.capture_dir.glob("*.json")
            if address in json.loads(path.read_text())["rcpt_to"]
        ]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.3)


def test_a_reply_from_someone_else_does_not_change_maries_answer(
    jean_client, jean, marie, make_account, jean_calendar
):
    paul = make_account(username="paul.bernard", first_name="Paul", last_name="Bernard")
    invite(jean_client, jean_calendar, "marie.martin@example.org")
    _uid, request = wait_for_subject(marie, "Invitation: Conseil de classe 3e B")
    invitation = itip.parse_invitation(calendar_part(request).get_content().encode())
    # paul forges marie's acceptance and sends it from his own address.
    forged = itip.reply(invitation, "marie.martin@example.org", "Marie", "ACCEPTED", timezone.now())
    send_imip(paul, jean, "Accepted: Conseil de classe 3e B", forged, "REPLY")

    reply_uid, _reply = wait_for_subject(jean, "Accepted: Conseil de classe 3e B")
    page = open_message(jean_client, reply_uid)

    assert "answer is now in your event" not in page
    uid = invitation.uid
    assert partstat_of(stored(jean, uid).data, uid, "marie.martin@example.org") == "NEEDS-ACTION"


def test_the_message_still_opens_when_the_calendar_server_is_down(
    jean_client, marie_client, jean, marie, jean_calendar, stack
):
    invite(jean_client, jean_calendar, "marie.martin@example.org")
    uid, _request = wait_for_subject(marie, "Invitation: Conseil de classe 3e B")

    stack.stop_service("radicale")
    try:
        page = open_message(marie_client, uid)
    finally:
        stack.start_service("radicale")

    assert "Conseil de classe 3e B" in page
    assert "The calendar server did not answer: your calendar was not checked." in page
    assert 'value="ACCEPTED"' not in page


def test_an_unreadable_invitation_is_said_so(marie_client, marie, jean):
    raw = (
        b"From: jean.dupont@example.org\r\nTo: marie.martin@example.org\r\n"
        b"Subject: Broken\r\nMessage-ID: <broken@example.org>\r\n"
        b'Content-Type: text/calendar; method=REQUEST; charset="utf-8"\r\n\r\n'
        b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n"
    )
    with imap.session_for(marie.mail_account) as session:
        session.append("INBOX", raw, [])
        (uid,) = session.all_uids("INBOX")

    page = open_message(marie_client, uid)

    assert "This message carries an invitation that cannot be read." in page
    assert 'value="ACCEPTED"' not in page


def test_a_shared_calendar_file_shows_no_invitation_card(marie_client, marie):
    message = EmailMessage()
    message["From"] = "secretariat@ailleurs.example"
    message["To"] = marie.mail_address
    message["Subject"] = "Calendrier des conseils"
    message.set_content("Voici le calendrier.")
    published = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//FR\r\nMETHOD:PUBLISH\r\n"
        "BEGIN:VEVENT\r\nUID:c1@ailleurs.example\r\nDTSTAMP:20260301T090000Z\r\n"
        "DTSTART:20260310T160000Z\r\nSUMMARY:Conseil\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    message.add_attachment(published.encode(), "text", "calendar", filename="conseils.ics")
    with imap.session_for(marie.mail_account) as session:
        session.append("INBOX", message.as_bytes(), [])
        (uid,) = session.all_uids("INBOX")

    page = open_message(marie_client, uid)

    assert "Calendrier des conseils" in page
    assert "data-invitation" not in page
    assert "conseils.ics" in page  # still an attachment to download or import


def test_an_invitation_reusing_the_uid_of_maries_own_event_cannot_touch_it(
    marie_client, marie, jean, make_account
):
    with dav.session_for(marie.mail_account) as session:
        calendar = session.create_calendar("Personal", color="#1a56a8")
    marie_client.post(
        reverse("calendar_app:event-new"), event_form(calendar.id, summary="Mon rendez-vous")
    )
    uid = stored_uid(marie, calendar.id, "Mon rendez-vous")
    before = stored(marie, uid)
    # paul, who saw the UID, sends marie an "invitation" with it, and she declines it.
    paul = make_account(username="paul.bernard", first_name="Paul", last_name="Bernard")
    fields = events.fields_of(before.data, uid, "", PARIS)
    data = itip.organise(
        events.new_event(fields, uid, timezone.now()),
        uid,
        itip.Attendee(paul.mail_address, "Paul"),
        [itip.Attendee(marie.mail_address, "Marie")],
    )
    ics = itip.itip_object(data, uid, "REQUEST", timezone.now())
    send_imip(paul, marie, "Invitation: piège", ics, "REQUEST")
    message_uid, _message = wait_for_subject(marie, "Invitation: piège")

    response = answer(marie_client, message_uid, "DECLINED")

    page = marie_client.get(response["Location"]).content.decode()
    assert "This message has no invitation you can answer." in page
    assert stored(marie, uid) == before


def test_deleting_one_meeting_of_a_series_removes_it_from_maries_calendar(
    jean_client, marie_client, jean, marie, jean_calendar
):
    weekly = {"repeat": "WEEKLY", "ends": "count", "count": "4"}
    invite(jean_client, jean_calendar, "marie.martin@example.org", **weekly)
    first_uid, _request = wait_for_subject(marie, "Invitation: Conseil de classe 3e B")
    answer(marie_client, first_uid, "ACCEPTED")
    uid = stored_uid(jean, jean_calendar.id, "Conseil de classe 3e B")

    jean_client.post(
        reverse("calendar_app:event-delete", args=[jean_calendar.id, uid]),
        {"occurrence": "20260317T160000Z", "scope": "one"},
    )

    update_uid, _update = wait_for_subject(marie, "Updated invitation: Conseil de classe 3e B")
    open_message(marie_client, update_uid)
    copy = stored(marie, uid)
    start = dt.datetime(2026, 3, 1, tzinfo=PARIS)
    days = [
        o.start.date().isoformat()
        for o in events.occurrences(copy.data, start, start + dt.timedelta(days=60), PARIS)
    ]
    assert days == ["2026-03-10", "2026-03-24", "2026-03-31"]
    assert partstat_of(copy.data, uid, "marie.martin@example.org") == "ACCEPTED"
