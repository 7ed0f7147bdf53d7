"""iTIP/iMIP building and parsing (calendar_app.itip) on our own events and on real
invitations from the corpus (Google, Outlook.com, ical4j's iTIP samples)."""

import dataclasses
import datetime as dt
import email
from email import policy
from zoneinfo import ZoneInfo

import pytest

from calendar_app import events, itip
from tests.conftest import CORPUS_DIR

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
UID = "abc-123@webmail"
JEAN = itip.Attendee("jean.dupont@example.org", "Jean Dupont")
MARIE = itip.Attendee("marie.martin@example.org", "Marie Martin")
PAUL = itip.Attendee("paul.bernard@example.org", "Paul Bernard")


def meeting(*attendees, start_hour=17):
    fields = events.EventFields(
        summary="Conseil de classe",
        start=dt.datetime(2026, 3, 10, start_hour, 0, tzinfo=PARIS),
        end=dt.datetime(2026, 3, 10, start_hour + 1, 0, tzinfo=PARIS),
        location="Salle 204",
        reminders=(15,),
    )
    data = events.new_event(fields, UID, NOW)
    return itip.organise(data, UID, JEAN, attendees) if attendees else data


def request_for(data):
    return itip.parse_invitation(itip.itip_object(data, UID, "REQUEST", NOW))


def reply_from(data, who, partstat):
    return itip.parse_invitation(
        itip.reply(request_for(data), who.address, who.name, partstat, NOW)
    )


# ---------------------------------------------------------------- real invitations


def corpus(*parts):
    path = CORPUS_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"corpus not found at {CORPUS_DIR}")
    return path.read_bytes()


@pytest.mark.parametrize(
    ("parts", "summary", "organizer", "attendees", "start"),
    [
        (
            ("email", "nextcloud-mail", "imip", "request_google.txt"),
            "Imip Testing",
            "alice@example.org",
            3,
            dt.datetime(2025, 2, 20, 18, 0, tzinfo=dt.UTC),
        ),
        (
            ("email", "nextcloud-mail", "imip", "request_outlook_com.txt"),
            "Imip Testing",
            "alice@example.org",
            1,
            dt.datetime(2025, 2, 26, 7, 0, tzinfo=dt.UTC),  # "W. Europe Standard Time"
        ),
        (
            ("email", "postal-mime", "calendar-event.eml"),
            "Test event ⏰",
            "andris@postalsys.com",
            2,
            dt.datetime(2024, 4, 11, 8, 0, tzinfo=dt.UTC),
        ),
    ],
)
def test_real_invitations_are_read(parts, summary, organizer, attendees, start):
    invitation = itip.parse_invitation(itip.calendar_part(corpus(*parts)))

    assert invitation.method == "REQUEST"
    assert invitation.summary == summary
    assert invitation.organizer.address == organizer
    assert len(invitation.attendees) == attendees
    assert invitation.start == start


def itip_files():
    folder = CORPUS_DIR / "ical"
    if not folder.exists():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and b"\nMETHOD:" in p.read_bytes().replace(b"\r\n", b"\n")
    )


@pytest.mark.parametrize("path", itip_files(), ids=lambda p: str(p.relative_to(CORPUS_DIR)))
def test_every_itip_object_of_the_corpus_is_read_or_refused_cleanly(path):
    try:
        invitation = itip.parse_invitation(path.read_bytes())
    except itip.InvalidInvitation:
        return  # PUBLISH, COUNTER, VTODO-only, broken: refused with a reason
    assert invitation.method in itip.METHODS
    assert invitation.uid


@pytest.mark.parametrize("method", ["PUBLISH", "COUNTER", "REFRESH"])
def test_a_published_calendar_or_a_counter_proposal_is_no_invitation(method):
    data = (
        f"BEGIN:VCALENDAR\r\nMETHOD:{method}\r\nBEGIN:VEVENT\r\nUID:x\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()

    with pytest.raises(itip.NotAnInvitation):
        itip.parse_invitation(data)


def test_a_message_without_a_calendar_part_has_no_invitation():
    raw = b"From: a@example.org\r\nSubject: x\r\nContent-Type: text/plain\r\n\r\nBEGIN:VCALENDAR"
    assert itip.calendar_part(raw) is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"not a calendar", "not iCalendar"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "no METHOD"),
        (
            b"BEGIN:VCALENDAR\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n"
            b"END:VCALENDAR\r\n",
            "PUBLISH is no invitation",
        ),
        (b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n", "no event"),
        (
            b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\n"
            b"BEGIN:VEVENT\r\nUID:b\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "two UIDs",
        ),
        (b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n" + b"X-PAD:" + b"a" * 300_000, "too large"),
    ],
)
def test_what_is_not_an_invitation_is_refused(data, reason):
    with pytest.raises(itip.InvalidInvitation):
        itip.parse_invitation(data)


# ---------------------------------------------------------------- the organiser's side


def test_organising_invites_people_and_keeps_their_answers():
    data = meeting(MARIE)
    accepted = itip.apply_reply(
        data, reply_from(data, MARIE, "ACCEPTED"), MARIE.address, JEAN.address
    )

    again = itip.organise(accepted, UID, JEAN, [MARIE, PAUL])

    assert itip.organizer_in(again, UID).address == JEAN.address
    assert [(a.address, a.partstat) for a in itip.attendees_in(again, UID)] == [
        (MARIE.address, "ACCEPTED"),
        (PAUL.address, "NEEDS-ACTION"),
    ]
    alone = itip.organise(again, UID, JEAN, [])
    assert itip.organizer_in(alone, UID) is None
    assert itip.attendees_in(alone, UID) == ()


def test_a_request_is_the_event_without_the_organisers_reminders():
    request = itip.itip_object(meeting(MARIE), UID, "REQUEST", NOW)

    assert b"METHOD:REQUEST" in request
    assert b"BEGIN:VALARM" not in request
    invitation = itip.parse_invitation(request)
    assert (invitation.summary, invitation.location) == ("Conseil de classe", "Salle 204")
    assert invitation.organizer.address == JEAN.address


def test_a_cancellation_names_only_the_people_taken_off_and_is_a_later_version():
    data = meeting(MARIE, PAUL)

    cancel = itip.parse_invitation(
        itip.itip_object(data, UID, "CANCEL", NOW, only=[PAUL.address], bump_sequence=True)
    )

    assert cancel.method == "CANCEL"
    assert [a.address for a in cancel.attendees] == [PAUL.address]
    assert cancel.sequence == itip.sequence_in(data, UID) + 1
    assert b"STATUS:CANCELLED" in cancel.data


def test_a_new_time_is_news_for_the_attendees_a_new_description_is_not():
    before = meeting(MARIE)
    fields = events.fields_of(before, UID, "", PARIS)
    later = dataclasses.replace(
        fields, start=fields.start.replace(hour=8), end=fields.end.replace(hour=9)
    )
    described = dataclasses.replace(fields, description="Ordre du jour en pièce jointe")

    assert itip.rescheduled(before, events.update_event(before, UID, later, NOW), UID)
    assert not itip.rescheduled(before, events.update_event(before, UID, described, NOW), UID)


# ---------------------------------------------------------------- replies


def test_a_reply_names_only_the_attendee_who_answers():
    invitation = request_for(meeting(MARIE, PAUL))

    answer = itip.parse_invitation(
        itip.reply(invitation, MARIE.address, MARIE.name, "TENTATIVE", NOW)
    )

    assert answer.method == "REPLY"
    assert (answer.uid, answer.sequence) == (invitation.uid, invitation.sequence)
    assert answer.attendees == (itip.Attendee(MARIE.address, MARIE.name, "TENTATIVE"),)
    assert answer.organizer.address == JEAN.address


def test_a_reply_from_the_attendee_updates_the_organisers_event_once():
    data = meeting(MARIE, PAUL)
    answer = reply_from(data, MARIE, "DECLINED")

    updated = itip.apply_reply(data, answer, "Marie.Martin@example.org", JEAN.address)

    assert [(a.address, a.partstat) for a in itip.attendees_in(updated, UID)] == [
        (MARIE.address, "DECLINED"),
        (PAUL.address, "NEEDS-ACTION"),
    ]
    assert itip.apply_reply(updated, answer, MARIE.address, JEAN.address) is None


@pytest.mark.parametrize(
    ("sender", "organizer"),
    [
        (PAUL.address, JEAN.address),  # Paul forges Marie's answer
        (MARIE.address, PAUL.address),  # the event is not this user's to change
    ],
)
def test_a_reply_changes_nothing_unless_the_attendee_sent_it_to_the_organiser(sender, organizer):
    data = meeting(MARIE, PAUL)

    with pytest.raises(itip.ReplyNotApplicable):
        itip.apply_reply(data, reply_from(data, MARIE, "ACCEPTED"), sender, organizer)


def test_a_reply_from_someone_not_invited_changes_nothing():
    data = meeting(MARIE)
    crasher = itip.parse_invitation(
        itip.reply(request_for(data), PAUL.address, PAUL.name, "ACCEPTED", NOW)
    )

    with pytest.raises(itip.ReplyNotApplicable):
        itip.apply_reply(data, crasher, PAUL.address, JEAN.address)


def test_a_reply_to_an_older_version_is_ignored():
    data = meeting(MARIE)
    old_answer = reply_from(data, MARIE, "ACCEPTED")
    fields = events.fields_of(data, UID, "", PARIS)
    moved = events.update_event(data, UID, dataclasses.replace(fields, location="CDI"), NOW)

    assert itip.apply_reply(moved, old_answer, MARIE.address, JEAN.address) is None


# ---------------------------------------------------------------- the attendee's side


def test_the_attendees_copy_has_their_answer_and_no_method():
    invitation = request_for(meeting(MARIE, PAUL))

    copy = itip.attendee_copy(invitation, MARIE.address, "", "ACCEPTED")

    assert b"METHOD" not in copy
    people = {a.address: a for a in itip.attendees_in(copy, UID)}
    assert people[MARIE.address] == itip.Attendee(MARIE.address, MARIE.name, "ACCEPTED")
    assert people[PAUL.address].partstat == "NEEDS-ACTION"


def test_only_the_organiser_of_the_copy_may_update_or_cancel_it():
    data = meeting(MARIE)
    invitation = request_for(data)
    copy = itip.attendee_copy(invitation, MARIE.address, "", "ACCEPTED")

    assert itip.same_organizer(invitation, copy, "Jean.Dupont@example.org")
    assert not itip.same_organizer(invitation, copy, PAUL.address)
    assert not itip.is_newer(invitation, copy)


def test_the_attendees_own_edit_does_not_hide_the_organisers_next_version():
    data = meeting(MARIE)
    copy = itip.attendee_copy(request_for(data), MARIE.address, "", "ACCEPTED")
    mine = events.fields_of(copy, UID, "", PARIS)
    edited = events.update_event(copy, UID, dataclasses.replace(mine, reminders=(60,)), NOW)
    theirs = events.fields_of(data, UID, "", PARIS)
    moved = events.update_event(data, UID, dataclasses.replace(theirs, location="CDI"), NOW)

    update = itip.parse_invitation(
        itip.itip_object(moved, UID, "REQUEST", NOW + dt.timedelta(hours=1))
    )

    assert itip.sequence_in(edited, UID) == update.sequence  # both moved on by one
    assert itip.is_newer(update, edited)
    assert not itip.is_older(update, edited)
    assert not itip.is_newer(request_for(data), edited)  # the first invitation, read again


def test_the_same_version_sent_later_is_newer():
    data = meeting(MARIE)
    copy = itip.attendee_copy(request_for(data), MARIE.address, "", "ACCEPTED")

    resent = itip.parse_invitation(
        itip.itip_object(data, UID, "REQUEST", NOW + dt.timedelta(minutes=5))
    )

    assert itip.is_newer(resent, copy)


# ---------------------------------------------------------------- the e-mail


def test_the_imip_message_has_text_calendar_with_its_method_and_the_ics_file():
    ics = itip.itip_object(meeting(MARIE), UID, "REQUEST", NOW)

    raw = itip.imip_message(
        itip.Mailbox("Jean Dupont", JEAN.address),
        [itip.Mailbox("Marie Martin", MARIE.address)],
        "Invitation: Conseil de classe\r\nBcc: evil@example.org",
        "Jean vous invite.",
        ics,
        "REQUEST",
        date=NOW,
        message_id="<x@example.org>",
    )

    message = email.message_from_bytes(raw, policy=policy.default)
    assert message.get_content_type() == "multipart/mixed"
    assert "Bcc" not in message  # a title cannot add a header
    alternative = message.get_payload()[0]
    assert [p.get_content_type() for p in alternative.get_payload()] == [
        "text/plain",
        "text/calendar",
    ]
    assert alternative.get_payload()[1].get_param("method") == "REQUEST"
    assert itip.parse_invitation(itip.calendar_part(raw)).uid == UID
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content_type() == "application/ics"


# ---------------------------------------------------------------- changes


def answered(data, *answers):
    for who, partstat in answers:
        data = itip.apply_reply(data, reply_from(data, who, partstat), who.address, JEAN.address)
    return data


def answers_in(data):
    return [(a.address, a.partstat) for a in itip.attendees_in(data, UID)]


def test_the_organiser_is_listed_as_the_chair_who_accepted():
    invitation = request_for(meeting(MARIE))

    chair = invitation.attendee(JEAN.address)
    assert (chair.partstat, chair.role) == ("ACCEPTED", "CHAIR")
    assert b"ROLE=CHAIR" in invitation.data
    assert invitation.attendee(MARIE.address).role == "REQ-PARTICIPANT"
    # The people invited are the others: jean is never sent his own invitation.
    assert answers_in(meeting(MARIE)) == [(MARIE.address, "NEEDS-ACTION")]
    assert answers_in(itip.organise(meeting(MARIE), UID, JEAN, [JEAN, MARIE])) == [
        (MARIE.address, "NEEDS-ACTION")
    ]


def test_a_new_time_asks_the_attendees_again_a_new_place_keeps_their_answers():
    before = answered(meeting(MARIE, PAUL), (MARIE, "ACCEPTED"), (PAUL, "DECLINED"))
    fields = events.fields_of(before, UID, "", PARIS)
    later = dataclasses.replace(
        fields, start=fields.start.replace(hour=8), end=fields.end.replace(hour=9)
    )
    elsewhere = dataclasses.replace(fields, location="Salle 101", summary="Conseil 3e B")

    moved = itip.ask_again_if_moved(before, events.update_event(before, UID, later, NOW), UID)
    kept = itip.ask_again_if_moved(before, events.update_event(before, UID, elsewhere, NOW), UID)

    assert answers_in(moved) == [(MARIE.address, "NEEDS-ACTION"), (PAUL.address, "NEEDS-ACTION")]
    assert moved.replace(b"\r\n ", b"").count(b"RSVP=TRUE") == 2
    chair = itip.parse_invitation(itip.itip_object(moved, UID, "REQUEST", NOW)).attendee(
        JEAN.address
    )
    assert chair.partstat == "ACCEPTED"  # the organiser still comes
    assert answers_in(kept) == [(MARIE.address, "ACCEPTED"), (PAUL.address, "DECLINED")]


def test_the_attendee_answers_again_only_when_the_update_moved_the_event():
    before = answered(meeting(MARIE), (MARIE, "ACCEPTED"))
    copy = itip.attendee_copy(request_for(before), MARIE.address, MARIE.name, "ACCEPTED")
    fields = events.fields_of(before, UID, "", PARIS)
    later = dataclasses.replace(
        fields, start=fields.start.replace(hour=8), end=fields.end.replace(hour=9)
    )
    renamed = dataclasses.replace(fields, summary="Conseil 3e B")

    assert itip.asked_again(request_for(events.update_event(before, UID, later, NOW)), copy)
    assert not itip.asked_again(request_for(events.update_event(before, UID, renamed, NOW)), copy)


def test_moving_one_meeting_of_a_series_asks_again_for_that_meeting_only():
    weekly = dataclasses.replace(
        events.fields_of(meeting(MARIE), UID, "", PARIS),
        recurrence=events.Recurrence(freq="WEEKLY", count=4),
    )
    series = answered(
        itip.organise(events.new_event(weekly, UID, NOW), UID, JEAN, [MARIE]),
        (MARIE, "ACCEPTED"),
    )
    key = "20260317T160000Z"
    one = events.fields_of(series, UID, key, PARIS)
    moved_one = dataclasses.replace(
        one, start=one.start.replace(hour=8), end=one.end.replace(hour=9), recurrence=None
    )
    renamed_one = dataclasses.replace(one, summary="Conseil spécial", recurrence=None)

    def saved(fields):  # as the event form saves one meeting
        data = events.update_occurrence(series, UID, key, fields, PARIS, NOW)
        return itip.ask_again_if_moved(series, itip.organise(data, UID, JEAN, [MARIE]), UID)

    moved, renamed = saved(moved_one), saved(renamed_one)

    assert _partstats_by_occurrence(moved) == {"": "ACCEPTED", "17 March": "NEEDS-ACTION"}
    assert _partstats_by_occurrence(renamed) == {"": "ACCEPTED", "17 March": "ACCEPTED"}


def _partstats_by_occurrence(data):
    found = {}
    for component in events.parse(data).walk("VEVENT"):
        recurrence = component.get("RECURRENCE-ID")
        key = "" if recurrence is None else recurrence.dt.strftime("%-d %B")
        people = component.get("ATTENDEE")
        people = people if isinstance(people, list) else [people]
        (marie,) = [p for p in people if MARIE.address in str(p)]
        found[key] = marie.params["PARTSTAT"]
    return found


def test_deleting_a_copy_declines_the_version_the_organiser_sent():
    invitation = request_for(meeting(MARIE))
    copy = itip.attendee_copy(invitation, MARIE.address, MARIE.name, "ACCEPTED")
    fields = events.fields_of(copy, UID, "", PARIS)
    edited = events.update_event(copy, UID, dataclasses.replace(fields, reminders=(60,)), NOW)

    declined = itip.parse_invitation(
        itip.declining_reply(edited, UID, MARIE.address, MARIE.name, NOW)
    )

    assert declined.method == "REPLY"
    assert [(a.address, a.partstat) for a in declined.attendees] == [(MARIE.address, "DECLINED")]
    assert declined.sequence == invitation.sequence  # not marie's own edit
    assert itip.apply_reply(meeting(MARIE), declined, MARIE.address, JEAN.address) is not None


def test_dragging_one_meeting_of_a_series_asks_again_for_it():
    weekly = dataclasses.replace(
        events.fields_of(meeting(MARIE), UID, "", PARIS),
        recurrence=events.Recurrence(freq="WEEKLY", count=4),
    )
    series = answered(
        itip.organise(events.new_event(weekly, UID, NOW), UID, JEAN, [MARIE]),
        (MARIE, "ACCEPTED"),
    )
    key = "20260317T160000Z"
    one = events.fields_of(series, UID, key, PARIS)
    later = dataclasses.replace(one, start=one.start.replace(hour=8), end=one.end.replace(hour=9))

    # As the calendar's drag does: the occurrence alone, without the event form.
    dragged = events.update_occurrence(series, UID, key, later, PARIS, NOW)
    moved = itip.ask_again_if_moved(series, dragged, UID)

    assert _partstats_by_occurrence(moved) == {"": "ACCEPTED", "17 March": "NEEDS-ACTION"}
    assert itip.organizer_in(moved, UID).address == JEAN.address
