from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.messages import success
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import audit, web_sessions


@login_required
def session_list(request):
    sessions = web_sessions.sessions_of(request.user)
    current = request.session.session_key
    return render(request, "accounts/sessions.html", {"sessions": sessions, "current": current})


@require_POST
@login_required
def session_revoke(request, session_id):
    if not web_sessions.end_session(request.user, session_id):
        raise Http404
    audit.record(audit.Action.SESSIONS_REVOKED, target=request.user, request=request, count=1)
    success(request, _("That session is signed out."))
    return redirect("accounts:sessions")


@require_POST
@login_required
def session_revoke_all(request):
    """Sign out everywhere, this browser included."""
    user = request.user
    count = web_sessions.end_sessions(user, keep=request.session.session_key)
    audit.record(audit.Action.SESSIONS_REVOKED, target=user, request=request, count=count + 1)
    logout(request)
    return redirect("accounts:login")


@require_POST
@login_required
def session_keepalive(request):
    """The person is here (typing, reading): the idle middleware has already reset the clock."""
    return JsonResponse({"seconds_left": web_sessions.seconds_left(request)})
