"""The rows of a message list page, as HTML, for the list template.

The 50 rows of a page are the hottest HTML of the webmail: in the template language
they took more time than fetching them from IMAP (each row a few dozen nodes, each
variable resolved, localised and escaped). Here a row is one format_html() of values
worked out once per page (mailbox/list_rows.py); every value is escaped by
format_html, and the few fixed fragments below are literal markup, not data.
"""

import html

from django import template
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from mailbox.list_rows import ListPlace, ListRow, UidUrls, list_rows
from mailbox.templatetags.mail_labels import label_chips

register = template.Library()

_FLAG_ICON = mark_safe(
    '<svg class="icon flag" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path '
    'd="m12 3 2.8 5.7 6.2.9-4.5 4.4 1 6.2-5.5-2.9-5.5 2.9 1-6.2L3 9.6l6.2-.9z"/></svg>'
)
_ICON = (
    '<svg class="icon {}" viewBox="0 0 24 24" role="img" aria-label="{}" focusable="false">'
    '<title>{}</title><path d="{}"/></svg>'
)
_ANSWERED_PATH = "M10 8 4 13l6 5M4 13h10a6 6 0 0 1 6 6"
_FORWARDED_PATH = "m14 8 6 5-6 5M20 13H10a6 6 0 0 0-6 6"
_ATTACHMENT_PATH = (
    "m20 11-8.5 8.5a5 5 0 0 1-7-7L13 4a3.3 3.3 0 0 1 4.7 4.7l-8.4 8.4a1.7 1.7 0 0 1-2.4-2.4L14.5 7"
)
_ROW = (
    '<tr class="{}" data-uid="{}" draggable="true">'
    '<td class="select"><input type="checkbox" name="uids" value="{}" id="select-{}"{}>'
    '<label class="visually-hidden" for="select-{}">{}</label></td>'
    '<td class="from">{}{}<span class="sender" title="{}">{}</span></td>'
    '<td class="subject">{}{}<a class="subject-text" href="{}">{}</a>{}{}</td>'
    '<td class="date">{}{}</td>'
    "</tr>\n"
)


@register.simple_tag(takes_context=True)
def message_rows(context, page) -> SafeString:
    """The <tr> of each message of the page, each linking to its message with its place
    in this list. A label's filtered list gives no position: its messages stand
    elsewhere in the folder's."""
    first = None if context.get("label") else (page.page - 1) * page.page_size
    place = ListPlace(
        folder_name=context["folder_name"],
        first_position=first,
        results=context.get("results_token") or "",
        highlight=context.get("highlight") or "",
    )
    parts = _RowParts(context)
    return mark_safe("".join(parts.row(row) for row in list_rows(page.messages, place)))  # noqa: S308 - each row is built by _html


class _RowParts:
    """The fragments of a row, their words translated once a page."""

    def __init__(self, context):
        self._context = context
        self._folder_name = context["folder_name"]
        self._unread = format_html(
            '<span class="unread-dot" aria-hidden="true"></span>'
            '<span class="visually-hidden">{} </span>',
            gettext("Unread:"),
        )
        self._external = format_html('<span class="external-mark">{}</span>', gettext("External"))
        self._flagged = format_html(
            '{}<span class="visually-hidden">{} </span>', _FLAG_ICON, gettext("Flagged:")
        )
        self._answered = _icon("answered", gettext("Answered"), _ANSWERED_PATH)
        self._forwarded = _icon("forwarded", gettext("Forwarded"), _FORWARDED_PATH)
        self._attachment = _icon("attachment", gettext("Has attachments"), _ATTACHMENT_PATH)
        self._chips = get_template("mailbox/partials/label_chips.html")
        self._conversations = UidUrls("mailbox:conversation-detail", self._folder_name)

    def row(self, row: ListRow) -> SafeString:
        message = row.message
        count = message.message_count
        classes = ("" if message.is_seen else "unread") + (" flagged" if message.is_flagged else "")
        return _html(
            _ROW,
            classes,
            message.uid,
            ",".join(map(str, message.conversation_uids)) if count > 1 else message.uid,
            message.uid,
            _html(' data-message-count="{}"', count) if count > 1 else "",
            message.uid,
            row.select_label,
            "" if message.is_seen else self._unread,
            self._external if row.is_external else "",
            message.sender_address,
            message.sender_name or message.sender_address,
            self._flagged if message.is_flagged else "",
            self._markers(row),
            row.url,
            row.subject,
            self._conversation_link(message) if count > 1 else "",
            _html('<span class="preview">{}</span>', message.preview) if message.preview else "",
            self._attachment if message.has_attachment else "",
            _html(
                '<time datetime="{}" title="{}">{}</time>',
                row.date_iso,
                row.date_title,
                row.date_shown,
            )
            if row.date_iso
            else "",
        )

    def _markers(self, row: ListRow) -> SafeString:
        message = row.message
        return _html(
            "{}{}{}",
            self._answered if message.is_answered else "",
            self._forwarded if message.is_forwarded else "",
            self._chips.render(label_chips(self._context, message.flags)) if row.has_labels else "",
        )

    def _conversation_link(self, message) -> SafeString:
        count = message.message_count
        return format_html(
            '<a class="conversation-count" href="{}">{}</a>',
            self._conversations.url(message.uid),
            ngettext("%(counter)s message", "%(counter)s messages", count) % {"counter": count},
        )


def _icon(name: str, label: str, path: str) -> SafeString:
    return format_html(_ICON, name, label, label, path)


def _html(template_string: str, *values) -> SafeString:
    """format_html() for the rows' many values: each escaped unless already safe HTML,
    as format_html does, without the per-value checks for lazy strings that made
    escaping a fifth of a list page (a row's values are plain strings and numbers)."""
    return mark_safe(  # noqa: S308 - every value is escaped or already safe
        template_string.format(
            *(
                value.__html__() if hasattr(value, "__html__") else html.escape(str(value))
                for value in values
            )
        )
    )
