"""{% snooze_menu %}: the snooze choices with their times in the user's time zone."""

from django import template
from django.utils import timezone

from mailbox.snooze_forms import DATETIME_LOCAL_FORMAT, PRESET_LABELS
from mailbox.snooze_times import LONGEST_SNOOZE, preset_times

register = template.Library()


@register.inclusion_tag("mailbox/partials/snooze_menu.html", takes_context=True)
def snooze_menu(context, *, htmx: bool = True) -> dict:
    """htmx: the buttons swap the list in place (the list page), or post plainly."""
    now = timezone.localtime()
    return {
        "folder_name": context["folder_name"],
        "htmx": htmx,
        "presets": [
            {
                "value": value,
                "label": PRESET_LABELS[value],
                "moment": moment,
                "is_today": moment.date() == now.date(),
            }
            for value, moment in preset_times(now).items()
        ],
        "earliest": now.strftime(DATETIME_LOCAL_FORMAT),
        "latest": (now + LONGEST_SNOOZE).strftime(DATETIME_LOCAL_FORMAT),
    }
