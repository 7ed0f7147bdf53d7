"""Calendars shared with the user in the calendar list: {{ calendars|own_calendars }},
{{ calendars|shared_calendars }} and {{ calendar.owner|colleague_name }}."""

from django import template
from django.contrib.auth import get_user_model

register = template.Library()


@register.filter
def colleague_name(username: str) -> str:
    if not username:
        return ""
    person = get_user_model().objects.filter(username=username).first()
    return (person.get_full_name() if person else "") or username


@register.filter
def own_calendars(calendars: list[dict]) -> list[dict]:
    """The rows of the calendar list (with "info", a CalendarInfo) that are the user's."""
    return [c for c in calendars if not c["info"].owner]


@register.filter
def shared_calendars(calendars: list[dict]) -> list[dict]:
    """The rows of the calendar list that colleagues shared with the user."""
    return [c for c in calendars if c["info"].owner]
