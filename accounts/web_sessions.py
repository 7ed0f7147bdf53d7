"""Signed-in browser sessions: the 30-minute idle limit, and the list people can revoke.

The idle limit is kept on the server and moved only by what the person does: a request
that says it is a background one (new-mail polling, autosave timers: header
X-Background-Request) never extends the session. static/js/idle.js warns two minutes
before the end, lets the person stay, and asks open drafts to save before signing out.
"""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.audit import client_ip
from accounts.models import UserSession

LAST_ACTIVITY = "last_activity"
BACKGROUND_HEADER = "X-Background-Request"
# Record activity in the sessions list at most once a minute: one write, not one a click.
RECORD_EVERY_SECONDS = 60
# Move the idle clock at most this often: each move writes the session (a database
# UPDATE and commit), on every click otherwise. The idle limit then ends at most this
# many seconds early, well inside the two minutes' warning.
TOUCH_EVERY_SECONDS = 10


def is_background(request) -> bool:
    return request.headers.get(BACKGROUND_HEADER) == "1"


def seconds_left(request) -> int:
    last = request.session.get(LAST_ACTIVITY, time.time())
    return max(0, int(last + settings.SESSION_IDLE_TIMEOUT_SECONDS - time.time()))


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if seconds_left(request) == 0:
                return self._signed_out(request)
            if not is_background(request):
                self._touch(request)
        return self.get_response(request)

    def _touch(self, request) -> None:
        now = time.time()
        previous = request.session.get(LAST_ACTIVITY, 0)
        if now - previous < TOUCH_EVERY_SECONDS:
            return  # a click just after another: no need to write the session again
        request.session[LAST_ACTIVITY] = now
        if now - previous >= RECORD_EVERY_SECONDS:
            UserSession.objects.filter(session_key=request.session.session_key).update(
                last_activity_at=timezone.now()
            )

    def _signed_out(self, request):
        logout(request)
        login = reverse("accounts:login")
        query = {"idle": 1} if request.path == login else {"idle": 1, "next": request.path}
        login_url = f"{login}?{urlencode(query)}"
        if request.headers.get("HX-Request") or is_background(request):
            response = HttpResponse(status=401)
            response["HX-Redirect"] = login_url
            return response
        return redirect(login_url)


@receiver(user_logged_in)
def record_session(sender, request, user, **kwargs):
    request.session[LAST_ACTIVITY] = time.time()
    if not request.session.session_key:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip_address": client_ip(request),
            "user_agent": request.headers.get("User-Agent", "")[:300],
        },
    )


@receiver(user_logged_out)
def forget_session(sender, request, user, **kwargs):
    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


def _session_store(session_key: str | None = None):
    """A store of the configured session engine (database, cache...)."""
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


def sessions_of(user) -> list[UserSession]:
    """The user's live sessions, newest activity first; rows of ended ones are dropped."""
    store = _session_store()
    rows = list(UserSession.objects.filter(user=user))
    ended = [row.pk for row in rows if not store.exists(row.session_key)]
    UserSession.objects.filter(pk__in=ended).delete()
    return [row for row in rows if row.pk not in ended]


def end_sessions(user, keep: str | None = None) -> int:
    """Log the user out of every browser except `keep`. Returns how many sessions ended.

    Every sign-in goes through django.contrib.auth.login(), which records a UserSession
    (record_session below), so the rows list them all. The one function for this:
    sign-out everywhere, helpdesk reset, recovery, deactivation and deletion use it.
    """
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        _session_store(key).delete()
    rows.delete()
    return len(keys)


def end_session(user, session_id: int) -> bool:
    """End one of the user's sessions by its row id; False if it is not theirs."""
    row = UserSession.objects.filter(user=user, pk=session_id).first()
    if row is None:
        return False
    _session_store(row.session_key).delete()
    row.delete()
    return True
