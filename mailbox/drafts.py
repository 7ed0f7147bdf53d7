"""Drafts live in the user's IMAP Drafts folder, one message per draft key.

Saving appends the new version, then deletes the older ones carrying the same key, so a
failure half-way leaves two versions rather than none.
"""

from __future__ import annotations

from typing import BinaryIO

from accounts.mail_account import MailAccount
from mailbox.composing import DRAFT_KEY_HEADER
from mailbox.services import imap

DRAFT_FLAGS = ["\\Draft", "\\Seen"]


def save_draft(account: MailAccount, raw: bytes | BinaryIO, draft_key: str) -> int | None:
    """Store this version (bytes, or a file) in Drafts and remove the previous ones; the
    new UID (or None when the server does not say). Raises MailServerUnavailable,
    SpecialFolderMissing.
    """
    with imap.session_for(account) as session:
        folder = session.special_folder("\\Drafts")
        new_uid = session.append(folder, raw, DRAFT_FLAGS)
        versions = session.uids_with_header(folder, DRAFT_KEY_HEADER, draft_key)
        older = [uid for uid in versions if uid != new_uid]
        if new_uid is None and older:
            older = older[:-1]  # the newest is the one just appended
        session.expunge(folder, older)
    return new_uid


def discard_draft(account: MailAccount, draft_key: str) -> str:
    """Delete every version of the draft; the Drafts folder's name. Raises
    MailServerUnavailable, SpecialFolderMissing.
    """
    with imap.session_for(account) as session:
        return remove_draft(session, draft_key)


def remove_draft(session: imap.ImapSession, draft_key: str) -> str:
    """Delete every version of the draft in an open session (after sending); the Drafts
    folder's name."""
    folder = session.special_folder("\\Drafts")
    session.expunge(folder, session.uids_with_header(folder, DRAFT_KEY_HEADER, draft_key))
    return folder


def drafts_folder(account: MailAccount) -> str:
    """The Drafts folder's name. Raises MailServerUnavailable, SpecialFolderMissing."""
    with imap.session_for(account) as session:
        return session.special_folder("\\Drafts")
