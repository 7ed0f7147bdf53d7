import time

from django.conf import settings


def session_limits(request):
    """The idle limit, for static/js/idle.js (data attributes of <body>)."""
    return {
        "idle_timeout_seconds": settings.SESSION_IDLE_TIMEOUT_SECONDS,
        "idle_warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
        "idle_warning_minutes": settings.SESSION_IDLE_WARNING_SECONDS // 60,
    }


# How long a session keeps its answer to "show the helpdesk link?" (seconds).
HELPDESK_LINK_SECONDS = 60
HELPDESK_LINK_KEY = "helpdesk_link"


def account_menu(request):
    """What the user menu offers: the helpdesk page only to agents. Answered only when a
    template asks (base.html's menu; the template calls the function), so that htmx
    fragments, such as list pages, skip the question.

    The answer costs a permission query; the session keeps it HELPDESK_LINK_SECONDS, so
    a link given or taken away shows at the latest a minute later. It decides only the
    link: the helpdesk pages check the permission itself at each request
    (accounts/views/helpdesk.py: helpdesk_required), so a withdrawn permission closes them
    at once. A new sign-in starts a new session, hence a new answer."""
    from accounts.helpdesk import is_helpdesk

    user = getattr(request, "user", None)

    def is_helpdesk_agent() -> bool:
        if not (user and user.is_authenticated):
            return False
        now = time.time()
        kept = request.session.get(HELPDESK_LINK_KEY)
        if kept and kept[1] > now:
            return kept[0]
        agent = is_helpdesk(user)
        request.session[HELPDESK_LINK_KEY] = [agent, now + HELPDESK_LINK_SECONDS]
        return agent

    return {"is_helpdesk_agent": is_helpdesk_agent}
