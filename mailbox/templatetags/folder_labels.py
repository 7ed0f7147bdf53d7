"""A folder's name as the pages show it: the special-use folders (RFC 6154) under their
name in the user's language, any other folder under its own name.

A tag rather than an included template: folder names are shown in loops (the folder
tree, the "Move to" list of every list page), where an include costs a template
render per folder.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

register = template.Library()

_SPECIAL_USE_NAMES = {
    "\\Inbox": lambda: gettext("Inbox"),
    "\\Sent": lambda: gettext("Sent"),
    "\\Drafts": lambda: gettext("Drafts"),
    "\\Trash": lambda: gettext("Trash"),
    "\\Junk": lambda: gettext("Junk"),
    "\\Archive": lambda: gettext("Archive"),
    "\\Snoozed": lambda: pgettext("folder", "Snoozed"),
}


@register.simple_tag
def folder_label(special_use: str | None, name: str) -> str:
    """The localised name of a special-use folder, else `name` (escaped by the tag)."""
    translated = _SPECIAL_USE_NAMES.get(special_use or "")
    return translated() if translated else name


_SVG = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">{}</svg>'
_FOLDER_ICONS = {
    special_use: mark_safe(_SVG.format(paths))  # noqa: S308 - fixed markup, no data
    for special_use, paths in {
        "\\Inbox": '<path d="M3 13h5l1.5 3h5l1.5-3h5"/>'
        '<path d="M5.5 5h13L21 13v5a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-5z"/>',
        "\\Sent": '<path d="M21 3 10 14M21 3l-7 18-4-7-7-4z"/>',
        "\\Drafts": '<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="m13.5 6.5 4 4"/>',
        "\\Trash": '<path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13"/>',
        "\\Junk": '<circle cx="12" cy="12" r="9"/><path d="m5.5 5.5 13 13"/>',
        "\\Archive": '<rect x="3" y="4" width="18" height="5" rx="1"/>'
        '<path d="M5 9v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V9M10 13h4"/>',
        "\\Snoozed": '<circle cx="12" cy="13" r="8"/><path d="M12 9v4l2.5 2.5M5 3 2 6M19 3l3 3"/>',
        "": '<path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/>',
    }.items()
}
_FOLDER_ITEM = (
    '<li class="folder-depth-{}"><a href="{}" data-folder="{}"{}>\n      {}\n'
    '      <span class="folder-name">{}</span>\n      {}</a></li>\n'
)
_UNREAD = '<span class="unread-count">{}<span class="visually-hidden"> {}</span></span>'
_PLACEHOLDER = '<li class="folder-depth-{}"><span class="folder-placeholder">{}</span></li>\n'
_CURRENT = mark_safe(' aria-current="page"')


@register.simple_tag
def folder_tree_items(folders, current_name: str) -> SafeString:
    """The <li> of each folder of the side menu, each a link to its folder (the current
    one marked) with its icon, its name and its unread count.

    One format_html() a folder instead of a dozen template nodes and an included icon
    template: the tree is on every whole page. Every value is escaped by format_html.
    """
    unread = gettext("unread")
    snoozed_url = None
    items = []
    for folder in folders:
        if not folder.is_selectable:
            items.append(format_html(_PLACEHOLDER, folder.depth, folder.display_name))
            continue
        special_use = folder.special_use or ""
        if special_use == "\\Snoozed":
            snoozed_url = snoozed_url or reverse("mailbox:snoozed")
            url = snoozed_url
        else:
            url = reverse("mailbox:folder-detail", args=[folder.name])
        unseen = getattr(folder, "unseen", 0)
        items.append(
            format_html(
                _FOLDER_ITEM,
                folder.depth,
                url,
                folder.name,
                _CURRENT if folder.name == current_name else "",
                _FOLDER_ICONS.get(special_use, _FOLDER_ICONS[""]),
                folder_label(special_use, folder.display_name),
                format_html(_UNREAD, unseen, unread) if unseen else "",
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - each item is built by format_html
