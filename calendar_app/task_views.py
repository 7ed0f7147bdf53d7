"""Editing and deleting a task (VTODO) of the task list beside the calendar."""

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from calendar_app import events
from calendar_app.errors import CalendarNotFound, CalendarReadOnly, EventChanged, EventNotFound
from calendar_app.services import dav
from calendar_app.task_forms import TaskEditForm, initial_from
from calendar_app.views import _back_url


def _stored_task(session, calendar_id: str, uid: str) -> tuple[dav.StoredEvent, events.Task]:
    """The user's task, or a 404 (missing, not theirs, or not a task)."""
    try:
        stored = session.get_event(calendar_id, uid)
        task = next(t for t in events.tasks_in(stored.data) if t.uid == uid)
    except (CalendarNotFound, EventNotFound, events.InvalidCalendar, StopIteration) as exc:
        raise Http404 from exc
    return stored, task


@login_required
def task_edit(request, calendar_id, uid):
    form = TaskEditForm(request.POST or None)
    error = ""
    with dav.session_for(request.user.mail_account) as session:
        stored, task = _stored_task(session, calendar_id, uid)
        if request.method == "POST" and form.is_valid():
            stored = dataclasses.replace(stored, etag=form.cleaned_data["etag"] or stored.etag)
            try:
                session.save_event(
                    stored, events.update_task(stored.data, form.task(uid), timezone.now())
                )
            except EventChanged:
                error = _(
                    "This task was changed elsewhere since you opened it. "
                    "Reload to see it; what you typed is still in the form."
                )
            except CalendarReadOnly as exc:
                error = exc.user_message
            else:
                messages.success(request, _("Task saved."))
                return redirect(_back_url(request))
    if request.method == "GET":
        form = TaskEditForm(initial=initial_from(task, stored.etag))
    context = {
        "form": form,
        "task": task,
        "calendar_id": calendar_id,
        "conflict": error,
        "back": _back_url(request),
    }
    status = 200 if request.method == "GET" else (409 if error else 422)
    return render(request, "calendar_app/task_form.html", context, status=status)


@login_required
def task_delete(request, calendar_id, uid):
    """GET asks to confirm; POST deletes, unless the task changed since the page showed it."""
    with dav.session_for(request.user.mail_account) as session:
        stored, task = _stored_task(session, calendar_id, uid)
        if request.method == "POST":
            etag = request.POST.get("etag") or stored.etag
            try:
                session.delete_event(dataclasses.replace(stored, etag=etag))
            except EventChanged:
                messages.error(
                    request, _("This task was changed elsewhere since you asked; it is kept.")
                )
            except CalendarReadOnly as exc:
                messages.error(request, exc.user_message)
            else:
                messages.success(request, _("Task deleted."))
            return redirect(_back_url(request))
    context = {
        "task": task,
        "calendar_id": calendar_id,
        "etag": stored.etag,
        "back": _back_url(request),
    }
    return render(request, "calendar_app/task_delete.html", context)
