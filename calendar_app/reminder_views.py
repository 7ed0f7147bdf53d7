"""The reminders the open calendar page shows (static/js/calendar-reminders.js polls)."""

import contextlib

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from calendar_app import reminders, tasks
from webmail.errors import TaskQueueUnavailable
from webmail.services.tasks_queue import enqueue


@require_GET
@login_required
def upcoming_reminders(request):
    """The user's reminders that ring in the next minutes (or just rang). Sent with
    X-Background-Request, so polling never keeps an idle session alive."""
    if not reminders.is_watched(request.user):
        # The first visit: reminders of events made elsewhere start to be read.
        # Without Redis the page still works; the next visit asks again.
        with contextlib.suppress(TaskQueueUnavailable):
            enqueue(tasks.sync_reminders, request.user.pk)
    found = reminders.browser_reminders(request.user, timezone.now())
    return JsonResponse({"reminders": found})
