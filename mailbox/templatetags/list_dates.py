"""The date column of the message list, in one tag: 50 rows each asked the date filter
five times (and the time zone conversion with it), which cost more than the rest of
the row."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import format_html

register = template.Library()
_TODAY = "list_dates.today"


@register.simple_tag(takes_context=True)
def list_date(context, value: datetime | None, day_month_format: str) -> str:
    """<time> with the message's date in the current time zone: the time for today, the
    day and month (day_month_format, translated by the template) for this year, the
    short date before; the full date and time in its title. '' without a date."""
    if value is None:
        return ""
    when = timezone.template_localtime(value)
    today = context.render_context.get(_TODAY)
    if today is None:  # once per page
        today = context.render_context[_TODAY] = timezone.localdate()
    if when.date() == today:
        shown = time_format(when, "TIME_FORMAT")
    elif when.year == today.year:
        shown = date_format(when, day_month_format)
    else:
        shown = date_format(when, "SHORT_DATE_FORMAT")
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        when.isoformat(),  # what the date filter's "c" gives
        date_format(when, "DATETIME_FORMAT"),
        shown,
    )
