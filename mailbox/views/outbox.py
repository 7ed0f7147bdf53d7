"""Messages on their way: the status after Send (with Undo), and the outbox list."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mailbox import outbox
from mailbox.models import OutboxItem
from webmail.htmx import page_or_partial


def get_outbox_item_for_user(user, item_id) -> OutboxItem:
    """The user's item; 404 for one that is missing or someone else's."""
    try:
        return OutboxItem.objects.get(pk=item_id, user=user)
    except OutboxItem.DoesNotExist:
        raise Http404("no such message") from None


@login_required
def outbox_item(request, item_id):
    """'Sending…' with Undo, then 'Sent' or why not; the page polls itself while pending."""
    item = get_outbox_item_for_user(request.user, item_id)
    return page_or_partial(
        request, "mailbox/outbox_item.html", "mailbox/partials/outbox_status.html", {"item": item}
    )


@require_POST
@login_required
def outbox_cancel(request, item_id):
    """Undo send, or cancel a later send: the message goes back to Drafts to edit."""
    item = get_outbox_item_for_user(request.user, item_id)
    if outbox.cancel(item):
        return redirect("mailbox:draft-resume", item.draft_key)
    return redirect("mailbox:outbox-item", item.pk)


@login_required
def outbox_list(request):
    """Messages waiting (send later) and the ones that failed, with their reasons."""
    items = OutboxItem.objects.filter(
        user=request.user,
        status__in=[OutboxItem.Status.QUEUED, OutboxItem.Status.SENDING, OutboxItem.Status.FAILED],
    ).order_by("send_at")
    return render(request, "mailbox/outbox.html", {"items": items})
