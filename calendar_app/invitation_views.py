import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calendar_app import invitations, itip
from calendar_app.errors import EventChanged
from calendar_app.invitation_forms import AnswerForm
from mailbox.errors import FolderNotFound, MessageNotFound
from mailbox.services import imap

logger = logging.getLogger(__name__)
TAG = "invitation"  # shown by the card of the message page (invitation_card.html)


@require_POST
@login_required
def invitation_answer(request, uid, folder_name):
    """Accept, answer maybe or decline the invitation in one of the user's messages."""
    form = AnswerForm(request.POST)
    back = redirect("mailbox:message-detail", uid, folder_name)
    if not form.is_valid():
        messages.error(request, _("Choose accept, maybe or decline."), extra_tags=TAG)
        return back
    with imap.session_for(request.user.mail_account) as session:
        try:
            fetched = session.fetch_message(folder_name, uid)
        except (FolderNotFound, MessageNotFound) as exc:
            raise Http404(exc.user_message) from exc
    try:
        done = invitations.answer_invitation(request.user, fetched.raw, form.cleaned_data["answer"])
    except EventChanged as exc:  # the copy in the calendar changed meanwhile (a phone)
        messages.error(request, exc.user_message, extra_tags=TAG)
        return back
    except itip.InvalidInvitation as exc:
        logger.info("invitation not answered for user %s: %s", request.user.pk, exc)
        messages.error(request, _("This message has no invitation you can answer."), extra_tags=TAG)
        return back
    messages.success(request, done, extra_tags=TAG)
    return back
