"""One conversation of the conversation view: its messages, oldest first."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from mailbox.errors import FolderNotFound
from mailbox.models import MailPreferences
from mailbox.preference_forms import list_order
from mailbox.services import imap, listing


@login_required
def conversation_detail(request, uid, folder_name):
    """The conversation holding message uid; 404 if the folder or message is not there."""
    account = request.user.mail_account
    order = list_order(MailPreferences.for_user(request.user))
    with imap.session_for(account) as session:
        try:
            found = listing.conversation_of(session, account, folder_name, uid, order)
        except FolderNotFound as exc:
            raise Http404(exc.user_message) from exc
        folders = session.list_folders()
    if not found:
        raise Http404
    context = {"folder_name": folder_name, "folders": folders, "messages": found}
    return render(request, "mailbox/conversation_detail.html", context)
