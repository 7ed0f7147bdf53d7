from csp.decorators import csp_exempt
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.clickjacking import xframe_options_sameorigin

from mailbox import reading
from mailbox.errors import FolderNotFound, MessageNotFound
from mailbox.parsing import parse_message, part_bytes
from mailbox.services import imap

# Types a browser may show inline from our origin; anything else is a download.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


@login_required
def message_detail(request, uid, folder_name):
    with imap.session_for(request.user.mail_account) as session:
        folders = session.list_folders()
        fetched = _fetch(session, folder_name, uid)
        if "\\Seen" not in fetched.flags:
            # Marked read only once it was fetched whole, so a failure leaves it unread.
            session.mark_seen(folder_name, [uid])
    message = parse_message(fetched.raw)
    show_text = request.GET.get("view") == "text"
    remote_allowed = request.GET.get("images") == "1"
    body = _render_body(message, uid, folder_name, show_text, remote_allowed)
    context = {
        "folders": folders,
        "folder_name": folder_name,
        "uid": uid,
        "message": message,
        "attachments": [a for a in message.attachments if not a.inline or not message.html],
        "show_text": show_text,
        "remote_allowed": remote_allowed,
        "remote_blocked": body.remote_content_blocked,
        "is_flagged": "\\Flagged" in fetched.flags,
    }
    return render(request, "mailbox/message_detail.html", context)


@csp_exempt()
@xframe_options_sameorigin
@login_required
def message_body(request, uid, folder_name):
    """The body alone, for the sandboxed iframe of the message page, under its own CSP."""
    allow_remote = request.GET.get("images") == "1"
    with imap.session_for(request.user.mail_account) as session:
        fetched = _fetch(session, folder_name, uid)
    message = parse_message(fetched.raw)
    body = _render_body(message, uid, folder_name, request.GET.get("view") == "text", allow_remote)
    response = render(request, "mailbox/message_body.html", {"body": body})
    response["Content-Security-Policy"] = reading.body_csp(allow_remote)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def message_part(request, uid, part_id, folder_name):
    """One attachment or inline image of a message, from the message itself."""
    with imap.session_for(request.user.mail_account) as session:
        fetched = _fetch(session, folder_name, uid)
    found = part_bytes(fetched.raw, part_id)
    if found is None:
        raise Http404
    part, data = found
    attachment = next(
        (a for a in parse_message(fetched.raw).attachments if a.part_id == part_id), None
    )
    filename = attachment.filename if attachment else f"part-{part_id}"
    content_type = part.get_content_type()
    inline = content_type in INLINE_TYPES and request.GET.get("download") != "1"
    response = HttpResponse(
        data, content_type=content_type if inline else "application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _render_body(message, uid, folder_name, show_text, allow_remote):
    return reading.render_body(
        message,
        prefer_text=show_text,
        allow_remote_images=allow_remote,
        part_url=lambda part_id: reverse("mailbox:message-part", args=[uid, part_id, folder_name]),
    )


def _fetch(session, folder_name, uid):
    try:
        return session.fetch_message(folder_name, uid)
    except (FolderNotFound, MessageNotFound) as exc:
        raise Http404(exc.user_message) from exc
