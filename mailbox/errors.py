"""Mail errors with messages for people; the server-down ones live in webmail.errors."""

from django.utils.translation import gettext_lazy as _

from webmail.errors import MailLoginFailed, MailServerUnavailable

__all__ = [
    "FolderActionRefused",
    "FolderExists",
    "FolderNotFound",
    "FolderProtected",
    "MailLoginFailed",
    "MailServerUnavailable",
    "MessageNotFound",
    "SpecialFolderMissing",
]


class FolderNotFound(Exception):
    user_message = _("This folder does not exist (any more).")


class FolderExists(Exception):
    user_message = _("A folder with this name already exists here. Choose another name.")


class FolderProtected(Exception):
    """INBOX and the special-use folders (Sent, Drafts, Trash, Junk, Archive)."""

    user_message = _("This folder is needed by your mailbox and cannot be renamed or deleted.")


class FolderActionRefused(Exception):
    """The server said NO to creating, renaming or deleting a folder; the detail says why."""

    user_message = _("The mail server refused to change this folder. Check the name and retry.")


class MessageNotFound(Exception):
    user_message = _("This message does not exist any more: it may have been moved or deleted.")


class SpecialFolderMissing(Exception):
    """No folder carries the special-use flag (\\Trash, \\Junk, \\Archive) asked for."""

    user_message = _(
        "Your mailbox has no folder for this (Trash, Junk or Archive). "
        "Ask the helpdesk to check the mail server."
    )
