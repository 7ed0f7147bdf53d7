"""Senders whose remote images the reader always wants to see: allow, list, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailbox import message_safety
from mailbox.models import TrustedImageSender
from mailbox.parsing import parse_message
from mailbox.services import imap
from mailbox.views.messages import _fetch


@require_POST
@login_required
def trust_sender_images(request, uid, folder_name):
    """Always show images from this message's sender, unless the message looks forged.

    The address comes from the message on the server, never from the form, and the
    same checks as the page run again: a doubted sender is refused here too.
    """
    with imap.session_for(request.user.mail_account) as session:
        fetched = _fetch(session, folder_name, uid)
    safety = message_safety.assess_message(request.user, parse_message(fetched.raw), fetched.raw)
    # A doubted sender is refused: the message page says why, next to its warnings.
    if safety.can_trust_sender:
        message_safety.trust_images_from(request.user, safety.assessment.sender_address)
    return redirect("mailbox:message-detail", uid, folder_name)


@login_required
def trusted_sender_list(request):
    senders = TrustedImageSender.objects.filter(user=request.user)
    return render(request, "mailbox/trusted_senders.html", {"senders": senders})


@require_POST
@login_required
def trusted_sender_delete(request, trusted_id):
    """Stop showing this sender's images by themselves; back to where it was asked."""
    trusted = message_safety.get_trusted_sender_for_user(request.user, trusted_id)
    trusted.delete()
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)  # the message page, which now shows its images blocked
    messages.success(
        request,
        _("Images from %(address)s will be blocked again.") % {"address": trusted.address},
    )
    return redirect("mailbox:trusted-senders")
