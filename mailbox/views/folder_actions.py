"""Manage folders: the list with counts, create, rename (and move), delete."""

import logging

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mailbox.errors import FolderActionRefused, FolderExists, FolderNotFound, FolderProtected
from mailbox.folder_forms import FolderNameForm
from mailbox.services import imap

logger = logging.getLogger(__name__)


@login_required
def folder_list(request):
    with imap.session_for(request.user.mail_account) as session:
        folders = session.list_folders_with_counts()
        quota = session.quota(folders)
    form = FolderNameForm(folders=folders, delimiter=_delimiter(folders))
    return _list_page(request, folders, quota, form)


@require_POST
@login_required
def folder_create(request):
    with imap.session_for(request.user.mail_account) as session:
        folders = session.list_folders_with_counts()
        form = FolderNameForm(request.POST, folders=folders, delimiter=_delimiter(folders))
        if form.is_valid() and _applied(
            request, form, session.create_folder, form.full_name(), form.delimiter
        ):
            return redirect("mailbox:folders")
        quota = session.quota(folders)
    return _list_page(request, folders, quota, form, status=422)


@require_http_methods(["GET", "POST"])
@login_required
def folder_rename(request, folder_name):
    with imap.session_for(request.user.mail_account) as session:
        folders = session.list_folders()
        folder = _folder_or_404(folders, folder_name)
        if folder.is_protected:
            return _refused(request, folder)
        initial = {"name": folder.display_name, "parent": folder.parent_name}
        data = request.POST if request.method == "POST" else None
        form = FolderNameForm(
            data, folders=folders, delimiter=folder.delimiter, moving=folder, initial=initial
        )
        if form.is_valid() and _applied(
            request, form, session.rename_folder, folder_name, form.full_name()
        ):
            return redirect("mailbox:folders")
    status = 422 if form.is_bound else 200
    context = {"folder": folder, "form": form}
    return render(request, "mailbox/folders/folder_rename.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def folder_delete(request, folder_name):
    """GET: a confirmation that says how many messages go; POST: delete."""
    with imap.session_for(request.user.mail_account) as session:
        folder = _folder_or_404(session.list_folders(), folder_name)
        if folder.is_protected:
            return _refused(request, folder)
        if request.method == "POST":
            session.delete_folder(folder_name)
            logger.info("account %s deleted folder %r", request.user.pk, folder_name)
            return redirect("mailbox:folders")
        count = session.count_messages_in_tree(folder_name)
    context = {"folder": folder, "message_count": count}
    return render(request, "mailbox/folders/folder_delete.html", context)


def _applied(request, form, action, *args) -> bool:
    """Run a create or rename; on a refusal, put the reason on the form and say False."""
    try:
        action(*args)
    except (FolderExists, FolderActionRefused) as exc:
        if isinstance(exc, FolderActionRefused):
            logger.warning("account %s: folder change refused: %s", request.user.pk, exc)
        form.add_error("name", exc.user_message)
        return False
    return True


def _list_page(request, folders, quota, form, status=200):
    context = {"folders": folders, "quota": quota, "form": form}
    return render(request, "mailbox/folders/folder_list.html", context, status=status)


def _refused(request, folder):
    context = {"folder": folder, "reason": FolderProtected.user_message}
    return render(request, "mailbox/folders/folder_refused.html", context, status=403)


def _folder_or_404(folders, folder_name):
    for folder in folders:
        if folder.name == folder_name:
            return folder
    raise Http404(FolderNotFound.user_message)


def _delimiter(folders) -> str:
    return folders[0].delimiter if folders else "/"
