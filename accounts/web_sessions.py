"""Signed-in browser sessions: the 30-minute idle limit, and the list people can revoke.

The idle limit is kept on the server and moved only by what the person does: a request
that says it is a background one (new-mail polling, autosave timers: header
X-Background-Request) never extends the session. static/js/idle.js warns two minutes
before the end, lets the person stay, and asks open drafts to save before signing out.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
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
        request.session[LAST_ACTIVITY] = now
        if now - previous >= RECORD_EVERY_SECONDS:
            UserSession.objects.filter(session_key=request.session.session_key).update(
                last_activity_at=timezone.now()
            )

    def _signed_out(self, request):
        logout(request)
        login_url = f"{reverse('accounts:login')}?{urlencode({'next': request.path, 'idle': 1})}"
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


def sessions_of(user) -> list[UserSession]:
    """The user's live sessions, newest activity first; rows of expired ones are dropped."""
    live = set(
        Session.objects.filter(
            session_key__in=UserSession.objects.filter(user=user).values("session_key"),
            expire_date__gt=timezone.now(),
        ).values_list("session_key", flat=True)
    )
    UserSession.objects.filter(user=user).exclude(session_key__in=live).delete()
    return list(UserSession.objects.filter(user=user))


def end_sessions(user, keep: str | None = None) -> int:
    """End every web session of the user except `keep`. Returns how many ended."""
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    rows.delete()
    return len(keys)


def end_session(user, session_id: int) -> bool:
    """End one of the user's sessions by its row id; False if it is not theirs."""
    row = UserSession.objects.filter(user=user, pk=session_id).first()
    if row is None:
        return False
    Session.objects.filter(session_key=row.session_key).delete()
    row.delete()
    return True
