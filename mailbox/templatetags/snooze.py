"""{% snooze_menu %}: the snooze choices with their times in the user's time zone."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format

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
                "iso": moment.isoformat(),
                "shown": _when(moment, now),
            }
            for value, moment in preset_times(now).items()
        ],
        "earliest": now.strftime(DATETIME_LOCAL_FORMAT),
        "latest": (now + LONGEST_SNOOZE).strftime(DATETIME_LOCAL_FORMAT),
    }


def _when(moment: datetime, now: datetime) -> str:
    """'14:00' today, 'mar. 25 08:00' another day (the day in the user's language)."""
    time = time_format(moment, "TIME_FORMAT")
    if moment.date() == now.date():
        return time
    return f"{date_format(moment, 'D j')} {time}"
