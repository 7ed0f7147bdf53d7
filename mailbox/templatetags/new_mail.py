"""{% new_mail_poller %}: what static/js/new_mail.js needs to show new mail in an open
folder page: where to ask, how often, and the folder's state when the page was made."""

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("mailbox/partials/new_mail_poller.html", takes_context=True)
def new_mail_poller(context) -> dict:
    folder_name = context["folder_name"]
    current = next((f for f in context.get("folders", ()) if f.name == folder_name), None)
    return {
        "folder_name": folder_name,
        # FolderStatus.state; '' if the page has no counts, so the first check refreshes.
        "state": getattr(current, "state", ""),
        "interval_seconds": settings.MAIL_POLL_SECONDS,
    }
