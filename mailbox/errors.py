"""Mail errors with messages for people; the server-down ones live in webmail.errors."""

from django.utils.translation import gettext_lazy as _

from webmail.errors import MailLoginFailed, MailServerUnavailable

__all__ = [
    "AttachmentsNotReady",
    "FolderActionRefused",
    "FolderExists",
    "FolderNotFound",
    "FolderProtected",
    "MailLoginFailed",
    "MailServerUnavailable",
    "MessageCannotBeSnoozed",
    "MessageNotFound",
    "SearchFailed",
    "SearchTooSlow",
    "SpecialFolderMissing",
    "ThreadingTooSlow",
    "UploadRefused",
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


class MessageCannotBeSnoozed(Exception):
    """A message has no Message-ID header, by which a snoozed message is found again, or
    too many were selected; nothing was snoozed."""

    user_message = _(
        "This message cannot be snoozed: it has no identifier (Message-ID). "
        "Nothing was snoozed; flag it instead."
    )

    def __init__(self, user_message=None) -> None:
        if user_message is not None:
            self.user_message = user_message
        super().__init__(str(self.user_message))


class SpecialFolderMissing(Exception):
    """No folder carries the special-use flag (\\Trash, \\Junk, \\Archive) asked for."""

    user_message = _(
        "Your mailbox has no folder for this (Trash, Junk or Archive). "
        "Ask the helpdesk to check the mail server."
    )


class AttachmentsNotReady(Exception):
    """A message cannot leave yet: a file is being scanned, infected, or too large.

    The draft and its files are kept; `user_message` says what to do.
    """

    user_message = _("Sending waits: your draft and its files are kept.")

    def __init__(self, user_message=None, uploads=()) -> None:
        if user_message is not None:
            self.user_message = user_message
        self.uploads = list(uploads)
        super().__init__(str(self.user_message))


class UploadRefused(Exception):
    """An uploaded file cannot be taken (too large, empty, unknown upload); nothing is kept."""

    def __init__(self, user_message) -> None:
        self.user_message = user_message
        super().__init__(str(user_message))


class SearchFailed(Exception):
    """The server refused a search (its full-text index could not answer)."""

    user_message = _(
        "The mail server could not run this search. Your search is kept below: try again "
        "in a moment, or with other words."
    )


class SearchTooSlow(Exception):
    """The server did not answer a search within the time allowed: with fts-xapian, a
    word found in most of a big folder's messages (docs/benchmarks.md)."""

    user_message = _(
        "The mail server takes too long to find these words: too many messages contain "
        "them. Your search is kept below: add another word, a sender or dates."
    )


class ThreadingTooSlow(Exception):
    """The server did not thread a folder's conversations within the time allowed, or
    refused to: the list shows the folder's plain order while they are prepared."""
