"""Calendar errors with a message for the person who hit them.

A calendar server that does not answer is webmail.errors.CalendarServerUnavailable
(the retry page); these are the errors a view handles itself.
"""

from django.utils.translation import gettext_lazy as _

from webmail.errors import CalendarServerUnavailable


class CalendarError(Exception):
    """An error a calendar view handles itself; `user_message` says what happened."""


class CalendarNotFound(CalendarError):
    """No calendar of this user has that id (missing or not theirs: both are a 404)."""

    user_message = _("This calendar does not exist or is not yours.")


class EventNotFound(CalendarError):
    user_message = _("This event no longer exists. It may have been deleted elsewhere.")


class EventChanged(CalendarError):
    """The event's ETag no longer matches: someone (a phone, a colleague) saved it meanwhile."""

    user_message = _(
        "This event was changed elsewhere since you opened it. "
        "Reload to see it; what you typed is still in the form."
    )


class CalendarChangeRefused(CalendarServerUnavailable):
    """The server refused a write with a 4xx other than 404 and 412 (409: the UID is stored
    under another name, 400: data it cannot store, 403, 413); `detail` is "HTTP 409".

    A view leaves it to the retry page, as an outage; an import skips the item and goes on.
    """

    user_message = _("The calendar server refused this change.")


class CalendarReadOnly(CalendarChangeRefused):
    """The server refused a write with 403: the calendar is a colleague's, shared with the
    user read-only (or no longer shared with them)."""

    user_message = _(
        "This calendar is shared with you read-only: you cannot change its events. "
        "Ask its owner for write access."
    )


class ColleagueNotFound(CalendarError):
    """The address names no active account; the directory shows the same people."""

    user_message = _("No active colleague has this address. Pick a colleague from the directory.")


class CannotShareWithSelf(CalendarError):
    user_message = _("This calendar is already yours: pick a colleague.")
