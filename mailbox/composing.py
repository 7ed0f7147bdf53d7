"""Pure functions for writing mail: addresses, reply and forward, quoting, MIME building.

No I/O, no Django: callers pass translated wording (attribution lines, labels) and the
attachment bytes. Headers go through email.message.EmailMessage with the default policy,
which refuses CR/LF in a header value and encodes non-ASCII text (RFC 2047/2231), so no
field typed by a person can add a header.
"""

from __future__ import annotations

import base64
import email
import html
import io
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import format_datetime, getaddresses, make_msgid
from html.parser import HTMLParser
from typing import BinaryIO

from email_validator import EmailNotValidError, validate_email

from mailbox.parsing import Address, ParsedMessage

# Headers of a draft that only this app reads, removed before a message leaves.
DRAFT_KEY_HEADER = "X-Webmail-Draft-Key"
ORIGINAL_HEADER = "X-Webmail-Original"  # "<action> <uid> <folder>": the replied message

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_REPLY_PREFIX = re.compile(r"^\s*((re|ré|aw|sv|antw)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_FORWARD_PREFIX = re.compile(r"^\s*((fwd?|tr|wg|rv)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
MAX_REFERENCES = 20


class InvalidAddress(ValueError):
    """One address of a list cannot be used; `address` is what the person typed."""

    def __init__(self, address: str, reason: str) -> None:
        super().__init__(f"{address}: {reason}")
        self.address = address
        self.reason = reason


def one_line(text: str) -> str:
    """A header-safe single line: control characters (CR, LF, tab...) become spaces."""
    return _CONTROL.sub(" ", text or "").strip()


# ---- Addresses -------------------------------------------------------------------


def parse_address_list(text: str) -> list[Address]:
    """Addresses typed in a To/Cc/Bcc field, separated by commas, semicolons or lines.

    Each one is checked (syntax, internationalised domain names turned into their ASCII
    form); raises InvalidAddress naming the first bad one.
    """
    text = one_line((text or "").replace(";", ",").replace("\n", ","))
    if not text:
        return []
    parts = [part.strip() for part in _split_outside_quotes(text) if part.strip()]
    addresses: list[Address] = []
    for part in parts:
        pairs = getaddresses([part])
        if len(pairs) != 1 or not pairs[0][1] or "@" not in pairs[0][1]:
            raise InvalidAddress(part, "syntax")
        name, address = pairs[0]
        addresses.append(Address(name.strip(), normalise_address(address, typed=part)))
    return _unique(addresses)


def normalise_address(address: str, typed: str | None = None) -> str:
    """The address with its domain in ASCII (IDN → punycode). Raises InvalidAddress."""
    try:
        valid = validate_email(address.strip(), check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise InvalidAddress(typed or address, str(exc)) from exc
    return valid.ascii_email or valid.normalized


def _split_outside_quotes(text: str) -> list[str]:
    parts, current, quoted, angle = [], [], False, False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == "<" and not quoted:
            angle = True
        elif char == ">" and not quoted:
            angle = False
        if char == "," and not quoted and not angle:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _unique(addresses: Iterable[Address], exclude: Iterable[str] = ()) -> list[Address]:
    seen = {address.lower() for address in exclude}
    result = []
    for address in addresses:
        if address.address.lower() not in seen:
            seen.add(address.address.lower())
            result.append(address)
    return result


def format_address_list(addresses: Iterable[Address]) -> str:
    """'Marie Martin <marie@x>, paul@y': what a To field shows."""
    return ", ".join(_display(address) for address in addresses)


def _display(address: Address) -> str:
    if not address.name:
        return address.address
    name = address.name
    if any(char in name for char in ',;<>"@'):
        name = '"' + name.replace("\\", "").replace('"', "") + '"'
    return f"{name} <{address.address}>"


# ---- Replies and forwards --------------------------------------------------------


def reply_subject(subject: str) -> str:
    """'Re: ' once, whatever prefixes the original had ('RE :', 'Re: Re:', 'AW:')."""
    return "Re: " + _REPLY_PREFIX.sub("", subject or "")


def forward_subject(subject: str) -> str:
    """'Fwd: ' once ('TR:', 'Fw:' are Outlook's forms in French and English)."""
    return "Fwd: " + _FORWARD_PREFIX.sub("", subject or "")


def reply_recipients(
    original: ParsedMessage, own_addresses: Sequence[str], reply_all: bool
) -> tuple[list[Address], list[Address]]:
    """(to, cc) of a reply: the Reply-To or the sender; with reply_all, everyone else from
    To and Cc too, never the user's own addresses. Replying to one's own sent message goes
    back to its recipients."""
    own = [address.lower() for address in own_addresses]
    from_self = any(a.address.lower() in own for a in original.from_)
    if from_self and not original.reply_to:
        to = list(original.to)
    else:
        to = list(original.reply_to or original.from_)
    if not reply_all:
        return _unique(to, exclude=[] if from_self else own) or to[:1], []
    to = _unique([*to, *original.to], exclude=own)
    cc = _unique(original.cc, exclude=[*own, *(a.address for a in to)])
    return to, cc


def thread_headers(original: ParsedMessage) -> tuple[str, str]:
    """(In-Reply-To, References) of a reply: the original's id after its references."""
    message_id = one_line(original.message_id)
    references = [one_line(ref) for ref in original.references if ref.strip()]
    if not references and original.in_reply_to:
        references = [one_line(original.in_reply_to)]
    if message_id:
        references.append(message_id)
    # Keep the first (the thread's root) and the most recent ones (RFC 5322 §3.6.4).
    if len(references) > MAX_REFERENCES:
        references = [references[0], *references[-(MAX_REFERENCES - 1) :]]
    return message_id, " ".join(references)


def quote_text(text: str, attribution: str) -> str:
    """'On <date>, <name> wrote:' then every line of the original behind '> '."""
    lines = (text or "").replace("\r\n", "\n").rstrip("\n").split("\n")
    quoted = "\n".join(
        ">" + (" " + line if line and not line.startswith(">") else line) for line in lines
    )
    return f"\n\n{attribution}\n{quoted}\n"


def quote_html(text: str, attribution: str) -> str:
    """The same quote for the rich-text editor: the original's text in a blockquote."""
    paragraphs = "".join(f"<p>{html.escape(line) or '<br>'}</p>" for line in text.split("\n"))
    return f"<p><br></p><p>{html.escape(attribution)}</p><blockquote>{paragraphs}</blockquote>"


def forward_block(original: ParsedMessage, labels: dict[str, str], date_text: str) -> str:
    """The header block of an inline forward; labels hold the translated words
    ('title', 'from', 'date', 'subject', 'to', 'cc')."""
    lines = [f"-------- {labels['title']} --------"]
    lines.append(f"{labels['subject']}: {original.subject}")
    if date_text:
        lines.append(f"{labels['date']}: {date_text}")
    lines.append(f"{labels['from']}: {format_address_list(original.from_)}")
    if original.to:
        lines.append(f"{labels['to']}: {format_address_list(original.to)}")
    if original.cc:
        lines.append(f"{labels['cc']}: {format_address_list(original.cc)}")
    return "\n\n" + "\n".join(lines) + "\n\n" + (original.text or html_to_text(original.html or ""))


# ---- HTML bodies -----------------------------------------------------------------


class _TextMaker(HTMLParser):
    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.quote = 0
        self.links: list[str] = []
        self.lists: list[list[int]] = []
        self.skip = 0

    def _newline(self) -> None:
        self.lines.append("")

    def _break(self) -> None:
        """End the current line unless it is empty: blocks do not stack blank lines."""
        if self.lines[-1].strip(" >"):
            self._newline()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"style", "script", "head", "title"}:
            self.skip += 1
        elif tag == "br":
            self._newline()
        elif tag in self.BLOCKS or tag == "blockquote" or tag == "li":
            self._break()
            if tag == "blockquote":
                self.quote += 1
            elif tag in {"ol", "ul"}:
                self.lists.append([0 if tag == "ol" else -1])
            elif tag == "li":
                marker = "- "
                if self.lists and self.lists[-1][0] >= 0:
                    self.lists[-1][0] += 1
                    marker = f"{self.lists[-1][0]}. "
                self._write(marker)
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "script", "head", "title"}:
            self.skip = max(0, self.skip - 1)
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href.startswith(("http:", "https:")) and href not in self.lines[-1]:
                self._write(f" ({href})")
        elif tag in self.BLOCKS or tag in {"blockquote", "li"}:
            if tag == "blockquote":
                self.quote = max(0, self.quote - 1)
            elif tag in {"ol", "ul"} and self.lists:
                self.lists.pop()
            self._break()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._write(re.sub(r"\s+", " ", data.replace("\xa0", " ")))

    def _write(self, text: str) -> None:
        if not self.lines[-1] and self.quote:
            self.lines[-1] = "> " * self.quote
        self.lines[-1] += text


def html_to_text(markup: str) -> str:
    """The text/plain alternative of an HTML body: paragraphs, lists, '>' quotes, links."""
    maker = _TextMaker()
    maker.feed(markup or "")
    maker.close()
    text = "\n".join(line.rstrip() for line in maker.lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


def text_to_html(text: str) -> str:
    """A plain-text body as editor HTML (paragraphs; '>' lines become a blockquote)."""
    return "".join(f"<p>{html.escape(line) or '<br>'}</p>" for line in (text or "").split("\n"))


# ---- The message -----------------------------------------------------------------


@dataclass(frozen=True)
class AttachmentData:
    """A file to attach: its bytes, or a function giving them in chunks (a stored upload,
    read piece by piece so that a large file is never whole in memory)."""

    filename: str
    content_type: str
    data: bytes = b""
    open_chunks: Callable[[], Iterable[bytes]] | None = None

    def chunks(self) -> Iterable[bytes]:
        return self.open_chunks() if self.open_chunks else [self.data]


@dataclass
class Draft:
    """Everything a person wrote, checked: the input of write_message."""

    sender: Address
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    bcc: list[Address] = field(default_factory=list)
    subject: str = ""
    text: str = ""
    html: str | None = None  # sanitised HTML, or None for a plain-text message
    in_reply_to: str = ""
    references: str = ""
    message_id: str = ""
    draft_key: str = ""
    original: str = ""  # ORIGINAL_HEADER's value, drafts only

    @property
    def recipients(self) -> list[str]:
        return [a.address for a in _unique([*self.to, *self.cc, *self.bcc])]


def new_message_id(sender_address: str) -> str:
    return make_msgid(domain=sender_address.rsplit("@", 1)[-1] or "localhost")


def render_message(
    draft: Draft,
    attachments: Iterable[AttachmentData] = (),
    *,
    date: datetime,
    as_draft: bool = False,
) -> bytes:
    """The MIME message as bytes (CRLF line ends): see write_message."""
    out = io.BytesIO()
    write_message(out, draft, attachments, date=date, as_draft=as_draft)
    return out.getvalue()


def write_message(
    out: BinaryIO,
    draft: Draft,
    attachments: Iterable[AttachmentData] = (),
    *,
    date: datetime,
    as_draft: bool = False,
) -> None:
    """Write the MIME message (CRLF line ends) to out: text (+ HTML alternative), files.

    A message to send has no Bcc (see bcc_header) and none of this app's headers; a
    draft (as_draft) keeps both. Each file is base64-encoded chunk by chunk straight into
    out (a file: the message is never whole in memory); the email package would hold
    the file, its encoding and several copies at once. Raises ValueError if a header
    value is unusable.
    """
    message = _skeleton(draft, date, as_draft)
    placed: list[tuple[bytes, AttachmentData]] = []
    for attachment in attachments:
        token = _attach(message, attachment)
        if token:
            placed.append((token, attachment))
    skeleton = message.as_bytes(policy=policy.SMTP)
    position = 0
    for token, attachment in placed:
        index = skeleton.index(token, position)
        out.write(skeleton[position:index])
        _write_base64(out, attachment.chunks())
        position = index + len(token)
    out.write(skeleton[position:])


def bcc_header(draft: Draft) -> str:
    """The Bcc header line (folded, CRLF) for the copy filed in Sent; '' without Bcc."""
    if not draft.bcc:
        return ""
    holder = EmailMessage(policy=policy.SMTP)
    holder["Bcc"] = [_header_address(a) for a in draft.bcc]
    return holder.as_string().split("\r\n\r\n", 1)[0] + "\r\n"


def _skeleton(draft: Draft, date: datetime, as_draft: bool) -> EmailMessage:
    message = EmailMessage(policy=policy.default)
    message["From"] = _header_address(draft.sender)
    if draft.to:
        message["To"] = [_header_address(a) for a in draft.to]
    if draft.cc:
        message["Cc"] = [_header_address(a) for a in draft.cc]
    if draft.bcc and as_draft:
        message["Bcc"] = [_header_address(a) for a in draft.bcc]
    message["Subject"] = one_line(draft.subject)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = one_line(draft.message_id) or new_message_id(draft.sender.address)
    if draft.in_reply_to:
        message["In-Reply-To"] = one_line(draft.in_reply_to)
    if draft.references:
        message["References"] = one_line(draft.references)
    if as_draft:
        message[DRAFT_KEY_HEADER] = one_line(draft.draft_key)
        if draft.original:
            message[ORIGINAL_HEADER] = one_line(draft.original)
    message["MIME-Version"] = "1.0"
    message["User-Agent"] = "Webmail"
    message.set_content(draft.text or "", cte="quoted-printable")
    if draft.html is not None:
        message.add_alternative(_html_document(draft.html), subtype="html", cte="quoted-printable")
    return message


def _header_address(address: Address) -> HeaderAddress:
    local, _at, domain = address.address.rpartition("@")
    return HeaderAddress(display_name=one_line(address.name), username=local, domain=domain)


def _html_document(body: str) -> str:
    return f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>{body}</body></html>\n'


def _attach(message: EmailMessage, attachment: AttachmentData) -> bytes | None:
    """Add the file's part; for a base64 part, return the placeholder line its encoded
    bytes replace in the output."""
    maintype, _slash, subtype = (attachment.content_type or "").partition("/")
    if not maintype or not subtype or _CONTROL.search(attachment.content_type):
        maintype, subtype = "application", "octet-stream"
    filename = one_line(attachment.filename).replace("/", "_").replace("\\", "_") or "attachment"
    if maintype == "message" and subtype == "rfc822":
        # A forwarded message travels whole as message/rfc822, which may not be base64
        # encoded (RFC 2046 §5.2.1): attached as a parsed message, it goes as 8bit.
        data = b"".join(attachment.chunks())
        inner = email.message_from_bytes(data, policy=policy.default)
        message.add_attachment(inner, filename=filename)
        return None
    # A random placeholder of at most 57 bytes is one base64 line, found once in the output.
    placeholder = b"webmail-attachment-" + secrets.token_hex(16).encode()
    message.add_attachment(placeholder, maintype, subtype, filename=filename)
    return base64.b64encode(placeholder) + b"\r\n"


BASE64_LINE_BYTES = 57  # input bytes of one 76-character base64 line (RFC 2045 §6.8)


def _write_base64(out: BinaryIO, chunks: Iterable[bytes]) -> None:
    for block in _blocks(chunks, BASE64_LINE_BYTES * 1024):
        _write_base64_lines(out, block)


def _blocks(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """The bytes of chunks of any size, again as blocks of `size` (the last shorter)."""
    pending = bytearray()
    for chunk in chunks:
        view = memoryview(chunk)
        while view:
            take = size - len(pending)
            pending += view[:take]
            view = view[take:]
            if len(pending) == size:
                yield bytes(pending)
                pending.clear()
    if pending:
        yield bytes(pending)


def _write_base64_lines(out: BinaryIO, data: bytes) -> None:
    # encodebytes ends every 76 characters (57 input bytes) with a newline.
    out.write(base64.encodebytes(data).replace(b"\n", b"\r\n"))


def draft_headers(raw: bytes) -> dict[str, str]:
    """What a resumed draft needs beyond ParsedMessage: its Bcc, key and original."""
    headers = BytesHeaderParser(policy=policy.default).parsebytes(raw)
    return {
        "bcc": one_line(str(headers.get("Bcc", ""))),
        "draft_key": one_line(str(headers.get(DRAFT_KEY_HEADER, ""))),
        "original": one_line(str(headers.get(ORIGINAL_HEADER, ""))),
    }
