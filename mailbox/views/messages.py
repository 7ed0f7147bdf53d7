from dataclasses import replace

from csp.decorators import csp_exempt
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.clickjacking import xframe_options_sameorigin

from calendar_app.invitations import invitation_card
from mailbox import message_safety, reading
from mailbox.errors import FolderNotFound, MessageNotFound
from mailbox.forms import ListPlaceForm
from mailbox.highlight import highlight_html
from mailbox.list_positions import page_of
from mailbox.message_links import message_url
from mailbox.models import MailPreferences
from mailbox.parsing import parse_message, part_bytes, with_part_sizes
from mailbox.preference_forms import list_order
from mailbox.sanitize import SanitizedHtml
from mailbox.searching import words_to_highlight
from mailbox.services import body_cache, imap, list_context

# Types a browser may show inline from our origin; anything else is a download. Never
# SVG, which can carry scripts. PDFs are previewed in a frame of the message page.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
PREVIEW_TYPES = INLINE_TYPES | {"application/pdf"}
# A part opened on its own runs nothing and loads nothing, and only the message page may
# frame it. Chromium's PDF viewer works under this CSP sandbox (checked in
# tests/browser/test_message_preview.py), but not in an <iframe sandbox>.
PART_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox"
)


@login_required
def message_detail(request, uid, folder_name):
    account = request.user.mail_account
    with imap.session_for(account) as session:
        folders = session.list_folders()
        fetched = _fetch(session, folder_name, uid, for_reading=True)
        uidvalidity = session.uidvalidity(folder_name)  # selected by the fetch: no command
        # Before marking it read: the folder is still selected read-only.
        place = _list_place(request, session, folder_name, fetched)
        if "\\Seen" not in fetched.flags:
            # Marked read only once it was fetched whole, so a failure leaves it unread.
            session.mark_seen(folder_name, [uid])
    message = with_part_sizes(parse_message(fetched.raw), fetched.omitted)
    # Sanitised once, as the body frame shows it unless images are allowed: the safety
    # checks read it here, and the frame's request takes it from the cache.
    kept = body_cache.read(account, folder_name, uidvalidity, uid) if message.html else None
    body = kept or (_render_body(message, uid, folder_name, False, False) if message.html else None)
    sanitised = SanitizedHtml(body.html, body.remote_content_blocked) if body else None
    safety = message_safety.assess_message(request.user, message, fetched.raw, sanitised)
    show_text = request.GET.get("view") == "text"
    remote_allowed = request.GET.get("images") == "1" or safety.images_trusted
    if body and not kept and not show_text and not remote_allowed:
        body_cache.store(account, folder_name, uidvalidity, uid, body)  # what the frame asks
    highlight = words_to_highlight(request.GET.get("hl", ""))
    context = {
        "folders": folders,
        "folder_name": folder_name,
        "uid": uid,
        "message": message,
        "attachments": [a for a in message.attachments if not a.inline or not message.html],
        "image_types": INLINE_TYPES,  # attachments shown as images in the page
        "show_text": show_text,
        "remote_allowed": remote_allowed,
        # The body itself is the iframe's (message_body); the safety check has already
        # sanitised it once and knows whether it asks for remote images.
        "remote_blocked": safety.remote_content and not show_text and not remote_allowed,
        "is_flagged": "\\Flagged" in fetched.flags,
        "safety": safety,
        "flags": fetched.flags,
        "highlight": " ".join(highlight),  # search words, marked in the body's iframe
        **place,
        # An invitation, a reply to one or a cancellation: shown, and applied to the
        # calendar when the sender may change it (calendar_app.invitations).
        "invitation": invitation_card(
            request.user, fetched.raw, message.from_[0].address if message.from_ else ""
        ),
    }
    return render(request, "mailbox/message_detail.html", context)


def _list_place(request, session, folder_name: str, fetched) -> dict:
    """The list the message (fetched, just now) was opened from: the previous/next
    messages' URLs, the way back to the list's page (or the search results) holding it,
    and what the action buttons need to open the next message once this one is moved away."""
    uid = fetched.uid
    position, results = ListPlaceForm(request.GET).place()
    account = request.user.mail_account
    preferences = MailPreferences.for_user(request.user)
    highlight = " ".join(words_to_highlight(request.GET.get("hl", "")))
    back_url = None
    if results:
        found, back_url = list_context.results_neighbours(
            session, account, folder_name, uid, results, preferences.page_size
        )
        results = results if found else ""
    else:
        order = list_order(preferences)
        found = list_context.folder_neighbours(
            session, account, folder_name, uid, order, position, fetched.sequence
        )
    if back_url is None:
        back_url = reverse("mailbox:folder-detail", args=[folder_name])
        page = page_of(found.position, preferences.page_size) if found else 1
        back_url += f"?page={page}" if page > 1 else ""
    place = {"back_url": back_url, "from_results": bool(results), "list_place": found}
    if found is None:
        return place
    for name, other, offset in (("previous", found.previous, -1), ("next", found.next, 1)):
        if other is not None:
            url = message_url(other, folder_name, found.position + offset, results, highlight)
            place[f"{name}_url"] = url
    place["advance"] = found.after_removal()
    place["results"] = results
    return place


@csp_exempt()
@xframe_options_sameorigin
@login_required
def message_body(request, uid, folder_name):
    """The body alone, for the sandboxed iframe of the message page, under its own CSP."""
    allow_remote = request.GET.get("images") == "1"
    show_text = request.GET.get("view") == "text"
    account = request.user.mail_account
    body = None
    with imap.session_for(account) as session:
        if not show_text and not allow_remote:  # the variant the page keeps (body_cache)
            body = body_cache.read(account, folder_name, _uidvalidity(session, folder_name), uid)
        if body is None:
            fetched = _fetch(session, folder_name, uid, for_reading=True)
    if body is None:
        body = _render_body(parse_message(fetched.raw), uid, folder_name, show_text, allow_remote)
    highlight = words_to_highlight(request.GET.get("hl", ""))
    if highlight:  # the words searched, marked in the already sanitised body
        body = replace(body, html=highlight_html(body.html, highlight))
    response = render(request, "mailbox/message_body.html", {"body": body})
    response["Content-Security-Policy"] = reading.body_csp(allow_remote)
    response["Cache-Control"] = "private, no-store"
    return response


@xframe_options_sameorigin
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
    inline = content_type in PREVIEW_TYPES and request.GET.get("download") != "1"
    response = HttpResponse(
        data, content_type=content_type if inline else "application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PART_CSP
    return response


def _render_body(message, uid, folder_name, show_text, allow_remote):
    return reading.render_body(
        message,
        prefer_text=show_text,
        allow_remote_images=allow_remote,
        part_url=lambda part_id: reverse("mailbox:message-part", args=[uid, part_id, folder_name]),
    )


def _uidvalidity(session, folder_name):
    try:
        return session.uidvalidity(folder_name)
    except FolderNotFound as exc:
        raise Http404(exc.user_message) from exc


def _fetch(session, folder_name, uid, *, for_reading=False):
    """The message; for_reading: without the bodies of big attachments, which the
    message page and its body frame do not show (ImapSession.fetch_for_reading)."""
    try:
        if for_reading:
            return session.fetch_for_reading(folder_name, uid)
        return session.fetch_message(folder_name, uid)
    except (FolderNotFound, MessageNotFound) as exc:
        raise Http404(exc.user_message) from exc
