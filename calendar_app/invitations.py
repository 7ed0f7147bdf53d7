"""Invitations between the calendar and the mailbox (iTIP over iMIP; Radicale schedules
nothing itself).

The organiser's side: saving an event with attendees makes the user its ORGANIZER, and
each change is announced by mail through the outbox, as the user, with a copy in Sent
(notify_attendees). The attendee's side: an invitation in a message is shown as a card,
answered with a REPLY that files the event in the user's calendar (answer_invitation).
Replies, updates and cancellations change the calendar when the message is opened
(invitation_card), and only when the message's sender is the person the change is
about: the attendee who answers, or the organiser of the stored copy. Applying them
twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import uuid
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import time_zones
from calendar_app import events, grid, itip
from calendar_app.errors import EventChanged, EventNotFound
from calendar_app.models import answer_to, record_answer
from calendar_app.services import dav
from mailbox import outbox
from mailbox.composing import Draft, new_message_id
from mailbox.models import Identity, sendable_addresses
from mailbox.parsing import Address
from webmail.errors import CalendarServerUnavailable

logger = logging.getLogger(__name__)
MAX_ATTENDEES = 100
# How long a reply, once applied, is not checked again against the calendar.
SETTLED_SECONDS = 30 * 24 * 3600


# ---------------------------------------------------------------------------- organiser


def own_addresses(user) -> set[str]:
    return {a.lower() for a in sendable_addresses(user)}


def _organizer(user) -> itip.Attendee:
    identity = Identity.for_user(user)[0]
    return itip.Attendee(identity.address.lower(), identity.display_name or user.get_full_name())


def organises(user, data: bytes, uid: str) -> bool:
    """Whether the user may change the attendees: the event has no organiser yet, or it
    is them. An invitation someone else sent stays theirs to change."""
    try:
        organizer = itip.organizer_in(data, uid)
    except events.InvalidCalendar:
        return False
    return organizer is None or organizer.address in own_addresses(user)


def with_attendees(user, data: bytes, uid: str, attendees: Iterable[Address] | None) -> bytes:
    """The event as the organiser stores it, inviting these people (the user's own
    addresses left out). Unchanged when `attendees` is None (not in the form) or when
    someone else organises the event. Raises InvalidCalendar."""
    if attendees is None or not organises(user, data, uid):
        return data
    own = own_addresses(user)
    people = [itip.Attendee(a.address.lower(), a.name) for a in attendees]
    people = [p for p in people if p.address not in own][:MAX_ATTENDEES]
    return itip.organise(data, uid, _organizer(user), people)


def ask_again_if_moved(user, before: bytes, after: bytes, uid: str) -> bytes:
    """The saved event, its attendees asked to answer again if its date or time changed
    (itip.ask_again_if_moved); unchanged for an event someone else organises."""
    if not organises(user, after, uid):
        return after
    try:
        return itip.ask_again_if_moved(before, after, uid)
    except events.InvalidCalendar:
        return after


def attendees_text(data: bytes, uid: str) -> str:
    """The attendees of a stored event as the form's field shows them."""
    try:
        people = itip.attendees_in(data, uid)
    except events.InvalidCalendar:
        return ""
    return ", ".join(f'"{p.name}" <{p.address}>' if p.name else p.address for p in people)


def answers(data: bytes, uid: str) -> list[dict]:
    """The attendees of a stored event with their answers, for the event form."""
    try:
        people = itip.attendees_in(data, uid)
    except events.InvalidCalendar:
        return []
    return [{"person": p, "label": str(_PARTSTAT_LABELS.get(p.partstat, ""))} for p in people]


def notify_attendees(user, uid: str, before: bytes | None, after: bytes | None) -> int:
    """Announce a saved (`after`) or deleted (`after` None) event to its attendees: a
    REQUEST to the newly invited, an update to the others when the time, place, title
    or repetition changed, a CANCEL to those taken off the list or to everyone when the
    event is deleted. Only for an event the user organises. Returns how many messages
    were queued; they leave through the outbox like any message."""
    current = after if after is not None else before
    if current is None or not organises(user, current, uid):
        return 0
    try:
        old = {a.address: a for a in (itip.attendees_in(before, uid) if before else ())}
        new = {a.address: a for a in (itip.attendees_in(after, uid) if after else ())}
    except events.InvalidCalendar:
        return 0
    now = timezone.now()
    queued = 0
    if after is None:
        if old:
            ics = itip.itip_object(before, uid, "CANCEL", now, bump_sequence=True)
            queued += _send(user, "CANCEL", list(old.values()), ics)
        return queued
    removed = [a for address, a in old.items() if address not in new]
    if removed:
        only = [a.address for a in removed]
        ics = itip.itip_object(before, uid, "CANCEL", now, only=only, bump_sequence=True)
        queued += _send(user, "CANCEL", removed, ics)
    added = [a for address, a in new.items() if address not in old]
    if added:
        queued += _send(user, "REQUEST", added, itip.itip_object(after, uid, "REQUEST", now))
    kept = [a for address, a in new.items() if address in old]
    if kept and before is not None and itip.rescheduled(before, after, uid):
        ics = itip.itip_object(after, uid, "REQUEST", now)
        queued += _send(user, "REQUEST", kept, ics, update=True)
    return queued


def _send(user, method: str, to: list[itip.Attendee], ics: bytes, update: bool = False) -> int:
    """Queue one iMIP message to these people through the outbox."""
    invitation = itip.parse_invitation(ics)
    identity = Identity.for_user(user)[0]
    sender = itip.Mailbox(identity.display_name or user.get_full_name(), identity.address)
    subject = _subject(invitation, update, _user_zone(user))
    text = render_to_string(
        "calendar_app/email/invitation.txt",
        {"card": _describe(invitation, _user_zone(user)), "method": method, "update": update},
    )
    message_id = new_message_id(sender.address)
    raw = itip.imip_message(
        sender,
        [itip.Mailbox(a.name, a.address) for a in to],
        subject,
        text,
        ics,
        method,
        date=timezone.now(),
        message_id=message_id,
    )
    draft = Draft(
        sender=Address(sender.name, sender.address),
        to=[Address(a.name, a.address) for a in to],
        subject=subject,
        message_id=message_id,
        draft_key=f"imip-{uuid.uuid4()}",
    )
    outbox.queue_message(user, draft, io.BytesIO(raw), send_at=timezone.now())
    logger.info("imip %s queued for user %s to %d people", method, user.pk, len(to))
    return 1


def _subject(invitation: itip.Invitation, update: bool, tz: zoneinfo.ZoneInfo) -> str:
    values = {"title": invitation.summary or _("(no title)"), "when": _when(invitation, tz)}
    if invitation.method == "CANCEL":
        return _("Cancelled: %(title)s @ %(when)s") % values
    if invitation.method == "REPLY":
        answer = invitation.attendees[0].partstat if invitation.attendees else ""
        return str(_REPLY_SUBJECTS.get(answer, _REPLY_SUBJECTS["ACCEPTED"])) % values
    if update:
        return _("Updated invitation: %(title)s @ %(when)s") % values
    return _("Invitation: %(title)s @ %(when)s") % values


_REPLY_SUBJECTS = {
    "ACCEPTED": gettext_lazy("Accepted: %(title)s @ %(when)s"),
    "TENTATIVE": gettext_lazy("Tentatively accepted: %(title)s @ %(when)s"),
    "DECLINED": gettext_lazy("Declined: %(title)s @ %(when)s"),
}


# ---------------------------------------------------------------------------- the card


@dataclass
class InvitationCard:
    """What the message page shows about the invitation, reply or cancellation."""

    invitation: itip.Invitation | None = None
    when: str = ""
    error: str = ""  # the invitation cannot be read
    outcome: str = ""  # what opening the message changed in the calendar
    calendar_error: str = ""  # the calendar server did not answer
    my_answer: str = ""  # PARTSTAT of the user, from their calendar or the invitation
    in_calendar: bool = False
    can_answer: bool = False
    attendees: list[dict] = field(default_factory=list)
    settled: bool = False  # what the message says is applied, or can never be


def invitation_card(user, raw: bytes, sender: str) -> InvitationCard | None:
    """The card for a message carrying an iTIP object, None for any other message.

    Opening applies what the message says, when its sender may say it: a REPLY from an
    attendee updates their answer in the event the user organises; a newer REQUEST or
    a CANCEL from the organiser of the user's copy updates or removes it. A calendar
    server that does not answer leaves the card without that (calendar_error): the
    message itself is still shown.
    """
    if b"text/calendar" not in raw.lower() and b"application/ics" not in raw.lower():
        return None
    data = itip.calendar_part(raw)
    if data is None:
        return None
    try:
        invitation = itip.parse_invitation(data)
    except itip.NotAnInvitation:
        return None  # a shared .ics file (PUBLISH), not something to answer
    except itip.InvalidInvitation as exc:
        logger.info("unreadable invitation for user %s: %s", user.pk, exc)
        return InvitationCard(error=_("This message carries an invitation that cannot be read."))
    card = _describe(invitation, _user_zone(user))
    sender = sender.strip().lower()
    if sender in own_addresses(user):
        # The user's own message (in Sent): it changes nothing in their calendar and asks
        # them nothing, so the card needs no calendar.
        return card
    settled = f"invitation-settled:{user.pk}:{hashlib.sha256(data).hexdigest()}"
    if invitation.method == "REPLY" and cache.get(settled):
        # Applied on an earlier visit; a reply's card shows nothing of the calendar.
        return card
    stored = _check_calendar(user, invitation, sender, card)
    if invitation.method == "REPLY" and card.settled:
        cache.set(settled, True, SETTLED_SECONDS)
    _fill_answer(card, user, invitation, stored)
    return card


def _check_calendar(user, invitation: itip.Invitation, sender: str, card: InvitationCard):
    """Apply the message to the user's calendar; their stored copy of the event, if any."""
    try:
        with dav.session_for(user.mail_account) as session:
            stored = _find_event(session, invitation.uid)
            try:
                card.outcome = _apply(session, user, invitation, stored, sender)
            except (EventNotFound, EventChanged):
                return stored  # changed or deleted meanwhile (a phone): opening it again applies it
            card.settled = True
            return _find_event(session, invitation.uid) if card.outcome else stored
    except CalendarServerUnavailable as exc:
        logger.warning("invitation card without calendar for user %s: %s", user.pk, exc.detail)
        card.calendar_error = _(
            "The calendar server did not answer: your calendar was not checked."
        )
        return None


def _describe(invitation: itip.Invitation, tz: zoneinfo.ZoneInfo) -> InvitationCard:
    return InvitationCard(
        invitation=invitation,
        when=_when(invitation, tz),
        attendees=[
            {"person": a, "label": str(_PARTSTAT_LABELS.get(a.partstat, ""))}
            for a in invitation.attendees
        ],
    )


_PARTSTAT_LABELS = {
    "ACCEPTED": gettext_lazy("accepted"),
    "TENTATIVE": gettext_lazy("maybe"),
    "DECLINED": gettext_lazy("declined"),
    "NEEDS-ACTION": gettext_lazy("no answer yet"),
}


def _fill_answer(card, user, invitation: itip.Invitation, stored) -> None:
    own = own_addresses(user)
    mine = next((a for a in invitation.attendees if a.address in own), None)
    organised_by_me = invitation.organizer is not None and invitation.organizer.address in own
    card.in_calendar = stored is not None
    card.my_answer = mine.partstat if mine else ""
    if stored is None and not organised_by_me and invitation.method == "REQUEST":
        # Declined (from this card, or by deleting the event): the calendar has no copy.
        card.my_answer = answer_to(user, invitation.uid, invitation.sequence) or card.my_answer
    if stored is not None and not organised_by_me:
        try:
            copy = [a for a in itip.attendees_in(stored.data, invitation.uid) if a.address in own]
        except events.InvalidCalendar:
            copy = []
        card.my_answer = copy[0].partstat if copy else card.my_answer
        for item in card.attendees:  # the list shows the user's own answer
            if item["person"].address in own:
                item["label"] = str(_PARTSTAT_LABELS.get(card.my_answer, ""))
    card.can_answer = (
        invitation.method == "REQUEST"
        and invitation.organizer is not None
        and not organised_by_me
        and not card.calendar_error
    )


def _apply(session, user, invitation: itip.Invitation, stored, sender: str) -> str:
    """Apply a reply, an update or a cancellation; what changed, for the card ('' if
    nothing did)."""
    if stored is None:
        return ""
    try:
        if invitation.method == "REPLY":
            return _apply_reply(session, user, invitation, stored, sender)
        if not itip.same_organizer(invitation, stored.data, sender):
            return ""
        if invitation.method == "CANCEL":
            if itip.is_older(invitation, stored.data):
                return ""
            session.delete_event(stored)
            return _("The organiser cancelled this event: it was removed from your calendar.")
        if not itip.is_newer(invitation, stored.data):
            return ""
        mine = _my_attendance(user, stored.data, invitation.uid)
        moved = itip.asked_again(invitation, stored.data)
        partstat = "NEEDS-ACTION" if moved else mine.partstat
        data = itip.attendee_copy(invitation, mine.address, mine.name, partstat)
        session.save_event(stored, data)
        if moved:
            return _("The organiser changed the date or time: your calendar has the new one.")
        return _("Your calendar now has this new version of the event.")
    except events.InvalidCalendar:
        return ""


def _apply_reply(session, user, invitation, stored, sender: str) -> str:
    organizer = itip.organizer_in(stored.data, invitation.uid)
    if organizer is None or organizer.address not in own_addresses(user):
        return ""
    try:
        data = itip.apply_reply(stored.data, invitation, sender, organizer.address)
    except itip.ReplyNotApplicable as exc:
        logger.info("reply not applied for user %s: %s", user.pk, exc)
        return ""
    if data is None:
        return ""
    session.save_event(stored, data)
    answer = invitation.attendee(sender)
    return _("%(name)s’s answer is now in your event.") % {"name": answer.name or answer.address}


def _my_attendance(user, data: bytes, uid: str) -> itip.Attendee:
    own = own_addresses(user)
    found = [a for a in itip.attendees_in(data, uid) if a.address in own]
    return found[0] if found else itip.Attendee(user.mail_address.lower())


def _own_calendars(session) -> list[dav.CalendarInfo]:
    # A colleague's calendar shared with the user (with an `owner`) holds the
    # colleague's copy of the invitation, not the user's.
    return [c for c in session.list_calendars() if not c.owner]


def _find_event(session, uid: str) -> dav.StoredEvent | None:
    """The user's own stored event with this UID, in whichever of their calendars."""
    for calendar in _own_calendars(session):
        try:
            return session.get_event(calendar.id, uid)
        except EventNotFound:
            continue
    return None


# ---------------------------------------------------------------------------- answering


def answer_invitation(user, raw: bytes, partstat: str) -> str:
    """Answer the invitation in this message: the REPLY goes to the organiser, and the
    event goes into the user's calendar (the default one, or where it already is) with
    their answer; declining removes it. Returns what was done, for the user.

    Raises InvalidInvitation (no invitation, nothing to answer, or its UID names another
    event of the user's), CalendarServerUnavailable.
    """
    data = itip.calendar_part(raw)
    if data is None:
        raise itip.InvalidInvitation("no invitation")
    invitation = itip.parse_invitation(data)
    own = own_addresses(user)
    if (
        invitation.method != "REQUEST"
        or invitation.organizer is None
        or invitation.organizer.address in own
    ):
        raise itip.InvalidInvitation("nothing to answer")
    listed = next((a for a in invitation.attendees if a.address in own), None)
    me = _organizer(user) if listed is None else listed
    with dav.session_for(user.mail_account) as session:
        stored = _find_event(session, invitation.uid)
        if stored is not None and not itip.same_organizer(
            invitation, stored.data, invitation.organizer.address
        ):
            # The UID of another event of the user's (one they organise, say): an answer
            # must not overwrite or delete it.
            raise itip.InvalidInvitation("the UID names another event")
        if partstat == "DECLINED":
            if stored is not None:
                session.delete_event(stored)
        else:
            copy = itip.attendee_copy(invitation, me.address, me.name, partstat)
            if stored is None:
                session.create_event(_default_calendar(session), invitation.uid, copy)
            else:
                session.save_event(stored, copy)
    reply = itip.reply(invitation, me.address, me.name, partstat, timezone.now())
    _send(user, "REPLY", [invitation.organizer], reply)
    record_answer(user, invitation.uid, invitation.sequence, partstat)
    return str(_ANSWER_DONE[partstat])


def declinable(user, data: bytes, uid: str) -> bool:
    """Whether deleting this stored event may tell its organiser the user won't come: an
    invitation someone else organises, that names the user (not a colleague's copy in a
    calendar shared with them) and that they have not declined already."""
    own = own_addresses(user)
    try:
        organizer = itip.organizer_in(data, uid)
        me = [a for a in itip.attendees_in(data, uid) if a.address in own]
    except events.InvalidCalendar:
        return False
    if organizer is None or organizer.address in own or not me:
        return False
    return me[0].partstat != "DECLINED"


def decline_deleted(user, uid: str, data: bytes) -> int:
    """Tell the organiser of an invitation the user just deleted from their calendar that
    they won't come (a REPLY with PARTSTAT=DECLINED). Returns how many messages were
    queued: none for an event the user organises or had no invitation."""
    if not declinable(user, data, uid):
        return 0
    try:
        me = _my_attendance(user, data, uid)
        sequence = itip.received_sequence(data, uid)
        reply = itip.declining_reply(data, uid, me.address, me.name, timezone.now())
    except events.InvalidCalendar:
        return 0
    organizer = itip.organizer_in(data, uid)
    _send(user, "REPLY", [organizer], reply)
    record_answer(user, uid, sequence, "DECLINED")
    return 1


_ANSWER_DONE = {
    "ACCEPTED": gettext_lazy(
        "You accepted: the event is in your calendar and the organiser was told."
    ),
    "TENTATIVE": gettext_lazy(
        "You answered maybe: the event is in your calendar and the organiser was told."
    ),
    "DECLINED": gettext_lazy("You declined: the organiser was told."),
}


def _default_calendar(session) -> str:
    calendars = _own_calendars(session)
    if not calendars:
        # As the calendar page does, a new account starts with one personal calendar.
        return session.create_calendar(_("Personal"), color=grid.PALETTE[0]).id
    return calendars[0].id


# ---------------------------------------------------------------------------- time


def _user_zone(user) -> zoneinfo.ZoneInfo:
    return time_zones.user_zone(user)  # also in Celery, where no request activated it


def _when(invitation: itip.Invitation, tz: zoneinfo.ZoneInfo) -> str:
    """'14 March 2026 10:00 – 11:00' in the user's zone; all-day events as dates."""
    start, end = invitation.start, invitation.end
    if start is None:
        return ""
    if not isinstance(start, dt.datetime):
        last = end - dt.timedelta(days=1) if isinstance(end, dt.date) and end > start else start
        first = formats.date_format(start, "DATE_FORMAT")
        return first if last == start else f"{first} – {formats.date_format(last, 'DATE_FORMAT')}"
    start = _local(start, tz)
    text = formats.date_format(start, "DATETIME_FORMAT")
    if isinstance(end, dt.datetime):
        end = _local(end, tz)
        fmt = "TIME_FORMAT" if end.date() == start.date() else "DATETIME_FORMAT"
        text += " – " + formats.date_format(end, fmt)
    return text


def _local(value: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
