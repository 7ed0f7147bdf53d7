from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect

from mailbox.errors import FolderNotFound
from mailbox.forms import PageForm
from mailbox.services import imap
from webmail.htmx import page_or_partial


@login_required
def home(request):
    return redirect("mailbox:folder-detail", folder_name="INBOX")


@login_required
def folder_detail(request, folder_name):
    page = PageForm(request.GET).page_number()
    with imap.session_for(request.user.mail_account) as session:
        folders = session.list_folders_with_counts()
        quota = session.quota()
        try:
            message_page = session.fetch_page(folder_name, page=page)
        except FolderNotFound as exc:
            raise Http404(exc.user_message) from exc
    context = {
        "folders": folders,
        "folder_name": folder_name,
        "page": message_page,
        "quota": quota,
    }
    return page_or_partial(
        request, "mailbox/folder_detail.html", "mailbox/partials/message_rows.html", context
    )
