"""The link of a message list's row: the message, and where it stands in the list, so
that the message page can offer the previous and next messages of that list."""

from django import template

from mailbox.message_links import message_url as url_in_list

register = template.Library()


@register.simple_tag(takes_context=True)
def message_url(context, message, index: int) -> str:
    """The message page of the row at index (from 0) of this page of the list. A label's
    filtered list gives no position: its messages stand elsewhere in the folder's."""
    page = context["page"]
    position = None if context.get("label") else (page.page - 1) * page.page_size + index
    return url_in_list(
        message.uid,
        context["folder_name"],
        position,
        context.get("results_token") or "",
        context.get("highlight") or "",
    )
