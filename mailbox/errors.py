"""Mail errors with messages for people; the server-down ones live in webmail.errors."""

from django.utils.translation import gettext_lazy as _

from webmail.errors import MailLoginFailed, MailServerUnavailable

__all__ = ["FolderNotFound", "MailLoginFailed", "MailServerUnavailable", "MessageNotFound"]


class FolderNotFound(Exception):
    user_message = _("This folder does not exist (any more).")


class MessageNotFound(Exception):
    user_message = _("This message does not exist any more: it may have been moved or deleted.")
