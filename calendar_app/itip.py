"""Pure iTIP (RFC 5546) over iMIP (RFC 6047): invitations, replies and cancellations.

No Django, no network. The iCalendar data in a message is untrusted: it is parsed with
icalendar (through events.parse), its size is bounded, and nothing in it is trusted
beyond what the caller checks against the message's sender (see apply_reply,
apply_update). Text from it is returned as plain strings, never as HTML.

The organiser's copy of an event carries ORGANIZER, the organiser again as an ATTENDEE
(ROLE=CHAIR, PARTSTAT=ACCEPTED, as Thunderbird and Outlook write it) and one ATTENDEE per
invited person; a REQUEST or CANCEL sent to the attendees is that copy with a METHOD, without the
organiser's reminders; a REPLY names only the replying attendee.
"""

from __future__ import annotations

import datetime as dt
import email
from collections.abc import Iterable
from dataclasses import dataclass, replace
from email import policy
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.utils import format_datetime

import icalendar

from calendar_app import events

MAX_ICS_BYTES = 256 * 1024  # a real invitation is a few kB; Outlook's with HTML ~30 kB
MAX_COMPONENTS = 100  # VEVENTs of one invitation (a series and its exceptions)
MAX_ATTENDEES = 200
METHODS = ("REQUEST", "REPLY", "CANCEL")
ANSWERS = ("ACCEPTED", "TENTATIVE", "DECLINED")
CALENDAR_TYPES = ("text/calendar", "application/ics")
# The properties a REPLY repeats from the invitation (RFC 5546 §3.2.3).
_REPLY_PROPERTIES = (
    "UID",
    "SEQUENCE",
    "RECURRENCE-ID",
    "DTSTART",
    "DTEND",
    "DURATION",
    "SUMMARY",
    "ORGANIZER",
)
# A change to one of these is news for the attendees (an update REQUEST).
_SCHEDULED = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "SUMMARY", "LOCATION")
# A change to one of these asks the attendees again (RFC 5546 §2.1.5, as Google and
# Outlook do); a cancelled occurrence (EXDATE), a new place or title keeps their answers.
_TIMING = ("DTSTART", "DTEND", "DURATION", "RRULE", "RDATE")
CHAIR = "CHAIR"
# The organiser's version of an attendee's copy, kept apart from SEQUENCE and DTSTAMP,
# which change when the attendee edits their copy (a reminder, say).
_RECEIVED_SEQUENCE = "X-WEBMAIL-ORGANIZER-SEQUENCE"
_RECEIVED_DTSTAMP = "X-WEBMAIL-ORGANIZER-DTSTAMP"


class InvalidInvitation(ValueError):
    """Not an invitation we can read: too large, not iCalendar, an unknown METHOD..."""


class NotAnInvitation(InvalidInvitation):
    """iCalendar with a METHOD we do not handle: a published calendar (PUBLISH), a
    counter-proposal... The message is shown without an invitation card."""


class ReplyNotApplicable(ValueError):
    """The reply may not change this event (not its organiser, not from the attendee)."""


@dataclass(frozen=True)
class Attendee:
    address: str  # lower case, without "mailto:"
    name: str = ""
    partstat: str = "NEEDS-ACTION"
    role: str = "REQ-PARTICIPANT"


@dataclass(frozen=True)
class Invitation:
    method: str  # one of METHODS
    uid: str
    sequence: int
    summary: str
    location: str
    description: str
    start: dt.datetime | dt.date | None
    end: dt.datetime | dt.date | None
    organizer: Attendee | None
    attendees: tuple[Attendee, ...]
    recurring: bool
    data: bytes  # the VCALENDAR as received
    dtstamp: str = ""  # "20260301T090000Z", orders versions of the same SEQUENCE

    @property
    def all_day(self) -> bool:
        return self.start is not None and not isinstance(self.start, dt.datetime)

    def attendee(self, address: str) -> Attendee | None:
        return _find(self.attendees, address)


# ---------------------------------------------------------------------------- reading


def calendar_part(raw: bytes) -> bytes | None:
    """The iTIP object of a message: its text/calendar part (application/ics if there is
    none) that carries a METHOD, decoded from its transfer encoding; None if there is none.
    """
    message = email.message_from_bytes(raw, policy=policy.compat32)
    found: dict[str, bytes] = {}
    for part in message.walk():
        kind = part.get_content_type()
        if part.is_multipart() or kind not in CALENDAR_TYPES or kind in found:
            continue
        try:
            payload = part.get_payload(decode=True) or b""
        except (ValueError, TypeError, AssertionError):
            continue
        if b"METHOD" in payload[:MAX_ICS_BYTES].upper():
            found[kind] = payload
    return next((found[kind] for kind in CALENDAR_TYPES if kind in found), None)


def parse_invitation(data: bytes) -> Invitation:
    """The invitation, reply or cancellation in this iTIP object.

    Raises InvalidInvitation (too large, unreadable, no METHOD we handle, no event, UIDs
    that disagree).
    """
    if len(data) > MAX_ICS_BYTES:
        raise InvalidInvitation("too large")
    try:
        calendar = events.parse(data)
    except events.InvalidCalendar as exc:
        raise InvalidInvitation(str(exc)) from exc
    method = str(calendar.get("METHOD", "")).strip().upper()
    if method not in METHODS:
        raise NotAnInvitation(f"method {method or 'missing'}")
    components = calendar.walk("VEVENT")
    if not components or len(components) > MAX_COMPONENTS:
        raise InvalidInvitation(f"{len(components)} events")
    uids = {str(c.get("UID", "")) for c in components}
    if len(uids) != 1 or not next(iter(uids)):
        raise InvalidInvitation("no single UID")
    main = next((c for c in components if "RECURRENCE-ID" not in c), components[0])
    try:
        return _invitation(method, main, components, data)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise InvalidInvitation(f"{type(exc).__name__}: {exc}") from exc


def _invitation(method: str, main, components, data: bytes) -> Invitation:
    start = main["DTSTART"].dt if "DTSTART" in main else None
    end = main["DTEND"].dt if "DTEND" in main else None
    if end is None and start is not None and "DURATION" in main:
        end = start + main["DURATION"].dt
    return Invitation(
        method=method,
        uid=str(main["UID"]),
        sequence=_sequence(main),
        summary=_text(main, "SUMMARY"),
        location=_text(main, "LOCATION"),
        description=_text(main, "DESCRIPTION"),
        start=start,
        end=end,
        organizer=_person(main.get("ORGANIZER")),
        attendees=_attendees(main),
        recurring=len(components) > 1 or "RRULE" in main or "RDATE" in main,
        data=data,
        dtstamp=_stamp(main),
    )


def _text(component, name: str) -> str:
    return str(component.get(name, "")).strip()[:10_000]


def _stamp(component) -> str:
    value = component.get("DTSTAMP")
    moment = getattr(value, "dt", None)
    if not isinstance(moment, dt.datetime):
        return ""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _sequence(component) -> int:
    try:
        return max(0, int(component.get("SEQUENCE", 0)))
    except (TypeError, ValueError):
        return 0


def _person(value) -> Attendee | None:
    if value is None:
        return None
    address = str(value).strip()
    if address.lower().startswith("mailto:"):
        address = address[7:]
    if "@" not in address:
        return None
    params = getattr(value, "params", {})
    return Attendee(
        address=address.strip().lower(),
        name=str(params.get("CN", "")).strip()[:200],
        partstat=str(params.get("PARTSTAT", "NEEDS-ACTION")).upper(),
        role=str(params.get("ROLE", "REQ-PARTICIPANT")).upper(),
    )


def _attendees(component) -> tuple[Attendee, ...]:
    values = component.get("ATTENDEE", [])
    values = values if isinstance(values, list) else [values]
    found: dict[str, Attendee] = {}
    for person in (_person(v) for v in values[:MAX_ATTENDEES]):
        if person and person.address not in found:
            found[person.address] = person
    return tuple(found.values())


def _find(people: Iterable[Attendee], address: str) -> Attendee | None:
    address = address.strip().lower()
    return next((p for p in people if p.address == address), None)


def organizer_in(data: bytes, uid: str) -> Attendee | None:
    """The ORGANIZER of a stored event, None for an event without invitations.

    Raises InvalidCalendar."""
    return _person(_main(events.parse(data), uid).get("ORGANIZER"))


def attendees_in(data: bytes, uid: str) -> tuple[Attendee, ...]:
    """The people invited to a stored event: its ATTENDEEs but the organiser, who is
    listed among them too. Raises InvalidCalendar."""
    main = _main(events.parse(data), uid)
    return _invited(main, _attendees(main))


def _invited(component, people: Iterable[Attendee]) -> tuple[Attendee, ...]:
    organizer = _person(component.get("ORGANIZER"))
    return tuple(p for p in people if organizer is None or p.address != organizer.address)


def sequence_in(data: bytes, uid: str) -> int:
    """The SEQUENCE of a stored event. Raises InvalidCalendar."""
    return _sequence(_main(events.parse(data), uid))


def rescheduled(before: bytes, after: bytes, uid: str) -> bool:
    """Whether the attendees must hear of the change (time, place, title, repetition)."""
    old = events.parse(before)
    new = events.parse(after)
    old_parts = [c for c in old.walk("VEVENT") if str(c.get("UID", "")) == uid]
    new_parts = [c for c in new.walk("VEVENT") if str(c.get("UID", "")) == uid]
    if len(old_parts) != len(new_parts):
        return True
    return any(_scheduled(a) != _scheduled(b) for a, b in zip(old_parts, new_parts, strict=True))


def _scheduled(component, names: Iterable[str] = _SCHEDULED) -> list[bytes]:
    return [
        component[name].to_ical() if hasattr(component[name], "to_ical") else repr(component[name])
        for name in names
        if name in component
    ]


def ask_again_if_moved(before: bytes, after: bytes, uid: str) -> bytes:
    """The organiser's saved event, its attendees asked again (PARTSTAT=NEEDS-ACTION,
    RSVP=TRUE) wherever its date or time changed: the whole series when the event itself
    moved or repeats otherwise, one meeting when only that occurrence moved. Their answers
    stay for any other change. Raises InvalidCalendar."""
    calendar = events.parse(after)
    old = {_occurrence_key(c): c for c in _components(events.parse(before), uid)}
    master = old.get("")
    if master is None:
        return after  # a new event (or a new series cut from one): nothing to ask again
    series_moved = any(
        _scheduled(c, _TIMING) != _scheduled(master, _TIMING)
        for c in _components(calendar, uid)
        if "RECURRENCE-ID" not in c
    )
    changed = False
    for component in _components(calendar, uid):
        previous = old.get(_occurrence_key(component))
        if series_moved or _moved(component, previous, master):
            changed = _ask_again(component) or changed
    return calendar.to_ical() if changed else after


def _occurrence_key(component) -> str:
    value = component.get("RECURRENCE-ID")
    return "" if value is None else value.dt.isoformat()


def _moved(component, previous, master) -> bool:
    if previous is not None:
        return _scheduled(component, _TIMING) != _scheduled(previous, _TIMING)
    # A meeting of the series changed for the first time: moved if it no longer starts
    # at its place in the series, or lasts otherwise than the series.
    start = component["DTSTART"].dt if "DTSTART" in component else None
    return start != component["RECURRENCE-ID"].dt or _length(component) != _length(master)


def _length(component) -> dt.timedelta | None:
    if "DURATION" in component:
        return component["DURATION"].dt
    if "DTSTART" in component and "DTEND" in component:
        return component["DTEND"].dt - component["DTSTART"].dt
    return None


def _ask_again(component) -> bool:
    people = _attendees(component)
    invited = set(_invited(component, people))
    if all(p.partstat == "NEEDS-ACTION" for p in invited):
        return False
    component.pop("ATTENDEE", None)
    for person in people:
        asked = replace(person, partstat="NEEDS-ACTION") if person in invited else person
        component.add("attendee", _address(asked))
    return True


def asked_again(invitation: Invitation, stored: bytes) -> bool:
    """Whether an update moved the event the attendee's copy has (its date or time): their
    answer no longer holds and they answer again. Raises InvalidCalendar."""
    copy = _main(events.parse(stored), invitation.uid)
    received = _main(events.parse(invitation.data), invitation.uid)
    return _scheduled(copy, _TIMING) != _scheduled(received, _TIMING)


# ---------------------------------------------------------------------------- writing


def organise(data: bytes, uid: str, organizer: Attendee, attendees: Iterable[Attendee]) -> bytes:
    """The event with this ORGANIZER and these ATTENDEEs (every component of the UID).

    A person already invited keeps their answer (PARTSTAT); a new one needs to answer.
    Without attendees, the event is no longer a meeting: ORGANIZER goes too.
    Raises InvalidCalendar.
    """
    calendar = events.parse(data)
    invited = [a for a in attendees if a.address != organizer.address][:MAX_ATTENDEES]
    chair = replace(organizer, partstat="ACCEPTED", role=CHAIR)
    series = [_attendees(c) for c in _components(calendar, uid) if "RECURRENCE-ID" not in c]
    for component in _components(calendar, uid):
        # A meeting of the series just changed for the first time has the series' answers.
        known = _attendees(component) or (series[0] if series else ())
        component.pop("ORGANIZER", None)
        component.pop("ATTENDEE", None)
        if not invited:
            continue
        component.add("organizer", _address(organizer, organizer=True))
        component.add("attendee", _address(chair))
        for person in invited:
            answered = _find(known, person.address)
            partstat = answered.partstat if answered else "NEEDS-ACTION"
            component.add("attendee", _address(Attendee(person.address, person.name, partstat)))
    return calendar.to_ical()


def itip_object(
    data: bytes,
    uid: str,
    method: str,
    now: dt.datetime,
    *,
    only: Iterable[str] | None = None,
    bump_sequence: bool = False,
) -> bytes:
    """The stored event as a REQUEST or CANCEL to send: METHOD set, reminders removed,
    DTSTAMP now; a CANCEL has STATUS:CANCELLED and names only the attendees in `only`
    (those taken off the list), or all of them. Raises InvalidCalendar."""
    calendar = events.parse(data)
    calendar.pop("METHOD", None)
    calendar.add("method", method)
    keep = {a.lower() for a in only} if only is not None else None
    for component in _components(calendar, uid):
        component.subcomponents[:] = [c for c in component.subcomponents if c.name != "VALARM"]
        component.pop("DTSTAMP", None)
        component.add("dtstamp", now.astimezone(dt.UTC))
        if bump_sequence:
            sequence = _sequence(component) + 1
            component.pop("SEQUENCE", None)
            component.add("sequence", sequence)
        if method == "CANCEL":
            component.pop("STATUS", None)
            component.add("status", "CANCELLED")
        if keep is not None:
            people = [a for a in _attendees(component) if a.address in keep]
            component.pop("ATTENDEE", None)
            for person in people:
                component.add("attendee", _address(person))
    # Other UIDs (never expected in one calendar object resource) are not sent.
    calendar.subcomponents[:] = [
        c for c in calendar.subcomponents if c.name != "VEVENT" or str(c.get("UID", "")) == uid
    ]
    return calendar.to_ical()


def reply(
    invitation: Invitation, address: str, name: str, partstat: str, now: dt.datetime
) -> bytes:
    """The REPLY of `address` to the invitation: the attendee's answer, nothing else.

    Raises InvalidInvitation (not a REQUEST), ValueError (an unknown answer).
    """
    if invitation.method != "REQUEST":
        raise InvalidInvitation(f"cannot answer a {invitation.method}")
    if partstat not in ANSWERS:
        raise ValueError(partstat)
    received = events.parse(invitation.data)
    out = icalendar.Calendar()
    out.add("prodid", events.PRODID)
    out.add("version", "2.0")
    out.add("method", "REPLY")
    me = Attendee(address.lower(), name, partstat)
    for timezone in received.walk("VTIMEZONE"):
        out.add_component(timezone)
    for component in _components(received, invitation.uid):
        answer = icalendar.Event()
        for prop in _REPLY_PROPERTIES:
            if prop in component:
                answer.add(prop, component[prop], encode=False)
        answer.add("dtstamp", now.astimezone(dt.UTC))
        answer.add("attendee", _address(me))
        out.add_component(answer)
    return out.to_ical()


def declining_reply(stored: bytes, uid: str, address: str, name: str, now: dt.datetime) -> bytes:
    """The REPLY of an attendee who removes their copy of an invitation from their calendar:
    they decline the version the organiser last sent (not their own edits of the copy).
    Raises InvalidCalendar."""
    sequence = received_sequence(stored, uid)
    calendar = events.parse(itip_object(stored, uid, "REQUEST", now))
    for component in _components(calendar, uid):
        component.pop("SEQUENCE", None)
        component.add("sequence", sequence)
    try:
        invitation = parse_invitation(calendar.to_ical())
    except InvalidInvitation as exc:
        raise events.InvalidCalendar(str(exc)) from exc
    return reply(invitation, address, name, "DECLINED", now)


def attendee_copy(invitation: Invitation, address: str, name: str, partstat: str) -> bytes:
    """The invitation as the attendee stores it: no METHOD, their answer in PARTSTAT
    (added to the list if the invitation reached them through a list or a forward)."""
    calendar = events.parse(invitation.data)
    calendar.pop("METHOD", None)
    for component in _components(calendar, invitation.uid):
        people = list(_attendees(component))
        known = _find(people, address)
        me = Attendee(address.lower(), name or (known.name if known else ""), partstat)
        people = [me if p.address == me.address else p for p in people]
        if not _find(people, me.address):
            people.append(me)
        component.pop("ATTENDEE", None)
        for person in people:
            component.add("attendee", _address(person))
        for name in (_RECEIVED_SEQUENCE, _RECEIVED_DTSTAMP):
            component.pop(name, None)
        component.add(_RECEIVED_SEQUENCE, str(_sequence(component)))
        component.add(_RECEIVED_DTSTAMP, _stamp(component))
    return calendar.to_ical()


def apply_reply(stored: bytes, reply_: Invitation, sender: str, organizer: str) -> bytes | None:
    """The organiser's event with the answer of the attendee who sent the REPLY, or None
    when there is nothing to change (the same answer again, or a reply to an older
    version of the event).

    Only the attendee whose address is the message's sender changes, and only in the
    event this user organises. Raises ReplyNotApplicable, InvalidCalendar.
    """
    if reply_.method != "REPLY":
        raise ReplyNotApplicable("not a reply")
    answer = reply_.attendee(sender)
    if answer is None:
        raise ReplyNotApplicable("the sender is not the attendee who answers")
    if answer.partstat not in (*ANSWERS, "NEEDS-ACTION", "DELEGATED"):
        raise ReplyNotApplicable(f"answer {answer.partstat}")
    calendar = events.parse(stored)
    master = _main(calendar, reply_.uid)
    owner = _person(master.get("ORGANIZER"))
    if owner is None or owner.address != organizer.lower():
        raise ReplyNotApplicable("not the organiser of this event")
    if not _find(_attendees(master), answer.address):
        raise ReplyNotApplicable("not invited to this event")
    if reply_.sequence < _sequence(master):
        return None  # an answer to a version since changed
    changed = False
    for component in _components(calendar, reply_.uid):
        people = list(_attendees(component))
        current = _find(people, answer.address)
        if current is None or current.partstat == answer.partstat:
            continue
        updated = replace(current, partstat=answer.partstat)
        component.pop("ATTENDEE", None)
        for person in people:
            component.add("attendee", _address(updated if person is current else person))
        changed = True
    return calendar.to_ical() if changed else None


def is_newer(update: Invitation, stored: bytes) -> bool:
    """Whether a REQUEST is a later version than the one in the attendee's copy: a
    higher SEQUENCE, or the same one sent later (DTSTAMP), as RFC 5546 §2.1.5 orders
    them. The attendee's own edits of their copy do not count. Raises InvalidCalendar."""
    return (update.sequence, update.dtstamp) > _received_version(stored, update.uid)


def received_sequence(stored: bytes, uid: str) -> int:
    """The SEQUENCE the organiser last sent of the attendee's copy. Raises InvalidCalendar."""
    return _received_version(stored, uid)[0]


def is_older(update: Invitation, stored: bytes) -> bool:
    """Whether a REQUEST or CANCEL is an earlier version than the attendee's copy (a
    message read late). Raises InvalidCalendar."""
    return update.sequence < _received_version(stored, update.uid)[0]


def _received_version(stored: bytes, uid: str) -> tuple[int, str]:
    main = _main(events.parse(stored), uid)
    if _RECEIVED_SEQUENCE not in main:
        return _sequence(main), _stamp(main)
    try:
        sequence = int(str(main[_RECEIVED_SEQUENCE]))
    except ValueError:
        sequence = _sequence(main)
    return sequence, str(main.get(_RECEIVED_DTSTAMP, ""))


def same_organizer(invitation: Invitation, stored: bytes, sender: str) -> bool:
    """Whether the stored copy, the invitation and the message's sender agree on who
    organises: only then may an update or a cancellation change the copy."""
    try:
        owner = organizer_in(stored, invitation.uid)
    except events.InvalidCalendar:
        return False
    return (
        owner is not None
        and invitation.organizer is not None
        and owner.address == invitation.organizer.address == sender.strip().lower()
    )


def _main(calendar, uid: str):
    """The event itself (not one of its changed occurrences). Raises InvalidCalendar."""
    found = [c for c in _components(calendar, uid) if "RECURRENCE-ID" not in c]
    if not found:
        raise events.InvalidCalendar(f"no VEVENT with UID {uid!r}")
    return found[0]


def _components(calendar, uid: str) -> list:
    return [c for c in calendar.walk("VEVENT") if str(c.get("UID", "")) == uid]


def _address(person: Attendee, organizer: bool = False) -> icalendar.vCalAddress:
    value = icalendar.vCalAddress(f"mailto:{person.address}")
    if person.name:
        value.params["CN"] = person.name
    if not organizer:
        value.params["CUTYPE"] = "INDIVIDUAL"
        value.params["ROLE"] = person.role
        value.params["PARTSTAT"] = person.partstat
        if person.partstat == "NEEDS-ACTION":
            value.params["RSVP"] = "TRUE"
    return value


# ---------------------------------------------------------------------------- the e-mail


@dataclass(frozen=True)
class Mailbox:
    name: str
    address: str


def imip_message(
    sender: Mailbox,
    to: Iterable[Mailbox],
    subject: str,
    text: str,
    ics: bytes,
    method: str,
    *,
    date: dt.datetime,
    message_id: str,
) -> bytes:
    """The iMIP e-mail (RFC 6047): multipart/mixed of multipart/alternative (the text for
    people, text/calendar with the method for calendar programs) and the same object as
    an invite.ics file, for programs that only look at attachments.
    Raises ValueError if a header value is unusable."""
    message = EmailMessage(policy=policy.default)
    message["From"] = _header_address(sender)
    message["To"] = [_header_address(m) for m in to]
    message["Subject"] = " ".join(subject.split())
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    message["MIME-Version"] = "1.0"
    message["User-Agent"] = "Webmail"
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(
        ics.decode(), subtype="calendar", params={"method": method}, cte="quoted-printable"
    )
    message.add_attachment(ics, "application", "ics", filename="invite.ics")
    return message.as_bytes(policy=policy.SMTP)


def _header_address(mailbox: Mailbox) -> HeaderAddress:
    local, _at, domain = mailbox.address.rpartition("@")
    return HeaderAddress(display_name=" ".join(mailbox.name.split()), username=local, domain=domain)
