"""The rows of a message list page (mailbox/list_rows.py), for the list template."""

from django import template

from mailbox.list_rows import ListPlace, ListRow, list_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def rows_of(context, page) -> list[ListRow]:
    """The page's rows, each linking to its message with its place in this list. A
    label's filtered list gives no position: its messages stand elsewhere in the
    folder's."""
    first = None if context.get("label") else (page.page - 1) * page.page_size
    place = ListPlace(
        folder_name=context["folder_name"],
        first_position=first,
        results=context.get("results_token") or "",
        highlight=context.get("highlight") or "",
    )
    return list_rows(page.messages, place)
