"""New mail without reloading: static/js/new_mail.js asks here, in the background, whether
the folder it shows changed since the state its page holds.

One LIST and one STATUS per folder (MESSAGES, UNSEEN, UIDNEXT, UIDVALIDITY, HIGHESTMODSEQ):
no message is fetched. The script then asks for the list's first page only when the
folder changed. It sends X-Background-Request, so polling never keeps an idle session
alive (accounts/web_sessions.py).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from mailbox.services import imap


@require_GET
@login_required
def folder_changes(request, folder_name):
    """{"state", "changed", "title", "folders": [{"name", "unseen"}]} for the folder."""
    with imap.session_for(request.user.mail_account) as session:
        folders = session.list_folders_with_counts()
    current = next((f for f in folders if f.name == folder_name), None)
    if current is None:
        raise Http404
    title = render_to_string(
        "mailbox/partials/folder_title.html",
        {"folders": folders, "folder_name": folder_name},
        request=request,
    )
    response = JsonResponse(
        {
            "state": current.state,
            "changed": request.GET.get("state", "") != current.state,
            "title": " ".join(title.split()),
            "folders": [{"name": f.name, "unseen": f.unseen} for f in folders if f.is_selectable],
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response
