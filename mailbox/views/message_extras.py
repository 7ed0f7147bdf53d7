"""More ways to see one message: its original source, as an .eml file, a print view, and
all its attachments in one zip. Nothing here marks the message read."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from mailbox.export_formats import eml_filename, safe_filename, unique_names, zip_stream
from mailbox.parsing import header_subject, iter_part_bytes, parse_message
from mailbox.services import imap
from mailbox.views.messages import _fetch, _render_body


@login_required
def message_source(request, uid, folder_name):
    """The message as it came, shown as text (never as HTML), with a copy button."""
    raw = _raw(request, uid, folder_name)
    context = {
        "folder_name": folder_name,
        "uid": uid,
        "subject": header_subject(raw),
        # Shown only: bytes that are not UTF-8 become U+FFFD here, never in the .eml.
        "source": raw.decode("utf-8", errors="replace"),
    }
    return _private(render(request, "mailbox/message_source.html", context))


@login_required
def message_eml(request, uid, folder_name):
    """The message byte for byte as the server holds it, as a .eml download."""
    raw = _raw(request, uid, folder_name)
    response = HttpResponse(raw, content_type="message/rfc822")
    name = eml_filename(header_subject(raw), uid)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return _private(response)


@login_required
def message_print(request, uid, folder_name):
    """A page for paper: the headers and the sanitised body, no menus; ?autoprint=1
    opens the print dialog (static/js/message_print.js)."""
    message = parse_message(_raw(request, uid, folder_name))
    context = {
        "message": message,
        "folder_name": folder_name,
        "uid": uid,
        # Remote images stay blocked: printing must not tell the sender it was read.
        "body": _render_body(message, uid, folder_name, request.GET.get("view") == "text", False),
        "attachments": _attachments(message),
        "autoprint": request.GET.get("autoprint") == "1",
    }
    return _private(render(request, "mailbox/message_print.html", context))


@login_required
def message_attachments_zip(request, uid, folder_name):
    """Every attachment of the message in one zip, written as it is sent, under safe and
    distinct names."""
    raw = _raw(request, uid, folder_name)
    message = parse_message(raw)
    attachments = _attachments(message)
    safe_names = (safe_filename(a.filename, f"part-{a.part_id}") for a in attachments)
    names = dict(zip([a.part_id for a in attachments], unique_names(safe_names), strict=True))
    files = (
        (names[part_id], data, message.date) for part_id, data in iter_part_bytes(raw, set(names))
    )
    response = StreamingHttpResponse(zip_stream(files), content_type="application/zip")
    archive = safe_filename(f"{message.subject} - {_('attachments')}", "message") + ".zip"
    response["Content-Disposition"] = content_disposition_header(True, archive)
    return _private(response)


def _raw(request, uid, folder_name) -> bytes:
    """The whole message, without marking it read. Raises Http404."""
    with imap.session_for(request.user.mail_account) as session:
        return _fetch(session, folder_name, uid).raw


def _attachments(message):
    # As on the message page: inline images of an HTML body are part of the body.
    return [a for a in message.attachments if not a.inline or not message.html]


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response
