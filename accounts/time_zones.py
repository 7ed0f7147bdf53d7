"""The person's time zone: where it is read, offered and switched on for each request.

Dates in the mail list, the calendar, reminder mails and invitation cards are shown in
it. Outside a request (Celery: reminders, invitations), code asks user_zone(user).
Event data keeps its own TZIDs; only what a person reads is converted.
"""

from __future__ import annotations

import logging
import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# Metropolitan France, then the overseas zones staff work in, offered before the rest.
FRENCH_ZONES = [
    ("Europe/Paris", _("Metropolitan France")),
    ("America/Guadeloupe", _("Guadeloupe, Saint Barthélemy, Saint Martin")),
    ("America/Martinique", _("Martinique")),
    ("America/Cayenne", _("French Guiana")),
    ("Indian/Reunion", _("Réunion")),
    ("Indian/Mayotte", _("Mayotte")),
    ("Pacific/Noumea", _("New Caledonia")),
    ("Pacific/Tahiti", _("French Polynesia (Tahiti)")),
    ("America/Miquelon", _("Saint Pierre and Miquelon")),
    ("Pacific/Wallis", _("Wallis and Futuna")),
]


def default_time_zone() -> str:
    """The zone of a new account: the site's (TIME_ZONE, Europe/Paris unless set)."""
    return settings.TIME_ZONE


def zone_choices() -> list:
    """Grouped choices for a select: the French zones, then every other zone by name."""
    first = {name for name, _label in FRENCH_ZONES}
    french = [(name, f"{label} – {_readable(name)}") for name, label in FRENCH_ZONES]
    others = sorted(zoneinfo.available_timezones() - first - {"localtime"})
    return [
        (_("France"), french),
        (_("Other time zones"), [(name, _readable(name)) for name in others]),
    ]


def user_zone(user) -> zoneinfo.ZoneInfo:
    """The zone `user` reads dates in; settings.TIME_ZONE for anyone without a valid one
    (anonymous visitors, or a zone the installed tz database no longer knows)."""
    name = getattr(user, "time_zone", "") or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        logger.warning("Unknown time zone %r for user %s", name, getattr(user, "pk", None))
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class UserTimeZoneMiddleware:
    """Switches on the signed-in person's zone for the request, so template dates,
    timezone.localtime() and localdate() follow it. Install after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user_zone(user))
        else:
            timezone.deactivate()
        return self.get_response(request)


def _readable(name: str) -> str:
    return name.replace("_", " ")
