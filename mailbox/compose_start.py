"""What a compose page starts with: empty, a reply, a forward, or a draft resumed.

Each function returns the initial data of ComposeForm; wording (the attribution line,
the forward header) is translated into the user's language here.
"""

from __future__ import annotations

import html
import secrets

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mailbox import composing
from mailbox.composing import format_address_list
from mailbox.models import Identity, sendable_addresses
from mailbox.parsing import ParsedMessage
from mailbox.sanitize import sanitize_html

SIGNATURE_SEPARATOR = "-- "  # RFC 3676 §4.3: mail clients recognise and strip it


def new_draft_key() -> str:
    return secrets.token_urlsafe(24)


def default_identity(identities: list[Identity]) -> Identity:
    return next((i for i in identities if i.is_default), identities[0])


def signature_text(identity: Identity) -> str:
    return f"\n\n{SIGNATURE_SEPARATOR}\n{identity.signature}" if identity.signature.strip() else ""


def signature_html(identity: Identity) -> str:
    if not identity.signature.strip():
        return ""
    lines = "<br>".join(html.escape(line) for line in identity.signature.split("\n"))
    return f"<p><br></p><p>{SIGNATURE_SEPARATOR}<br>{lines}</p>"


def blank(identity: Identity, **fields) -> dict:
    """A new message from this identity; fields ('to', 'subject'...) prefill it."""
    initial = dict.fromkeys(
        ("to", "cc", "bcc", "subject", "in_reply_to", "references", "original"), ""
    )
    initial |= {
        "draft_key": new_draft_key(),
        "identity": identity.pk,
        "message_id": composing.new_message_id(identity.address),
        "mode": "text",
        "body": signature_text(identity),
        "body_html": "<p><br></p>" + signature_html(identity),
    }
    initial.update(fields)
    return initial


def attribution(original: ParsedMessage) -> str:
    """'On <date>, <name> wrote:' in the user's language."""
    sender = original.from_[0] if original.from_ else None
    name = (sender.name or sender.address) if sender else _("someone")
    if original.date is None:
        return _("%(name)s wrote:") % {"name": name}
    when = formats.date_format(timezone.localtime(original.date), "DATETIME_FORMAT")
    return _("On %(date)s, %(name)s wrote:") % {"date": when, "name": name}


def _original_text(original: ParsedMessage) -> str:
    if original.text is not None:
        return original.text
    return composing.html_to_text(sanitize_html(original.html or "").html)


def reply(
    identity: Identity, user, original: ParsedMessage, uid: int, folder: str, reply_all: bool
) -> dict:
    to, cc = composing.reply_recipients(original, sendable_addresses(user), reply_all)
    in_reply_to, references = composing.thread_headers(original)
    text = _original_text(original)
    line = attribution(original)
    return blank(
        identity,
        to=format_address_list(to),
        cc=format_address_list(cc),
        subject=composing.reply_subject(original.subject),
        in_reply_to=in_reply_to,
        references=references,
        original=f"reply {uid} {folder}",
        body=signature_text(identity) + composing.quote_text(text, line),
        body_html="<p><br></p>" + signature_html(identity) + composing.quote_html(text, line),
    )


def forward(
    identity: Identity, original: ParsedMessage, uid: int, folder: str, as_attachment: bool
) -> dict:
    subject = composing.forward_subject(original.subject)
    if as_attachment:
        return blank(identity, subject=subject, original=f"forward-attachment {uid} {folder}")
    labels = {
        "title": _("Forwarded message"),
        "from": _("From"),
        "date": _("Date"),
        "subject": _("Subject"),
        "to": _("To"),
        "cc": _("Cc"),
    }
    date_text = (
        formats.date_format(timezone.localtime(original.date), "DATETIME_FORMAT")
        if original.date
        else ""
    )
    block = composing.forward_block(original, labels, date_text)
    return blank(
        identity,
        subject=subject,
        original=f"forward {uid} {folder}",
        body=signature_text(identity) + block,
        body_html="<p><br></p>"
        + signature_html(identity)
        + composing.text_to_html(block.lstrip("\n")),
    )


def resumed(identities: list[Identity], draft: ParsedMessage, draft_key: str, raw_headers) -> dict:
    """A draft from the Drafts folder, as it was saved (here or by another client)."""
    sender = draft.from_[0].address.lower() if draft.from_ else ""
    identity = next(
        (i for i in identities if i.address.lower() == sender and i.is_default),
        next((i for i in identities if i.address.lower() == sender), default_identity(identities)),
    )
    body_html = ""
    if draft.html:
        body_html = sanitize_html(draft.html, allow_remote_images=True).html
    return {
        "draft_key": draft_key,
        "identity": identity.pk,
        "to": format_address_list(draft.to),
        "cc": format_address_list(draft.cc),
        "bcc": raw_headers.get("bcc", ""),
        "subject": draft.subject,
        "message_id": draft.message_id or composing.new_message_id(identity.address),
        "in_reply_to": draft.in_reply_to,
        "references": " ".join(draft.references),
        "original": raw_headers.get("original", ""),
        "mode": "html" if draft.html else "text",
        "body": draft.text or composing.html_to_text(body_html),
        "body_html": body_html or composing.text_to_html(draft.text or ""),
    }


def from_template(identity: Identity, template) -> dict:
    """A new message with a template's recipients, subject and text (a fresh draft)."""
    return blank(
        identity,
        to=template.to,
        cc=template.cc,
        subject=template.subject,
        body=template.body + signature_text(identity),
        body_html=(template.body_html or composing.text_to_html(template.body))
        + signature_html(identity),
    )
