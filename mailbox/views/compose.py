"""Writing a message: the compose page (new, reply, forward, draft), autosave, send."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from addressbook import lists
from mailbox import compose_start, drafts, outbox, outgoing
from mailbox import uploads as upload_store
from mailbox.compose_forms import DRAFT_KEY, MAX_RECIPIENTS, ComposeForm
from mailbox.composing import DRAFT_KEY_HEADER, draft_headers
from mailbox.errors import AttachmentsNotReady, FolderNotFound, MessageNotFound
from mailbox.models import Identity, MessageTemplate, OutboxItem
from mailbox.parsing import parse_message
from mailbox.scheduling import is_working_time, next_working_morning
from mailbox.services import imap
from webmail.errors import MailServerUnavailable

logger = logging.getLogger(__name__)


@login_required
def compose(request):
    """A new message; ?to=&subject= prefill it (mailto: links)."""
    identities = Identity.for_user(request.user)
    prefill = {name: request.GET[name][:998] for name in ("to", "subject") if name in request.GET}
    initial = compose_start.blank(compose_start.default_identity(identities), **prefill)
    return compose_page(request, compose_form(request, identities, initial=initial))


@login_required
def reply(request, uid, folder_name):
    start = partial(compose_start.reply, user=request.user, reply_all=False)
    return _from_original(request, uid, folder_name, start)


@login_required
def reply_all(request, uid, folder_name):
    start = partial(compose_start.reply, user=request.user, reply_all=True)
    return _from_original(request, uid, folder_name, start)


@login_required
def forward(request, uid, folder_name):
    start = partial(compose_start.forward, as_attachment=False)
    return _from_original(request, uid, folder_name, start)


@login_required
def forward_attachment(request, uid, folder_name):
    start = partial(compose_start.forward, as_attachment=True)
    return _from_original(request, uid, folder_name, start)


def _from_original(request, uid, folder_name, start):
    """A compose page started from a message of the user's: start is compose_start's
    reply or forward, given the rest of its arguments."""
    identities = Identity.for_user(request.user)
    original = parse_message(_fetch(request.user, folder_name, uid).raw)
    identity = compose_start.default_identity(identities)
    initial = start(identity=identity, original=original, uid=uid, folder=folder_name)
    return compose_page(
        request, compose_form(request, identities, initial=initial), forwarded=original
    )


@login_required
def draft_edit(request, uid):
    """Resume a draft of the Drafts folder (one saved here, or by another mail client)."""
    account = request.user.mail_account
    with imap.session_for(account) as session:
        folder = session.special_folder("\\Drafts")
        fetched = _fetch_in(session, folder, uid)
    extras = draft_headers(fetched.raw)
    key = extras["draft_key"]
    if not key:
        # Another client's draft: saved again under a key of ours, then the old one goes.
        key = compose_start.new_draft_key()
        raw = f"{DRAFT_KEY_HEADER}: {key}\r\n".encode() + fetched.raw
        drafts.save_draft(account, raw, key)
        with imap.session_for(account) as session:
            session.expunge(folder, [uid])
    identities = Identity.for_user(request.user)
    draft = parse_message(fetched.raw)
    initial = compose_start.resumed(identities, draft, key, extras)
    outgoing.restore_uploads(request.user, key, fetched.raw, initial["original"])
    return compose_page(request, compose_form(request, identities, initial=initial))


@login_required
def draft_resume(request, draft_key):
    """The draft of this key, e.g. after an undo or a failed send."""
    with imap.session_for(request.user.mail_account) as session:
        folder = session.special_folder("\\Drafts")
        uids = session.uids_with_header(folder, DRAFT_KEY_HEADER, draft_key)
    if not uids:
        raise Http404("no such draft")
    return redirect("mailbox:draft-edit", uids[-1])


@require_POST
@login_required
def draft_save(request):
    """Autosave (every few seconds while typing, and when the page is left): JSON."""
    form = compose_form(request, Identity.for_user(request.user), data=request.POST)
    if not form.is_valid():
        if request.POST.get("save") == "page":
            return compose_page(request, form, status=422)
        return JsonResponse({"saved": False, "errors": _errors(form)}, status=422)
    draft = form.draft()
    try:
        files = outgoing.attachments(request.user, draft)
        with outgoing.draft_message(draft, files) as raw:
            drafts.save_draft(request.user.mail_account, raw, draft.draft_key)
    except MailServerUnavailable as exc:
        if request.POST.get("save") == "page":
            raise
        return JsonResponse(
            {"saved": False, "errors": {"__all__": [str(exc.user_message)]}}, status=503
        )
    if request.POST.get("save") == "page":  # the button, without JavaScript
        return redirect("mailbox:draft-resume", draft.draft_key)
    return JsonResponse({"saved": True, "saved_at": timezone.localtime().strftime("%H:%M:%S")})


@require_POST
@login_required
def draft_discard(request):
    """Delete every saved version of the draft and its files."""
    key = request.POST.get("draft_key", "")
    if DRAFT_KEY.match(key):
        folder = drafts.discard_draft(request.user.mail_account, key)
        upload_store.delete_draft_uploads(request.user, key)
    else:
        folder = drafts.drafts_folder(request.user.mail_account)
    return redirect("mailbox:folder-detail", folder)


@require_POST
@login_required
def send(request):
    """Send after the undo delay."""
    return _send(request, lambda form: timezone.now() + undo_delay())


@require_POST
@login_required
def send_later(request):
    """Send at the date and time chosen in the form."""
    return _send(request, lambda form: form.scheduled_time())


@require_POST
@login_required
def send_next_morning(request):
    """Outside working hours: deliver at the next working morning (right to disconnect)."""
    return _send(request, lambda form: next_morning())


def undo_delay() -> timedelta:
    return timedelta(seconds=settings.UNDO_SEND_SECONDS)


def next_morning() -> datetime:
    return next_working_morning(timezone.localtime(), settings.WORKING_HOURS_START)


def _send(request, when):
    """Save the draft, then queue the message for when(form); pressing send twice sends
    once."""
    user = request.user
    form = compose_form(request, Identity.for_user(user), data=request.POST)
    if not form.require_recipient():
        return compose_page(request, form, status=422)
    send_at = when(form)
    if send_at is None:
        return compose_page(request, form, status=422)
    draft = form.draft()
    already = OutboxItem.objects.filter(user=user, draft_key=draft.draft_key).first()
    if already and already.status in outbox.NOT_AGAIN:
        return redirect("mailbox:outbox-item", already.pk)
    try:
        # The draft keeps a distribution list as one recipient; the message goes to its members.
        to_send = lists.expand_draft(user, draft, MAX_RECIPIENTS)
    except lists.ListNotUsable as exc:
        form.add_error(None, exc.user_message)
        return compose_page(request, form, status=422)
    try:
        # Both are written to temporary files, never whole in memory (a 25 MB file).
        files = outgoing.attachments(user, draft)
        with outgoing.draft_message(draft, files) as raw:
            drafts.save_draft(user.mail_account, raw, draft.draft_key)
        message = outgoing.message_to_send(user, to_send, files, request.build_absolute_uri("/"))
    except AttachmentsNotReady as exc:
        form.add_error(None, exc.user_message)
        return compose_page(request, form, status=422)
    except MailServerUnavailable as exc:
        # The page comes back with everything typed, rather than the generic retry page.
        logger.warning("draft not saved before sending: user=%s detail=%s", user.pk, exc.detail)
        form.add_error(None, _("The mail server did not answer, so nothing was sent. Try again."))
        return compose_page(request, form, status=503)
    with message:
        item = outbox.queue_message(
            user, to_send, message, send_at=send_at, original=draft.original
        )
    return redirect("mailbox:outbox-item", item.pk)


def compose_form(request, identities, **kwargs) -> ComposeForm:
    """The compose form for this user, with their identities as From choices."""
    return ComposeForm(user=request.user, identities=identities, **kwargs)


def _errors(form: ComposeForm) -> dict[str, list[str]]:
    return {field: [str(error) for error in errors] for field, errors in form.errors.items()}


def compose_page(request, form: ComposeForm, status: int = 200, forwarded=None, notice=""):
    """The compose page for this form (its data or its initial values)."""
    context = {
        "notice": notice,
        "templates": MessageTemplate.objects.filter(user=request.user),
        # For compose.js: the signature follows the chosen From.
        "signatures": {str(pk): i.signature for pk, i in form.identities.items()},
        "form": form,
        "draft_key": form["draft_key"].value(),
        "forwarded": forwarded,
        "save_url": reverse("mailbox:draft-save"),
        "autosave_seconds": settings.DRAFT_AUTOSAVE_SECONDS,
        "outside_working_hours": not is_working_time(
            timezone.localtime(), settings.WORKING_HOURS_START, settings.WORKING_HOURS_END
        ),
        "next_morning": next_morning(),
    }
    return render(request, "mailbox/compose.html", context, status=status)


def _fetch(user, folder_name, uid):
    with imap.session_for(user.mail_account) as session:
        return _fetch_in(session, folder_name, uid)


def _fetch_in(session, folder_name, uid):
    try:
        return session.fetch_message(folder_name, uid)
    except (FolderNotFound, MessageNotFound) as exc:
        raise Http404(exc.user_message) from exc
