"""What the message page shows, built from a fetched message. Pure: no I/O, no Django."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import bleach
from django.utils.html import escape

from mailbox.parsing import ParsedMessage
from mailbox.sanitize import SanitizedHtml, sanitize_html

# The document inside the sandboxed iframe: nothing may run, load or submit; styles from
# the message's own (sanitised) style attributes only; images from our own parts, or
# from anywhere once the reader allowed remote images for this message.
BODY_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'{remote}; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'self'; "
    "sandbox allow-popups allow-popups-to-escape-sandbox"
)


@dataclass(frozen=True)
class MessageBody:
    html: str  # safe HTML for the iframe document
    remote_content_blocked: bool


def body_csp(allow_remote_images: bool) -> str:
    return BODY_CSP.format(remote=" https: http:" if allow_remote_images else "")


def render_body(
    message: ParsedMessage,
    *,
    prefer_text: bool,
    allow_remote_images: bool,
    part_url: Callable[[str], str],
) -> MessageBody:
    """The body as safe HTML: the sanitised HTML part, or the text part with links."""
    if message.html and not prefer_text:
        content_ids = message.content_ids()

        def cid_url(content_id: str) -> str | None:
            part_id = content_ids.get(content_id)
            return part_url(part_id) if part_id else None

        cleaned: SanitizedHtml = sanitize_html(
            message.html, allow_remote_images=allow_remote_images, cid_url=cid_url
        )
        return MessageBody(cleaned.html, cleaned.remote_content_blocked)
    return MessageBody(text_to_html(message.text or ""), False)


# bleach's linkify costs about 3 µs a character, and its search for e-mail addresses
# grows with the square of a word's length: one 50,000-character line (base64 pasted
# into a mail) took two minutes. So links are looked for in the first LINKIFY_LIMIT
# characters only (the rest is shown as it is), and e-mail addresses only in words short
# enough to be one (RFC 5321: 254 characters at most).
LINKIFY_LIMIT = 100_000
_LONG_WORD = re.compile(r"\S{255,}")


def text_to_html(text: str) -> str:
    """Plain text, escaped, with web and mail links made clickable (bleach.linkify)."""
    head, tail = text, ""
    if len(text) > LINKIFY_LIMIT:
        cut = text.rfind("\n", 0, LINKIFY_LIMIT) + 1 or LINKIFY_LIMIT
        head, tail = text[:cut], text[cut:]
    return f'<pre class="message-text">{_linked(head)}{escape(tail)}</pre>'


def _linked(text: str) -> str:
    pieces, last = [], 0
    for word in _LONG_WORD.finditer(text):
        pieces.append(_linkify(text[last : word.start()], parse_email=True))
        pieces.append(_linkify(word.group(), parse_email=False))
        last = word.end()
    pieces.append(_linkify(text[last:], parse_email=True))
    return "".join(pieces)


def _linkify(text: str, *, parse_email: bool) -> str:
    if not text:
        return ""
    return bleach.linkify(str(escape(text)), callbacks=[_new_tab], parse_email=parse_email)


def _new_tab(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "target")] = "_blank"
    attrs[(None, "rel")] = "noopener noreferrer"
    return attrs
