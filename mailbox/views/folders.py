from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect

from mailbox.errors import FolderNotFound
from mailbox.forms import PageForm
from mailbox.models import MailPreferences
from mailbox.preference_forms import ListOrderForm, list_order
from mailbox.services import imap, listing
from webmail.htmx import is_htmx, page_or_partial


@login_required
def home(request):
    return redirect("mailbox:folder-detail", folder_name="INBOX")


@login_required
def folder_detail(request, folder_name):
    page = PageForm(request.GET).page_number()
    with imap.session_for(request.user.mail_account) as session:
        # htmx pages of the list swap the rows only: no unread counts or quota to fetch.
        context = folder_page_context(
            session, folder_name, page, with_tree=not is_htmx(request), user=request.user
        )
    return page_or_partial(
        request, "mailbox/folder_detail.html", "mailbox/partials/message_rows.html", context
    )


def folder_page_context(
    session, folder_name: str, page: int, *, with_tree: bool, user=None
) -> dict:
    """What the folder page shows: one page of messages in the user's order and, with_tree,
    the folder tree with unread counts and the quota. Raises Http404 for an unknown folder.
    """
    preferences = MailPreferences.for_user(user) if user else MailPreferences()
    # The counts, and with them the folder's state for static/js/new_mail.js, are read
    # before the rows: mail arriving in between is then shown and counted at the next
    # check, rather than counted in the state but missing from the rows until more comes.
    # Without the tree, the folders are listed all the same: the caption names the folder.
    folders = session.list_folders_with_counts() if with_tree else session.list_folders()
    try:
        message_page = listing.list_page(
            session,
            user.mail_account if user else None,
            folder_name,
            page or 1,
            list_order(preferences),
        )
    except FolderNotFound as exc:
        raise Http404(exc.user_message) from exc
    context = {
        "folder_name": folder_name,
        "page": message_page,
        "preferences": preferences,
        "folders": folders,
        "order_form": ListOrderForm(
            initial={
                "sort_key": preferences.sort_key,
                "direction": "desc" if preferences.sort_descending else "asc",
            }
        ),
    }
    if with_tree:
        context["quota"] = session.quota(folders)
    return context
