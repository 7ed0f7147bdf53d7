"""The user's mail preferences: the page, and the order control above the message list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailbox.models import MailPreferences
from mailbox.preference_forms import ListOrderForm, MailPreferencesForm
from mailbox.services import imap
from mailbox.views.folders import folder_page_context
from webmail.htmx import is_htmx, page_or_partial


@login_required
def preferences(request):
    """Rows per page, order and conversation view; back to the folder it was opened from."""
    back = _safe_next(request)
    if request.method == "POST":
        form = MailPreferencesForm(request.POST, instance=MailPreferences.for_user(request.user))
        if form.is_valid():
            form.save()
            messages.success(request, _("Your mail preferences are saved."))
            return redirect(back or "mailbox:preferences")
    else:
        form = MailPreferencesForm(instance=MailPreferences.for_user(request.user))
    status = 422 if form.is_bound else 200
    return render(
        request, "mailbox/preferences.html", {"form": form, "next": back or ""}, status=status
    )


@require_POST
@login_required
def list_order(request, folder_name):
    """Save the order chosen above the list and show the folder's first page in it."""
    form = ListOrderForm(request.POST)
    if form.is_valid():
        # update_or_create: two quick changes may race to create the user's row.
        preferences, _created = MailPreferences.objects.update_or_create(
            user=request.user, defaults=form.as_fields()
        )
        # The signed-in user was read with their preferences (accounts/backends.py): the
        # rows below must follow the new ones.
        request.user.mail_preferences = preferences
    if not is_htmx(request):
        return redirect("mailbox:folder-detail", folder_name)
    with imap.session_for(request.user.mail_account) as session:
        context = folder_page_context(session, folder_name, 1, with_tree=False, user=request.user)
    return page_or_partial(
        request, "mailbox/folder_detail.html", "mailbox/partials/message_rows.html", context
    )


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
