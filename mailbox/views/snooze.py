"""Snooze selected messages, list the snoozed ones, bring one back now."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mailbox import snoozing
from mailbox.errors import FolderNotFound, MessageCannotBeSnoozed
from mailbox.models import SnoozedMessage
from mailbox.services import imap
from mailbox.services.imap import SNOOZED_FOLDER
from mailbox.snooze_forms import SnoozeForm

# The list actions' answer path: the list, its errors, its htmx partial.
from mailbox.views.message_actions import list_response, run_action

# Messages of the Snoozed folder read to link the list's rows to them.
SNOOZED_PAGE_SIZE = 500


@require_POST
@login_required
def snooze_messages(request, folder_name):
    """Like the list's other actions (message_actions.py), with a wake-up time."""
    with imap.session_for(request.user.mail_account) as session:
        form = SnoozeForm(request.POST)

        def action(session, uids):
            snoozing.snooze(request.user, session, folder_name, uids, form.cleaned_data["wake_at"])

        try:
            return run_action(request, session, folder_name, form, action)
        except MessageCannotBeSnoozed as exc:
            page = form.cleaned_data["page"]
            return list_response(request, session, folder_name, page, [exc.user_message], 409)


@login_required
def snoozed_list(request):
    """The snoozed messages with the time each comes back, linked to the message."""
    rows = list(snoozing.pending_for(request.user))
    with imap.session_for(request.user.mail_account) as session:
        folders = session.list_folders_with_counts()
        quota = session.quota(folders)
        try:
            waiting = session.fetch_page(SNOOZED_FOLDER, 1, SNOOZED_PAGE_SIZE).messages
        except FolderNotFound:
            waiting = []  # nothing was ever snoozed
    uids = {message.message_id: message.uid for message in waiting}
    known = {row.message_id for row in rows}
    context = {
        "folders": folders,
        "quota": quota,
        "folder_name": SNOOZED_FOLDER,
        "snoozed": [(row, uids.get(row.message_id)) for row in rows],
        # In the folder without a wake-up time (moved there by hand or by another client).
        "unscheduled": [m for m in waiting if m.message_id not in known],
    }
    return render(request, "mailbox/snoozed.html", context)


@require_POST
@login_required
def unsnooze(request, snoozed_id):
    """Bring one snoozed message back to INBOX now, unread."""
    try:
        row = snoozing.get_pending_for_user(request.user, snoozed_id)
    except SnoozedMessage.DoesNotExist as exc:
        raise Http404 from exc
    with imap.session_for(request.user.mail_account) as session:
        snoozing.wake(row, session)
    return redirect("mailbox:snoozed")
