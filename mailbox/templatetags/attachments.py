"""{% attachments_panel draft_key %}: the compose page's attachments, with its limits."""

from django import template
from django.conf import settings

from mailbox.attachment_forms import LargeFileStartForm
from mailbox.filenames import human_size
from mailbox.uploads import uploads_for_draft

register = template.Library()


@register.inclusion_tag("mailbox/partials/attachments_panel.html", takes_context=True)
def attachments_panel(context, draft_key: str) -> dict:
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "draft_key": draft_key,
        "uploads": list(uploads_for_draft(request.user, draft_key)),
        "attachment_limit_mb": settings.ATTACHMENT_MAX_MESSAGE_MB,
        "large_file_limit_mb": settings.LARGE_FILE_MAX_MB,
        "large_file_limit_text": human_size(settings.LARGE_FILE_MAX_MB * 1024 * 1024),
        "link_form": LargeFileStartForm(auto_id="attachments-link-%s"),
    }
