"""Pure functions: raw message bytes from the server -> our dataclasses. No I/O, no Django."""

from __future__ import annotations

import email
import email.parser
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email import policy
from email.header import Header, decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime


def decode_header_text(raw: bytes | str | Header | None) -> str:
    """Decode an RFC 2047 header value ('=?utf-8?q?R=C3=A9union?=' -> 'Réunion').

    Undeclared 8-bit bytes are read as UTF-8, then Latin-1; a broken encoded word is
    shown as it stands rather than raising.
    """
    if raw is None:
        return ""
    if isinstance(raw, Header):  # the parser's form of a header with raw 8-bit bytes
        return "".join(_chunk_text(chunk, charset) for chunk, charset in decode_header(raw))
    text = _bytes_to_text(raw) if isinstance(raw, bytes) else raw
    try:
        return str(make_header(decode_header(text))).strip()
    except (LookupError, UnicodeError, ValueError):
        return text.strip()


def _chunk_text(chunk: bytes | str, charset: str | None) -> str:
    if isinstance(chunk, str):
        return chunk
    if charset and charset != "unknown-8bit":
        try:
            return chunk.decode(charset, errors="replace")
        except LookupError:
            pass
    return _bytes_to_text(chunk)


def _bytes_to_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


# ---- List rows ---------------------------------------------------------------------

# The headers a list row shows, fetched as BODY.PEEK[HEADER.FIELDS (...)] rather than as
# the server's ENVELOPE: imapclient's parser reads an ENVELOPE token by token (about 8 ms
# for 50 rows), where these come as one literal a row, parsed here in a fraction of that.
ROW_HEADER_FIELDS = ("FROM", "SUBJECT", "MESSAGE-ID")


@dataclass(frozen=True)
class RowHeaders:
    sender_name: str
    sender_address: str
    subject: str
    message_id: str  # '' without one


def row_headers(raw: bytes | None) -> RowHeaders:
    """The sender, subject and Message-ID of a list row from the bytes of its header
    fields; the first of each header counts, as in the server's ENVELOPE. Never raises."""
    message = email.parser.BytesHeaderParser(policy=policy.compat32).parsebytes(raw or b"")
    name, address = _first_sender(message.get("From"))
    message_id = message.get("Message-ID")
    return RowHeaders(
        sender_name=name,
        sender_address=address,
        subject=one_line(decode_header_text(message.get("Subject"))),
        message_id=str(message_id).strip() if isinstance(message_id, str) else "",
    )


_FOLDING = re.compile(r"[ \t\r\n]+")


def one_line(text: str) -> str:
    """text unfolded onto one line: runs of spaces, tabs and line breaks become one
    space. A no-break space (French typography: "Rappel\u00a0:") is kept."""
    return _FOLDING.sub(" ", text).strip()


def _first_sender(value: str | Header | None) -> tuple[str, str]:
    """(display name, address) of a From header. Encoded words are decoded after the
    address is split off, so that a comma in a decoded name cannot split it."""
    if value is None:
        return "", ""
    if isinstance(value, Header):  # raw 8-bit bytes: decoded first, there is no other way
        value = decode_header_text(value)
    try:
        pairs = getaddresses([one_line(value)])
    except (ValueError, IndexError):
        return decode_header_text(value), ""
    for name, address in pairs:
        if name or address:
            return one_line(decode_header_text(name)), address.strip()
    return "", ""


# ---- Whole messages ----------------------------------------------------------------


# Notices shown above a message that could only be partly read.
NOTICE_MALFORMED = "malformed"
NOTICE_UNKNOWN_CHARSET = "unknown_charset"


@dataclass(frozen=True)
class Address:
    name: str
    address: str

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address


@dataclass(frozen=True)
class AttachmentInfo:
    part_id: str  # our own numbering of the MIME tree ("2", "1.3"), see iter_parts()
    filename: str
    content_type: str
    size: int
    content_id: str | None
    inline: bool


@dataclass(frozen=True)
class ParsedMessage:
    subject: str
    from_: tuple[Address, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    reply_to: tuple[Address, ...]
    date: datetime | None
    message_id: str
    in_reply_to: str
    references: tuple[str, ...]
    text: str | None
    html: str | None
    attachments: tuple[AttachmentInfo, ...]
    notices: tuple[str, ...] = field(default=())

    def content_ids(self) -> dict[str, str]:
        """Content-ID -> part id, for cid: images."""
        return {a.content_id: a.part_id for a in self.attachments if a.content_id}


def parse_message(raw: bytes) -> ParsedMessage:
    """Read a whole message. Never raises on malformed input: what cannot be read is
    left out and named in `notices`."""
    message = email.message_from_bytes(raw, policy=policy.compat32)
    notices: set[str] = set()
    if message.defects:
        notices.add(NOTICE_MALFORMED)
    text, html = _bodies(message, notices)
    return ParsedMessage(
        subject=decode_header_text(message.get("Subject")),
        from_=_addresses(message, "From"),
        to=_addresses(message, "To"),
        cc=_addresses(message, "Cc"),
        reply_to=_addresses(message, "Reply-To"),
        date=_date(message.get("Date")),
        message_id=_header(message, "Message-ID"),
        in_reply_to=_header(message, "In-Reply-To"),
        references=tuple(_header(message, "References").split()),
        text=text,
        html=html,
        attachments=tuple(_attachments(message, notices)),
        notices=tuple(sorted(notices)),
    )


def iter_parts(message: Message, prefix: str = ""):
    """(part_id, part) for every leaf part, numbered like IMAP BODY sections."""
    if not _has_children(message):
        yield (prefix or "1"), message
        return
    for number, part in enumerate(message.get_payload(), start=1):
        part_id = f"{prefix}.{number}" if prefix else str(number)
        if _has_children(part):
            yield from iter_parts(part, part_id)
        else:
            yield part_id, part


def _has_children(part: Message) -> bool:
    # A forwarded message (message/rfc822) is one attachment, not more parts of ours.
    return part.is_multipart() and part.get_content_type() != "message/rfc822"


def _payload(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822" and part.is_multipart():
        inner = part.get_payload()
        return inner[0].as_bytes() if inner else b""
    try:
        return part.get_payload(decode=True) or b""
    except (ValueError, TypeError, AssertionError):
        return b""


def with_part_sizes(message: ParsedMessage, sizes: dict[str, int]) -> ParsedMessage:
    """The message with these attachments' sizes ({part_id: octets}): those of parts
    whose bodies were not fetched (mailbox/mime_skeleton.py)."""
    if not sizes:
        return message
    attachments = tuple(
        replace(a, size=sizes[a.part_id]) if a.part_id in sizes else a for a in message.attachments
    )
    return replace(message, attachments=attachments)


def part_bytes(raw: bytes, part_id: str) -> tuple[Message, bytes] | None:
    """One leaf part of a message, decoded from its transfer encoding."""
    message = email.message_from_bytes(raw, policy=policy.compat32)
    for candidate_id, part in iter_parts(message):
        if candidate_id == part_id:
            return part, _payload(part)
    return None


def iter_part_bytes(raw: bytes, part_ids: set[str]) -> Iterator[tuple[str, bytes]]:
    """(part_id, decoded bytes) of these leaf parts, one at a time, parsing once."""
    message = email.message_from_bytes(raw, policy=policy.compat32)
    for part_id, part in iter_parts(message):
        if part_id in part_ids:
            yield part_id, _payload(part)


def header_block(raw: bytes) -> bytes:
    """The header section of a raw message: everything before its first empty line."""
    ends = [end for end in (raw.find(b"\n\r\n"), raw.find(b"\n\n")) if end >= 0]
    return raw[: min(ends) + 1] if ends else raw


def header_subject(raw: bytes) -> str:
    """The decoded Subject, reading only the header section."""
    parser = email.parser.BytesHeaderParser(policy=policy.compat32)
    return decode_header_text(parser.parsebytes(header_block(raw)).get("Subject"))


def _header(message: Message, name: str) -> str:
    return decode_header_text(message.get(name)).strip()


def _addresses(message: Message, name: str) -> tuple[Address, ...]:
    values = [decode_header_text(value) for value in message.get_all(name, [])]
    try:
        pairs = getaddresses(values)
    except (ValueError, IndexError):
        return tuple(Address("", value) for value in values)
    return tuple(Address(name.strip(), address.strip()) for name, address in pairs if address)


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    # "-0000" (RFC 5322 3.3) or no zone at all: the time is UTC with the sender's zone
    # unknown. Made aware, it is shown in the reader's zone like any other date.
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _is_attachment(part: Message) -> bool:
    disposition = decode_header_text(part.get("Content-Disposition")).split(";")[0].lower()
    if disposition == "attachment" or part.get_filename():
        return True
    return part.get_content_maintype() not in ("text", "multipart")


def _bodies(message: Message, notices: set[str]) -> tuple[str | None, str | None]:
    text = html = None
    for _part_id, part in iter_parts(message):
        if _is_attachment(part):
            continue
        subtype = part.get_content_subtype()
        if subtype == "plain" and text is None:
            text = _decode_text(part, notices)
        elif subtype == "html" and html is None:
            html = _decode_text(part, notices)
    return text, html


def _decode_text(part: Message, notices: set[str]) -> str:
    payload = _payload(part)
    charset = part.get_content_charset() or "us-ascii"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        notices.add(NOTICE_UNKNOWN_CHARSET)
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("windows-1252", errors="replace")


def _attachments(message: Message, notices: set[str]):
    for part_id, part in iter_parts(message):
        if not _is_attachment(part):
            continue
        payload = _payload(part)
        content_id = decode_header_text(part.get("Content-ID")).strip("<> ") or None
        disposition = decode_header_text(part.get("Content-Disposition")).lower()
        filename = decode_header_text(part.get_filename() or "") or _fallback_name(part)
        yield AttachmentInfo(
            part_id=part_id,
            filename=filename,
            content_type=part.get_content_type(),
            size=len(payload),
            content_id=content_id,
            inline=disposition.startswith("inline") or (content_id is not None and not disposition),
        )


def _fallback_name(part: Message) -> str:
    if part.get_content_type() == "message/rfc822":
        return "message.eml"
    return f"part.{part.get_content_subtype() or 'bin'}"
