"""Labels: manage them (create, rename, recolour, delete) and put them on messages.

A label is an IMAP keyword on the messages, so other mail clients keep it. Renaming or
recolouring changes only our row: the keyword stays, and so do the labelled messages.
Deleting takes the keyword off every message in every folder, after a confirmation
that says how many messages carry it.
"""

import logging

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from mailbox.errors import FolderNotFound
from mailbox.forms import PageForm
from mailbox.label_forms import LabelChoiceForm, LabelForm
from mailbox.labels import keyword_for
from mailbox.models import Label, MailPreferences
from mailbox.services import imap
from mailbox.services.imap import MessagePage
from mailbox.views.message_actions import run_action
from webmail.htmx import is_htmx, page_or_partial

logger = logging.getLogger(__name__)


def get_label_for_user(user, label_id: int) -> Label:
    """The user's label; 404 both for a missing label and for someone else's."""
    return get_object_or_404(Label, pk=label_id, user=user)


@login_required
def label_list(request):
    return _list_page(request, LabelForm(user=request.user))


@require_POST
@login_required
def label_create(request):
    form = LabelForm(request.POST, user=request.user)
    if not form.is_valid():
        return _list_page(request, form, status=422)
    label = form.save(commit=False)
    label.user = request.user
    taken = Label.objects.filter(user=request.user).values_list("keyword", flat=True)
    label.keyword = keyword_for(label.name, taken)
    label.save()
    return redirect("mailbox:labels")


@require_http_methods(["GET", "POST"])
@login_required
def label_edit(request, label_id):
    """Rename or recolour; the keyword, hence the labelled messages, stay the same."""
    label = get_label_for_user(request.user, label_id)
    data = request.POST if request.method == "POST" else None
    form = LabelForm(data, instance=label, user=request.user)
    if form.is_valid():
        form.save()
        return redirect("mailbox:labels")
    status = 422 if form.is_bound else 200
    return render(
        request, "mailbox/labels/label_edit.html", {"label": label, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
@login_required
def label_delete(request, label_id):
    """GET: a confirmation that says how many messages lose the label; POST: delete."""
    label = get_label_for_user(request.user, label_id)
    with imap.session_for(request.user.mail_account) as session:
        if request.method == "POST":
            # The keyword goes first: if the server fails, the label is still here to retry.
            removed = session.remove_keyword_everywhere(label.keyword)
            label.delete()
            logger.info("account %s deleted a label from %s messages", request.user.pk, removed)
            return redirect("mailbox:labels")
        count = session.count_keyword(label.keyword)
    context = {"label": label, "message_count": count}
    return render(request, "mailbox/labels/label_delete.html", context)


@login_required
def label_messages(request, label_id, folder_name):
    """The folder's messages that have this label, newest first (UID SEARCH KEYWORD)."""
    label = get_label_for_user(request.user, label_id)
    number = PageForm(request.GET).page_number()
    size = MailPreferences.for_user(request.user).page_size
    with imap.session_for(request.user.mail_account) as session:
        try:
            opened = session.open_folder(folder_name)  # before SEARCH: it ENABLEs CONDSTORE
            uids = session.uids_with_keyword(folder_name, label.keyword)[::-1]
            shown = uids[(number - 1) * size : number * size]
            messages = opened.summaries(shown)
        except FolderNotFound as exc:
            raise Http404(exc.user_message) from exc
        context = {
            "label": label,
            "folder_name": folder_name,
            "page": MessagePage(folder_name, len(uids), number, size, messages),
            "list_url": reverse("mailbox:label-messages", args=[label.pk, folder_name]),
        }
        if is_htmx(request):  # the rows only: the toolbar needs the folders, not counts
            context["folders"] = session.list_folders()
        else:
            context["folders"] = session.list_folders_with_counts()
            context["quota"] = session.quota(context["folders"])
    return page_or_partial(
        request, "mailbox/labels/label_messages.html", "mailbox/partials/message_rows.html", context
    )


@require_POST
@login_required
def apply_label(request, folder_name):
    return _label_action(request, folder_name, imap.ImapSession.set_flags)


@require_POST
@login_required
def remove_label(request, folder_name):
    return _label_action(request, folder_name, imap.ImapSession.remove_flags)


def _label_action(request, folder_name, store):
    """STORE +FLAGS or -FLAGS of the label's keyword on the selected messages."""
    form = LabelChoiceForm(request.POST, user=request.user)

    def action(session, uids):
        store(session, folder_name, uids, [form.cleaned_data["label"].keyword])

    with imap.session_for(request.user.mail_account) as session:
        return run_action(request, session, folder_name, form, action, may_stay=True)


def _list_page(request, form, status=200):
    labels = Label.objects.filter(user=request.user)
    return render(
        request, "mailbox/labels/label_list.html", {"labels": labels, "form": form}, status=status
    )
