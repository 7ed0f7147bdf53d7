"""The only module that talks IMAP (through imapclient) to Dovecot.

The web app opens the user's mailbox through Dovecot's master user, so no user password
is stored. Callers see our dataclasses, never imapclient objects, and our errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

from accounts.mail_account import MailAccount
from mailbox.errors import (
    FolderNotFound,
    MailLoginFailed,
    MailServerUnavailable,
    MessageNotFound,
)
from mailbox.parsing import decode_header_text

# Failures that mean "the server is gone or broke the conversation" (timeouts and TLS
# errors are OSErrors), as opposed to a NO reply to what we asked (IMAPClientError).
_CONNECTION_ERRORS = (OSError, IMAPClientAbortError)


@dataclass(frozen=True)
class Folder:
    name: str
    delimiter: str
    flags: tuple[str, ...]

    @property
    def special_use(self) -> str | None:
        """'\\Sent', '\\Drafts'... (RFC 6154), or None for a plain folder."""
        for flag in self.flags:
            if flag in SPECIAL_USE_FLAGS:
                return flag
        return "\\Inbox" if self.name.upper() == "INBOX" else None


SPECIAL_USE_FLAGS = ("\\Drafts", "\\Sent", "\\Trash", "\\Junk", "\\Archive", "\\All", "\\Flagged")


@dataclass(frozen=True)
class MessageSummary:
    uid: int
    subject: str
    sender_name: str
    sender_address: str
    date: datetime | None
    size: int
    flags: tuple[str, ...] = field(default=())

    @property
    def is_seen(self) -> bool:
        return "\\Seen" in self.flags

    @property
    def is_flagged(self) -> bool:
        return "\\Flagged" in self.flags


@dataclass(frozen=True)
class FetchedMessage:
    uid: int
    flags: tuple[str, ...]
    raw: bytes


@dataclass(frozen=True)
class MessagePage:
    folder: str
    total: int
    page: int
    page_size: int
    messages: list[MessageSummary]

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < self.total

    @property
    def has_previous(self) -> bool:
        return self.page > 1


class ImapSession:
    """One authenticated connection, opened by session_for()."""

    def __init__(self, client: IMAPClient) -> None:
        self._client = client

    def list_folders(self) -> list[Folder]:
        """All folders, INBOX first, with their special-use flags.

        Raises MailServerUnavailable if the connection drops.
        """
        with _mapped_errors():
            rows = self._client.list_folders()
        folders = [
            Folder(
                name=name,
                delimiter=_text(delimiter or b"/"),
                flags=tuple(_text(flag) for flag in flags),
            )
            for flags, delimiter, name in rows
        ]
        return sorted(folders, key=lambda f: (f.name.upper() != "INBOX", f.name.lower()))

    def fetch_page(self, folder_name: str, page: int = 1, page_size: int = 50) -> MessagePage:
        """One page of a folder, newest arrival first.

        Arrival order is the IMAP sequence order, so a page is one FETCH of a range of
        sequence numbers: no SORT of the whole folder. Raises FolderNotFound.
        """
        with _mapped_errors():
            try:
                status = self._client.select_folder(folder_name, readonly=True)
            except IMAPClient.Error as exc:
                raise FolderNotFound(folder_name) from exc
            total = int(status[b"EXISTS"])
            high = total - (page - 1) * page_size
            if high < 1:
                return MessagePage(folder_name, total, page, page_size, [])
            low = max(1, high - page_size + 1)
            self._client.use_uid = False
            try:
                rows = self._client.fetch(
                    list(range(low, high + 1)),
                    ["UID", "FLAGS", "ENVELOPE", "RFC822.SIZE", "INTERNALDATE"],
                )
            finally:
                self._client.use_uid = True
        messages = [_summary(data) for _seq, data in sorted(rows.items(), reverse=True)]
        return MessagePage(folder_name, total, page, page_size, messages)

    def fetch_message(self, folder_name: str, uid: int) -> FetchedMessage:
        """The whole message, without marking it read. Raises FolderNotFound, MessageNotFound."""
        with _mapped_errors():
            self._select(folder_name, readonly=True)
            rows = self._client.fetch([uid], ["FLAGS", "BODY.PEEK[]"])
        data = rows.get(uid)
        if not data or b"BODY[]" not in data:
            raise MessageNotFound(folder_name, uid)
        flags = tuple(_text(flag) for flag in data.get(b"FLAGS", ()))
        return FetchedMessage(uid=uid, flags=flags, raw=data[b"BODY[]"])

    def mark_seen(self, folder_name: str, uids: list[int]) -> None:
        """Set \\Seen on these messages. Raises FolderNotFound."""
        with _mapped_errors():
            self._select(folder_name, readonly=False)
            self._client.add_flags(uids, [b"\\Seen"], silent=True)

    def _select(self, folder_name: str, readonly: bool) -> None:
        try:
            self._client.select_folder(folder_name, readonly=readonly)
        except IMAPClient.Error as exc:
            raise FolderNotFound(folder_name) from exc

    def contains_message_id(self, folder_name: str, message_id: str) -> bool:
        """Whether a message with this Message-ID header is in the folder."""
        with _mapped_errors():
            try:
                self._client.select_folder(folder_name, readonly=True)
            except IMAPClient.Error as exc:
                raise FolderNotFound(folder_name) from exc
            return bool(self._client.search(["HEADER", "Message-ID", message_id]))

    def empty_mailbox(self) -> None:
        """Delete every message of every folder, then every folder but INBOX and the
        special-use ones (which Dovecot recreates). For a deleted account; safe to repeat.

        Raises MailServerUnavailable.
        """
        with _mapped_errors():
            folders = self.list_folders()
            for folder in folders:
                if "\\Noselect" in folder.flags:
                    continue
                self._client.select_folder(folder.name)
                uids = self._client.search("ALL")
                if uids:
                    self._client.delete_messages(uids)
                    self._client.expunge()
                self._client.close_folder()
            # Children before their parents: the deepest names first.
            custom = [f for f in folders if f.special_use is None]
            for folder in sorted(custom, key=lambda f: f.name.count(f.delimiter), reverse=True):
                self._client.delete_folder(folder.name)


@contextmanager
def session_for(account: MailAccount) -> Iterator[ImapSession]:
    """An IMAP session on the user's mailbox, opened through the Dovecot master user.

    Raises MailServerUnavailable (no answer, refused, dropped) or MailLoginFailed
    (the server refused the master login or the user, e.g. a disabled account).
    """
    try:
        client = IMAPClient(
            settings.IMAP_HOST,
            port=settings.IMAP_PORT,
            ssl=settings.IMAP_SSL,
            timeout=settings.SERVICE_TIMEOUT_SECONDS,
        )
    except (OSError, IMAPClientError) as exc:
        raise MailServerUnavailable(f"connect {settings.IMAP_HOST}:{settings.IMAP_PORT}") from exc
    client.normalise_times = False  # keep the server's time zone: aware datetimes
    try:
        with client:  # logs out, or closes the socket, even after a failed login
            try:
                client.login(
                    f"{account.username}*{settings.MAIL_MASTER_USER}",
                    settings.MAIL_MASTER_PASSWORD,
                )
            except LoginError as exc:
                raise MailLoginFailed(f"login refused for {account.username}") from exc
            yield ImapSession(client)
    except _CONNECTION_ERRORS as exc:
        raise MailServerUnavailable(str(exc)) from exc


@contextmanager
def _mapped_errors() -> Iterator[None]:
    try:
        yield
    except _CONNECTION_ERRORS as exc:
        raise MailServerUnavailable(str(exc)) from exc


def _summary(data: dict) -> MessageSummary:
    envelope = data.get(b"ENVELOPE")
    sender_name, sender_address = "", ""
    if envelope is not None and envelope.from_:
        first = envelope.from_[0]
        sender_name = decode_header_text(first.name)
        mailbox_part = _text(first.mailbox or b"")
        host = _text(first.host or b"")
        sender_address = f"{mailbox_part}@{host}" if host else mailbox_part
    return MessageSummary(
        uid=int(data[b"UID"]),
        subject=decode_header_text(envelope.subject if envelope else None),
        sender_name=sender_name,
        sender_address=sender_address,
        date=data.get(b"INTERNALDATE"),
        size=int(data.get(b"RFC822.SIZE", 0)),
        flags=tuple(_text(flag) for flag in data.get(b"FLAGS", ())),
    )


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def check_reachable() -> None:
    """Connect and ask CAPABILITY, without logging in. Raises MailServerUnavailable."""
    try:
        with IMAPClient(
            settings.IMAP_HOST,
            port=settings.IMAP_PORT,
            ssl=settings.IMAP_SSL,
            timeout=settings.SERVICE_TIMEOUT_SECONDS,
        ) as client:
            client.capabilities()
    except (*_CONNECTION_ERRORS, IMAPClientError) as exc:
        raise MailServerUnavailable(str(exc)) from exc
