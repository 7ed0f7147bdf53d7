"""Label chips for a message's keywords, and the user's labels for the label menus.

The user's labels are read once per request (list rows each ask for them).
"""

from dataclasses import dataclass

from django import template
from django.utils.translation import gettext_lazy as _

from mailbox.labels import THUNDERBIRD_TAGS, user_keywords
from mailbox.models import Label

register = template.Library()

_THUNDERBIRD_NAMES = {
    "important": _("Important"),
    "work": _("Work"),
    "personal": _("Personal"),
    "todo": _("To do"),
    "later": _("Later"),
}


@dataclass(frozen=True)
class Chip:
    name: str
    colour: str  # a palette colour, or "" for a keyword that matches none of the labels
    keyword: str
    label_id: int | None = None


@register.simple_tag(takes_context=True)
def user_labels(context) -> list[Label]:
    """The signed-in user's labels, by name."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    if not hasattr(request, "_mail_labels"):
        request._mail_labels = list(Label.objects.filter(user=request.user))
    return request._mail_labels


@register.inclusion_tag("mailbox/partials/label_chips.html", takes_context=True)
def label_chips(context, flags) -> dict:
    """Chips for the keywords among flags: the user's labels in their colour, each a link
    to the folder's messages with that label; keywords that other clients set shown
    neutrally, under their own name.
    """
    by_keyword = {label.keyword.lower(): label for label in user_labels(context)}
    chips = []
    for keyword in user_keywords(flags):
        label = by_keyword.get(keyword.lower())
        if label:
            chips.append(Chip(label.name, label.colour, keyword, label.pk))
        else:
            tag = THUNDERBIRD_TAGS.get(keyword.lower())
            chips.append(Chip(str(_THUNDERBIRD_NAMES[tag]) if tag else keyword, "", keyword))
    return {"chips": chips, "folder_name": context.get("folder_name")}
