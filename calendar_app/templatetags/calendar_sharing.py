"""{{ calendar.owner|colleague_name }}: who shared a calendar with the user, by name."""

from django import template
from django.contrib.auth import get_user_model

register = template.Library()


@register.filter
def colleague_name(username: str) -> str:
    if not username:
        return ""
    person = get_user_model().objects.filter(username=username).first()
    return (person.get_full_name() if person else "") or username
