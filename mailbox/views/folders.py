from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect

from mailbox.errors import FolderNotFound
from mailbox.forms import PageForm
from mailbox.services import imap
from webmail.htmx import is_htmx, page_or_partial


@login_required
def home(request):
    return redirect("mailbox:folder-detail", folder_name="INBOX")


@login_required
def folder_detail(request, folder_name):
    page = PageForm(request.GET).page_number()
    with imap.session_for(request.user.mail_account) as session:
        # htmx pages of the list swap the rows only: no unread counts or quota to fetch.
        context = folder_page_context(session, folder_name, page, with_tree=not is_htmx(request))
    return page_or_partial(
        request, "mailbox/folder_detail.html", "mailbox/partials/message_rows.html", context
    )


def folder_page_context(session, folder_name: str, page: int, *, with_tree: bool) -> dict:
    """What the folder page shows: one page of messages and, with_tree, the folder tree
    with unread counts and the quota. Raises Http404 for an unknown folder."""
    try:
        message_page = session.fetch_page(folder_name, page=page or 1)
    except FolderNotFound as exc:
        raise Http404(exc.user_message) from exc
    context = {"folder_name": folder_name, "page": message_page}
    if with_tree:
        context["folders"] = session.list_folders_with_counts()
        context["quota"] = session.quota()
    else:
        context["folders"] = session.list_folders()  # the caption names the folder
    return context
