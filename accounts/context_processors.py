from django.conf import settings


def session_limits(request):
    """The idle limit, for static/js/idle.js (data attributes of <body>)."""
    return {
        "idle_timeout_seconds": settings.SESSION_IDLE_TIMEOUT_SECONDS,
        "idle_warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
        "idle_warning_minutes": settings.SESSION_IDLE_WARNING_SECONDS // 60,
    }


def account_menu(request):
    """What the user menu offers: the helpdesk page only to agents."""
    from accounts.helpdesk import is_helpdesk

    user = getattr(request, "user", None)
    return {"is_helpdesk_agent": bool(user and user.is_authenticated and is_helpdesk(user))}
