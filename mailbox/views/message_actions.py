"""Actions on selected messages: one POST URL per action, each one service call.

After the action the browser goes back to the folder page (same ?page), or, for htmx,
gets the message rows again. An invalid selection (a UID that is not a number, too many)
answers 422 with the list and the error, and touches nothing.
"""

from contextlib import contextmanager

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mailbox.errors import FolderNotFound, SpecialFolderMissing
from mailbox.forms import MessageSelectionForm, MoveForm
from mailbox.list_positions import page_of
from mailbox.message_links import message_url
from mailbox.models import MailPreferences
from mailbox.services import imap, list_context
from mailbox.views.folders import folder_page_context
from webmail.htmx import is_htmx, page_or_partial

SEEN, FLAGGED = "\\Seen", "\\Flagged"
TRASH, JUNK, ARCHIVE = "\\Trash", "\\Junk", "\\Archive"


@require_POST
@login_required
def mark_read(request, folder_name):
    return _act(request, folder_name, lambda s, uids: s.set_flags(folder_name, uids, [SEEN]), True)


@require_POST
@login_required
def mark_unread(request, folder_name):
    return _act(request, folder_name, lambda s, uids: s.remove_flags(folder_name, uids, [SEEN]))


@require_POST
@login_required
def flag(request, folder_name):
    return _act(
        request, folder_name, lambda s, uids: s.set_flags(folder_name, uids, [FLAGGED]), True
    )


@require_POST
@login_required
def unflag(request, folder_name):
    return _act(
        request, folder_name, lambda s, uids: s.remove_flags(folder_name, uids, [FLAGGED]), True
    )


@require_POST
@login_required
def move(request, folder_name):
    """Move to a folder chosen among the user's own; an unknown name is refused (422)."""
    with imap.session_for(request.user.mail_account) as session:
        folders = [f for f in session.list_folders() if f.is_selectable]
        form = MoveForm(request.POST, folders=folders)
        return run_action(request, session, folder_name, form, _move_to(folder_name, form))


@require_POST
@login_required
def archive(request, folder_name):
    return _act(request, folder_name, _move_to_special(folder_name, ARCHIVE))


@require_POST
@login_required
def spam(request, folder_name):
    return _act(request, folder_name, _move_to_special(folder_name, JUNK))


@require_POST
@login_required
def not_spam(request, folder_name):
    return _act(request, folder_name, lambda s, uids: s.move(folder_name, uids, "INBOX"))


@require_POST
@login_required
def delete(request, folder_name):
    """Move to Trash; in the Trash itself, show the confirmation page instead."""
    with imap.session_for(request.user.mail_account) as session:
        form = MessageSelectionForm(request.POST)
        if form.is_valid() and _is_trash(session, folder_name):
            with folder_or_404():
                uids = selected_uids(session, folder_name, form)
            context = {
                "folder_name": folder_name,
                "form": form,
                "count": len(uids),
                "up_to_uid": max(uids, default=0),
            }
            return render(request, "mailbox/delete_confirm.html", context)
        return run_action(request, session, folder_name, form, _move_to_special(folder_name, TRASH))


@require_POST
@login_required
def delete_for_good(request, folder_name):
    """Expunge, once confirmed on the page that delete() shows; only in the Trash."""
    with imap.session_for(request.user.mail_account) as session:
        if not _is_trash(session, folder_name):
            raise Http404
        form = MessageSelectionForm(request.POST)
        return run_action(
            request, session, folder_name, form, lambda s, uids: s.expunge(folder_name, uids)
        )


def _act(request, folder_name, action, may_stay=False):
    with imap.session_for(request.user.mail_account) as session:
        form = MessageSelectionForm(request.POST)
        return run_action(request, session, folder_name, form, action, may_stay)


def run_action(request, session, folder_name, form, action, may_stay=False):
    """Validate the selection, call action(session, uids), answer with the list."""
    if not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        return list_response(request, session, folder_name, None, errors, status=422)
    try:
        with folder_or_404():
            action(session, selected_uids(session, folder_name, form))
    except SpecialFolderMissing as exc:
        page = form.cleaned_data["page"]
        return list_response(request, session, folder_name, page, [exc.user_message], 409)
    return _done(request, session, folder_name, form, may_stay)


def _move_to(folder_name, form):
    return lambda session, uids: session.move(folder_name, uids, form.cleaned_data["target"])


def _move_to_special(folder_name, special_use):
    def action(session, uids):
        session.move(folder_name, uids, session.special_folder(special_use))

    return action


def selected_uids(session, folder_name, form):
    if form.cleaned_data["all_in_folder"]:
        up_to = form.cleaned_data["up_to_uid"]
        uids = session.all_uids(folder_name)
        return [uid for uid in uids if uid <= up_to] if up_to else uids
    return form.cleaned_data["uids"]


def _is_trash(session, folder_name):
    try:
        return session.special_folder(TRASH) == folder_name
    except SpecialFolderMissing:
        return False


def _done(request, session, folder_name, form, may_stay):
    page = form.cleaned_data["page"] or 1
    if is_htmx(request):
        return list_response(request, session, folder_name, page)
    data = form.cleaned_data
    uids, position, results = data["uids"], data["list_position"], data["results"] or ""
    if data["back_to_message"] and len(uids) == 1:
        if may_stay:
            return redirect(message_url(uids[0], folder_name, position, results))
        return _after_moving_away(request, folder_name, data)
    url = reverse("mailbox:folder-detail", args=[folder_name])
    return redirect(f"{url}?page={page}" if page > 1 else url)


def _after_moving_away(request, folder_name, data):
    """The message page's message went: open the one that took its place in the list,
    if the user chose so, else go back to the list (or the search results) there."""
    account = request.user.mail_account
    preferences = MailPreferences.for_user(request.user)
    results = data["results"] or ""
    if results:
        list_context.forget_results(account, results, set(data["uids"]))
    if preferences.open_next_after_action and data["advance_to"]:
        position = data["advance_position"]
        return redirect(message_url(data["advance_to"], folder_name, position, results))
    position = data["list_position"] or 0
    if results:
        back = list_context.results_page_url(
            account, folder_name, results, position, preferences.page_size
        )
        if back:
            return redirect(back)
    page = page_of(position, preferences.page_size)
    url = reverse("mailbox:folder-detail", args=[folder_name])
    return redirect(f"{url}?page={page}" if page > 1 else url)


def list_response(request, session, folder_name, page, errors=(), status=200):
    """The folder page, or for htmx its rows and the folder tree's unread counts, with
    the action's errors above the list.
    """
    context = folder_page_context(session, folder_name, page, with_tree=True, user=request.user)
    context["action_errors"] = list(errors)
    response = page_or_partial(
        request,
        "mailbox/folder_detail.html",
        "mailbox/partials/message_rows_after_action.html",
        context,
    )
    response.status_code = status
    return response


@contextmanager
def folder_or_404():
    try:
        yield
    except FolderNotFound as exc:
        raise Http404(exc.user_message) from exc
