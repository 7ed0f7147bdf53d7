"""Errors shared by every app: a backend server that cannot be reached.

Each error carries a `user_message` written for a person, in their language; the
ServiceErrorMiddleware turns any of them into a retry page instead of a stack trace.
"""

from django.utils.translation import gettext_lazy as _


class ServiceUnavailable(Exception):
    """A backend server did not answer, refused the connection or dropped it."""

    service = "service"
    user_message = _("A server needed for this page did not answer. Please try again shortly.")

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.service)
        self.detail = detail


class MailServerUnavailable(ServiceUnavailable):
    service = "imap"
    user_message = _("The mail server did not answer. Your messages are safe; please try again.")


class MailLoginFailed(ServiceUnavailable):
    service = "imap-login"
    user_message = _(
        "The mail server refused to open your mailbox. If this lasts, contact the helpdesk."
    )


class SubmissionServerUnavailable(ServiceUnavailable):
    service = "smtp"
    user_message = _(
        "The sending server did not answer. Nothing was lost; please try again shortly."
    )


class FilterServerUnavailable(ServiceUnavailable):
    service = "managesieve"
    user_message = _("The filters server did not answer. Your rules are unchanged; try again.")


class CalendarServerUnavailable(ServiceUnavailable):
    service = "caldav"
    user_message = _("The calendar server did not answer. Please try again shortly.")


class ContactsServerUnavailable(ServiceUnavailable):
    service = "carddav"
    user_message = _("The contacts server did not answer. Your contacts are safe; try again.")


class TaskQueueUnavailable(ServiceUnavailable):
    service = "redis"
    user_message = _(
        "The background task service did not answer. Nothing was lost; please try again."
    )


class VirusScannerUnavailable(ServiceUnavailable):
    service = "clamav"
    user_message = _(
        "The antivirus scanner did not answer, so files cannot be checked right now. "
        "Your files are kept; please try again shortly."
    )
