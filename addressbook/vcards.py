"""Pure vCard handling: bytes of a .vcf file in, our Contact dataclasses out, and back.

Cards are stored in vCard 3.0 (what phones, macOS and Thunderbird all read); export can
also write 4.0. Reading accepts 2.1, 3.0 and 4.0. Properties the web page does not edit
(birthday, URL, X-…) are kept as they were when a 3.0/4.0 card is saved again.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import quopri
import re
import uuid
from dataclasses import dataclass, field, replace

import vobject
from vobject.base import ParseError, VObjectError

from addressbook.words import pieces, words

# What the web page edits; everything else on a 3.0/4.0 card is carried over untouched.
MANAGED = {
    "VERSION", "UID", "FN", "N", "EMAIL", "TEL", "ORG", "TITLE", "ROLE", "ADR", "NOTE",
    "PHOTO", "CATEGORIES", "PRODID", "REV", "KIND", "MEMBER", "X-ADDRESSBOOKSERVER-KIND",
    "X-ADDRESSBOOKSERVER-MEMBER",
}  # fmt: skip
# A group (a "list" in Thunderbird) is a card of its own whose members are other cards'
# UIDs. vCard 4.0 says KIND:group and MEMBER:urn:uuid:…; the 3.0 cards we store use
# Apple's X-ADDRESSBOOKSERVER-KIND/-MEMBER, which iOS, macOS, Thunderbird and DAVx⁵ read
# in 3.0 cards. Both forms are read.
INDIVIDUAL = "individual"
GROUP = "group"
EMAIL_TYPES = ("home", "work", "other")
PHONE_TYPES = ("cell", "home", "work", "fax", "other")
MAX_CARDS = 5000
_CARD = re.compile(
    r"^(?:[\w-]+\.)?BEGIN:VCARD[ \t]*$.*?^(?:[\w-]+\.)?END:VCARD[ \t]*$", re.I | re.M | re.S
)
_PRODID = "-//Webmail//Contacts//FR"


@dataclass(frozen=True)
class Address:
    street: str = ""
    city: str = ""
    postcode: str = ""
    region: str = ""
    country: str = ""

    def is_empty(self) -> bool:
        return not any((self.street, self.city, self.postcode, self.region, self.country))

    def lines(self) -> list[str]:
        town = " ".join(part for part in (self.postcode, self.city) if part)
        return [line for line in (self.street, town, self.region, self.country) if line]


@dataclass(frozen=True)
class Contact:
    uid: str = ""
    formatted_name: str = ""
    given_name: str = ""
    family_name: str = ""
    emails: tuple[tuple[str, str], ...] = ()  # (type, address)
    phones: tuple[tuple[str, str], ...] = ()  # (type, number)
    organisation: str = ""
    title: str = ""
    address: Address = field(default_factory=Address)
    note: str = ""
    photo: bytes | None = None  # as found on the card; photos.safe_photo re-encodes it
    categories: tuple[str, ...] = ()
    kind: str = INDIVIDUAL  # or GROUP, or another KIND (org, location) kept as found
    members: tuple[str, ...] = ()  # a group's MEMBER URIs: urn:uuid:…, mailto:…

    @property
    def display_name(self) -> str:
        joined = " ".join(part for part in (self.given_name, self.family_name) if part)
        first_email = self.emails[0][1] if self.emails else ""
        return self.formatted_name or joined or self.organisation or first_email

    @property
    def email_addresses(self) -> list[str]:
        return [address for _type, address in self.emails]


@dataclass(frozen=True)
class Skipped:
    position: int  # 1-based place of the card in the file
    name: str
    reason: str  # English; the view translates the known reasons


@dataclass(frozen=True)
class ReadCard:
    contact: Contact
    vcard: str  # the 3.0 text to store


@dataclass(frozen=True)
class ReadResult:
    cards: list[ReadCard]
    skipped: list[Skipped]


# Reasons a card is skipped; views translate them.
NOT_A_VCARD = "not a vCard"
UNREADABLE = "unreadable card"
NO_NAME = "no name, e-mail address or phone number"
TOO_MANY = "too many cards in one file"


def decode_text(data: bytes) -> str:
    """The file as text: UTF-16 or UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if len(data) > 1 and data[0] == 0 and data[1] != 0:
        return data.decode("utf-16-be", errors="replace")
    if len(data) > 1 and data[1] == 0 and data[0] != 0:
        return data.decode("utf-16-le", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_cards(data: bytes) -> ReadResult:
    """Every card of a .vcf file, and the ones skipped with the reason. Never raises."""
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    blocks = [match.group(0) for match in _CARD.finditer(text)]
    if not blocks:
        return ReadResult([], [Skipped(1, "", NOT_A_VCARD)])
    cards, skipped = [], []
    for position, block in enumerate(blocks, start=1):
        if position > MAX_CARDS:
            skipped.append(Skipped(position, "", TOO_MANY))
            break
        try:
            card = read_card(block)
        except ValueError as exc:
            skipped.append(Skipped(position, _guess_name(block), str(exc)))
            continue
        cards.append(card)
    return ReadResult(cards, skipped)


def read_card(block: str) -> ReadCard:
    """One BEGIN:VCARD…END:VCARD block. Raises ValueError(reason)."""
    text = _unfold_quoted_printable(block)
    try:
        component = read_component(text)
    except ValueError:
        # A broken photo (or logo, sound) should not lose the person: read without it.
        component = read_component(_without_media(text))
    if component.name.upper() != "VCARD":
        raise ValueError(NOT_A_VCARD)
    try:
        contact = contact_from_component(component)
    except (VObjectError, ValueError, UnicodeError, binascii.Error, AttributeError) as exc:
        raise ValueError(UNREADABLE) from exc
    if not (contact.display_name or contact.phones):
        raise ValueError(NO_NAME)
    if not contact.uid:
        contact = replace(contact, uid=new_uid())
    version = _value(component, "version")
    keep = component if version in ("3.0", "4.0") else None
    return ReadCard(contact, write_vcard(contact, keep_from=keep))


def read_component(text: str):
    try:
        return vobject.readOne(text, ignoreUnreadable=True)
    except (ParseError, VObjectError, ValueError, UnicodeError, binascii.Error) as exc:
        raise ValueError(UNREADABLE) from exc


_MEDIA = re.compile(r"^(?:[\w-]+\.)?(PHOTO|LOGO|SOUND|PROFILE)[;:].*(?:\n[ \t].*)*\n?", re.I | re.M)


def _without_media(text: str) -> str:
    return _MEDIA.sub("", text)


def parse_vcard(text: str) -> Contact:
    """The card stored on the server (one card). Raises ValueError when unreadable."""
    return read_card(text).contact


def new_uid() -> str:
    return str(uuid.uuid4())


def contact_from_component(card) -> Contact:
    given = family = ""
    if "n" in card.contents:
        name = card.n.value
        if isinstance(name, vobject.vcard.Name):
            given, family = _text(name.given), _text(name.family)
    street = city = postcode = region = country = ""
    if "adr" in card.contents:
        adr = card.adr.value
        if isinstance(adr, vobject.vcard.Address):
            street = _text(adr.street)
            city, postcode = _text(adr.city), _text(adr.code)
            region, country = _text(adr.region), _text(adr.country)
    organisation = ""
    if "org" in card.contents:
        org = card.org.value
        organisation = (
            " – ".join(_text(p) for p in org if p) if isinstance(org, list) else _text(org)
        )
    categories: list[str] = []
    for line in card.contents.get("categories", []):
        value = line.value
        for item in value if isinstance(value, list) else str(value).split(","):
            if item.strip() and item.strip() not in categories:
                categories.append(item.strip()[:60])
    return Contact(
        uid=_value(card, "uid"),
        formatted_name=_value(card, "fn"),
        given_name=given,
        family_name=family,
        emails=tuple(_typed(card, "email", EMAIL_TYPES, lower=True)),
        phones=tuple(_typed(card, "tel", PHONE_TYPES)),
        organisation=organisation,
        title=_value(card, "title") or _value(card, "role"),
        address=Address(street, city, postcode, region, country),
        note=_value(card, "note"),
        photo=_photo(card),
        categories=tuple(categories),
        kind=(
            _value(card, "kind") or _value(card, "x-addressbookserver-kind") or INDIVIDUAL
        ).lower()[:20],
        members=tuple(
            dict.fromkeys(
                _text(line.value).strip()
                for name in ("member", "x-addressbookserver-member")
                for line in card.contents.get(name, [])
                if _text(line.value).strip()
            )
        ),
    )


def member_key(uri: str) -> str:
    """What a MEMBER URI points to, comparable with member_key(UID): the UID without
    "urn:uuid:" and in lower case, or "mailto:address" for a plain address."""
    text = uri.strip()
    if text.lower().startswith("mailto:"):
        return "mailto:" + text[7:].strip().lower()
    if text.lower().startswith("urn:uuid:"):
        text = text[9:]
    return text.lower()


def write_vcard(contact: Contact, keep_from=None, photo_jpeg: bytes | None = None) -> str:
    """The contact as vCard 3.0 text. keep_from: the card it replaces, whose properties
    we do not edit are carried over. photo_jpeg: a safe JPEG for PHOTO (else none)."""
    card = vobject.vCard()
    card.add("version").value = "3.0"
    card.add("prodid").value = _PRODID
    card.add("uid").value = contact.uid or new_uid()
    card.add("fn").value = contact.display_name or contact.phones[0][1]
    card.add("n").value = vobject.vcard.Name(family=contact.family_name, given=contact.given_name)
    for kind, address in contact.emails:
        line = card.add("email")
        line.value = address
        line.type_param = ["INTERNET", kind.upper()] if kind != "other" else "INTERNET"
    for kind, number in contact.phones:
        line = card.add("tel")
        line.value = number
        if kind != "other":
            line.type_param = "CELL" if kind == "cell" else kind.upper()
    if contact.organisation:
        card.add("org").value = [contact.organisation]
    if contact.title:
        card.add("title").value = contact.title
    if not contact.address.is_empty():
        a = contact.address
        card.add("adr").value = vobject.vcard.Address(
            street=a.street, city=a.city, region=a.region, code=a.postcode, country=a.country
        )
    if contact.note:
        card.add("note").value = contact.note
    if contact.categories:
        card.add("categories").value = list(contact.categories)
    if contact.kind == GROUP:
        card.add("x-addressbookserver-kind").value = GROUP
        for uri in contact.members:
            card.add("x-addressbookserver-member").value = uri
    elif contact.kind != INDIVIDUAL:
        card.add("kind").value = contact.kind
    if photo_jpeg:
        line = card.add("photo")
        line.value = photo_jpeg
        line.encoding_param = "b"
        line.type_param = "JPEG"
    if keep_from is not None:
        for name, lines in keep_from.contents.items():
            if name.upper() in MANAGED:
                continue
            for line in lines:
                card.add(line)
    return card.serialize()


def to_vcard4(text: str) -> str:
    """A stored 3.0 card as vCard 4.0 (RFC 6350): PHOTO as a data: URI, lower-case types."""
    card = vobject.readOne(text)
    card.version.value = "4.0"
    for old, new in (
        ("x-addressbookserver-kind", "kind"),
        ("x-addressbookserver-member", "member"),
    ):
        for line in list(card.contents.get(old, [])):
            card.remove(line)
            card.add(new).value = line.value
    if "photo" in card.contents:
        data = card.photo.value
        card.remove(card.photo)
        if isinstance(data, bytes):
            line = card.add("photo")
            line.value = "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")
            line.value_param = "URI"
    for lines in card.contents.values():
        for line in lines:
            if "TYPE" in line.params:
                line.params["TYPE"] = [t.lower() for t in line.params["TYPE"] if t != "INTERNET"]
                if not line.params["TYPE"]:
                    del line.params["TYPE"]
    return card.serialize().replace("VALUE=URI:data:", "VALUE=uri:data:")


def name_key(contact: Contact) -> str:
    """The name with accents, case, punctuation and word order ignored ("Dupont, Jean" and
    "jean dupont" give the same key); empty when the card has no name."""
    name = contact.formatted_name or f"{contact.given_name} {contact.family_name}"
    return " ".join(sorted(pieces(name)))


def search_key(contact: Contact) -> str:
    """Every word the contact is found by, each after a space: ' helene dupont ...'."""
    found: list[str] = []
    for text in (
        contact.formatted_name,
        contact.given_name,
        contact.family_name,
        contact.organisation,
        *contact.email_addresses,
        *contact.categories,
    ):
        found.extend(words(text))
    return " " + " ".join(dict.fromkeys(found)) + " "


def duplicate_groups(entries: list[tuple[int, str, list[str]]]) -> list[list[int]]:
    """Groups of ids that are probably the same person: a shared e-mail address or the same
    name key. entries: (id, name_key, e-mail addresses). Groups of 2+, in id order."""
    parent = {entry_id: entry_id for entry_id, _key, _emails in entries}

    def root(entry_id: int) -> int:
        while parent[entry_id] != entry_id:
            parent[entry_id] = parent[parent[entry_id]]
            entry_id = parent[entry_id]
        return entry_id

    first_seen: dict[str, int] = {}
    for entry_id, key, emails in entries:
        for marker in ([f"n:{key}"] if key else []) + [f"e:{e.lower()}" for e in emails]:
            if marker in first_seen:
                parent[root(entry_id)] = root(first_seen[marker])
            else:
                first_seen[marker] = entry_id
    groups: dict[int, list[int]] = {}
    for entry_id, _key, _emails in entries:
        groups.setdefault(root(entry_id), []).append(entry_id)
    return sorted(sorted(group) for group in groups.values() if len(group) > 1)


MERGE_FIELDS = ("name", "organisation", "title", "address", "note", "photo")


def merge_contacts(contacts: list[Contact], choices: dict[str, int]) -> Contact:
    """One contact from several: each field in MERGE_FIELDS taken from the contact whose
    index `choices` gives (default: the first that has it); every e-mail address, phone
    number and category of all of them kept, without repeats. Keeps the first UID."""

    def pick(name: str, has) -> Contact:
        chosen = choices.get(name)
        if chosen is not None and 0 <= chosen < len(contacts):
            return contacts[chosen]
        return next((c for c in contacts if has(c)), contacts[0])

    named = pick("name", lambda c: c.formatted_name or c.given_name or c.family_name)
    emails: dict[str, tuple[str, str]] = {}
    phones: dict[str, tuple[str, str]] = {}
    categories: list[str] = []
    for contact in contacts:
        for kind, address in contact.emails:
            emails.setdefault(address.lower(), (kind, address))
        for kind, number in contact.phones:
            phones.setdefault(re.sub(r"[^0-9+]", "", number) or number, (kind, number))
        categories.extend(c for c in contact.categories if c not in categories)
    return Contact(
        uid=contacts[0].uid,
        formatted_name=named.formatted_name,
        given_name=named.given_name,
        family_name=named.family_name,
        emails=tuple(emails.values()),
        phones=tuple(phones.values()),
        organisation=pick("organisation", lambda c: c.organisation).organisation,
        title=pick("title", lambda c: c.title).title,
        address=pick("address", lambda c: not c.address.is_empty()).address,
        note=pick("note", lambda c: c.note).note,
        photo=pick("photo", lambda c: c.photo).photo,
        categories=tuple(categories),
    )


def _typed(card, name: str, known: tuple[str, ...], lower: bool = False) -> list[tuple[str, str]]:
    found = []
    for line in card.contents.get(name, []):
        value = _text(line.value).strip()
        if value.lower().startswith(("tel:", "mailto:")):
            value = value.split(":", 1)[1]
        if not value:
            continue
        types = [t.lower() for t in line.params.get("TYPE", []) for t in t.split(",")]
        kind = next((t for t in types if t in known), "other")
        if kind == "other" and "mobile" in types:
            kind = "cell"
        found.append((kind, value.lower() if lower else value))
    return found


def _photo(card) -> bytes | None:
    line = card.contents.get("photo", [None])[0]
    if line is None:
        return None
    value = line.value
    if isinstance(value, bytes):
        return value
    value = str(value)
    encoding = line.params.get("ENCODING", [""])[0].lower()
    try:
        if value.startswith("data:") and ";base64," in value:
            return base64.b64decode(value.split(",", 1)[1])
        if encoding in ("b", "base64"):
            return base64.b64decode(value)
    except (binascii.Error, ValueError):
        return None  # a broken photo: the person is still imported
    return None  # a URL: never fetched


def _value(card, name: str) -> str:
    line = card.contents.get(name, [None])[0]
    return _text(line.value).strip() if line is not None else ""


def _text(value) -> str:
    if isinstance(value, list):
        return " ".join(_text(v) for v in value if v)
    return str(value) if value is not None else ""


def _unfold_quoted_printable(block: str) -> str:
    """vCard 2.1 writes some values quoted-printable ('=' at the end of a line continues
    it); decode them so that vobject reads plain text."""
    out: list[str] = []
    lines = block.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        head = line.split(":", 1)[0].upper()
        if "QUOTED-PRINTABLE" in head and ":" in line:
            while line.endswith("=") and index + 1 < len(lines):
                index += 1
                line = line[:-1] + lines[index]
            name, value = line.split(":", 1)
            charset = re.search(r"CHARSET=([\w-]+)", name, re.I)
            raw = quopri.decodestring(value.encode("latin-1", errors="replace"))
            try:
                decoded = raw.decode(charset.group(1) if charset else "utf-8")
            except (LookupError, UnicodeDecodeError):
                decoded = raw.decode("cp1252", errors="replace")
            params = [p for p in name.split(";") if not re.match(r"(ENCODING|CHARSET)=", p, re.I)]
            params = [p for p in params if p.upper() != "QUOTED-PRINTABLE"]
            line = ";".join(params) + ":" + decoded.replace("\r\n", "\\n").replace("\n", "\\n")
        out.append(line)
        index += 1
    return "\n".join(out)


def _guess_name(block: str) -> str:
    match = re.search(r"^FN[^:]*:(.*)$", block, re.I | re.M)
    return match.group(1).strip()[:100] if match else ""
