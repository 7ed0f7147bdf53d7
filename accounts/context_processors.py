from django.conf import settings


def session_limits(request):
    """The idle limit, for static/js/idle.js (data attributes of <body>)."""
    return {
        "idle_timeout_seconds": settings.SESSION_IDLE_TIMEOUT_SECONDS,
        "idle_warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
        "idle_warning_minutes": settings.SESSION_IDLE_WARNING_SECONDS // 60,
    }


def account_menu(request):
    """What the user menu offers: the helpdesk page only to agents. Answered only when a
    template asks (base.html's menu; the template calls the function): the question
    costs two permission queries, which htmx fragments, such as list pages, skip."""
    from accounts.helpdesk import is_helpdesk

    user = getattr(request, "user", None)

    def is_helpdesk_agent() -> bool:
        return bool(user and user.is_authenticated and is_helpdesk(user))

    return {"is_helpdesk_agent": is_helpdesk_agent}
