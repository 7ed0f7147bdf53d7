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
    FolderActionRefused,
    FolderExists,
    FolderNotFound,
    FolderProtected,
    MailLoginFailed,
    MailServerUnavailable,
    MessageNotFound,
    SpecialFolderMissing,
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

    @property
    def path(self) -> list[str]:
        """The name split on the delimiter: ['Classes', '3e B'] for 'Classes/3e B'."""
        return self.name.split(self.delimiter) if self.delimiter else [self.name]

    @property
    def depth(self) -> int:
        """0 for a top-level folder, 1 for its children..."""
        return len(self.path) - 1

    @property
    def display_name(self) -> str:
        """The last part of the name, shown indented under its parent."""
        return self.path[-1]

    @property
    def parent_name(self) -> str:
        """The parent folder's full name, or '' at the top level."""
        return self.delimiter.join(self.path[:-1])

    @property
    def is_protected(self) -> bool:
        """INBOX and the special-use folders cannot be renamed or deleted."""
        return self.special_use is not None

    @property
    def is_selectable(self) -> bool:
        return not {"\\noselect", "\\nonexistent"} & {flag.lower() for flag in self.flags}

    def contains(self, other_name: str) -> bool:
        """Whether other_name is this folder or one of its descendants."""
        return other_name == self.name or other_name.startswith(self.name + self.delimiter)


@dataclass(frozen=True)
class FolderStatus(Folder):
    """A folder with its counts (IMAP STATUS); 0 for a folder that holds no messages."""

    messages: int = 0
    unseen: int = 0


@dataclass(frozen=True)
class Quota:
    """Storage used and allowed, in bytes (IMAP GETQUOTAROOT on INBOX)."""

    used: int
    limit: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.used / self.limit)) if self.limit else 0

    @property
    def is_nearly_full(self) -> bool:
        return self.percent >= QUOTA_WARNING_PERCENT

    @property
    def warning_at(self) -> int:
        """The usage from which the quota bar warns, in bytes."""
        return self.limit * QUOTA_WARNING_PERCENT // 100


SPECIAL_USE_FLAGS = ("\\Drafts", "\\Sent", "\\Trash", "\\Junk", "\\Archive", "\\All", "\\Flagged")
# The order of the top of the folder tree; custom folders follow, by name.
_TREE_ORDER = ("\\Inbox", "\\Drafts", "\\Sent", "\\Archive", "\\Junk", "\\Trash")
QUOTA_WARNING_PERCENT = 90


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
        return _tree_ordered(folders)

    def list_folders_with_counts(self) -> list[FolderStatus]:
        """list_folders() with each folder's message and unread counts.

        One STATUS per folder: imapclient has no LIST-STATUS (RFC 5819). Raises
        MailServerUnavailable.
        """
        return [self.folder_status(folder) for folder in self.list_folders()]

    def folder_status(self, folder: Folder) -> FolderStatus:
        """The folder with its MESSAGES and UNSEEN counts (0 for a \\Noselect parent)."""
        counts: dict = {}
        if folder.is_selectable:
            with _mapped_errors():
                try:
                    counts = self._client.folder_status(folder.name, [b"MESSAGES", b"UNSEEN"])
                except IMAPClient.Error as exc:
                    raise FolderNotFound(folder.name) from exc
        return FolderStatus(
            name=folder.name,
            delimiter=folder.delimiter,
            flags=folder.flags,
            messages=int(counts.get(b"MESSAGES", 0)),
            unseen=int(counts.get(b"UNSEEN", 0)),
        )

    def get_folder(self, folder_name: str) -> Folder:
        """The folder of this name. Raises FolderNotFound."""
        for folder in self.list_folders():
            if folder.name == folder_name:
                return folder
        raise FolderNotFound(folder_name)

    def count_messages_in_tree(self, folder_name: str) -> int:
        """Messages in the folder and all its subfolders: what deleting it removes."""
        root = self.get_folder(folder_name)
        return sum(
            self.folder_status(folder).messages
            for folder in self.list_folders()
            if root.contains(folder.name)
        )

    def create_folder(self, folder_name: str, delimiter: str = "/") -> None:
        """Create the folder and its missing parents, and subscribe to them so that mail
        clients show them too. Raises FolderExists, FolderActionRefused.
        """
        parts = folder_name.split(delimiter)
        with _mapped_errors():
            if self._client.folder_exists(folder_name):
                raise FolderExists(folder_name)
            # Each level is created as a real folder: left to the server, missing parents
            # would be \Noselect placeholders that cannot hold mail.
            for depth in range(1, len(parts) + 1):
                name = delimiter.join(parts[:depth])
                if depth < len(parts) and self._is_selectable(name):
                    continue
                try:
                    self._client.create_folder(name)
                except IMAPClient.Error as exc:
                    raise _refusal(name, exc) from exc
                self._client.subscribe_folder(name)

    def _is_selectable(self, folder_name: str) -> bool:
        rows = self._client.list_folders(pattern=folder_name)
        return any(
            not {b"\\noselect", b"\\nonexistent"} & {flag.lower() for flag in flags}
            for flags, _delimiter, _name in rows
        )

    def rename_folder(self, folder_name: str, new_name: str) -> None:
        """Rename the folder, which moves it when the parent part changes; its subfolders
        follow. Raises FolderNotFound, FolderProtected, FolderExists, FolderActionRefused.
        """
        folder = self.get_folder(folder_name)
        if folder.is_protected:
            raise FolderProtected(folder_name)
        if folder.contains(new_name):
            raise FolderActionRefused(f"cannot move {folder_name} into itself")
        with _mapped_errors():
            if self._client.folder_exists(new_name):
                raise FolderExists(new_name)
            try:
                # Dovecot moves the subscriptions along.
                self._client.rename_folder(folder_name, new_name)
            except IMAPClient.Error as exc:
                raise _refusal(new_name, exc) from exc

    def delete_folder(self, folder_name: str) -> None:
        """Delete the folder, its subfolders and all their messages, deepest first
        (IMAP refuses to delete a folder that still has children).

        Raises FolderNotFound, FolderProtected, FolderActionRefused.
        """
        root = self.get_folder(folder_name)
        if root.is_protected:
            raise FolderProtected(folder_name)
        doomed = [f for f in self.list_folders() if root.contains(f.name)]
        with _mapped_errors():
            for folder in sorted(doomed, key=lambda f: f.depth, reverse=True):
                try:
                    self._client.delete_folder(folder.name)
                except IMAPClient.Error as exc:
                    raise _refusal(folder.name, exc) from exc

    def quota(self) -> Quota | None:
        """Storage used and allowed for the mailbox, or None without a storage limit."""
        with _mapped_errors():
            _roots, quotas = self._client.get_quota_root("INBOX")
        for quota in quotas:
            if quota.resource.upper() == "STORAGE":
                # IMAP counts storage in units of 1024 octets (RFC 9208).
                return Quota(used=int(quota.usage) * 1024, limit=int(quota.limit) * 1024)
        return None

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

    def all_uids(self, folder_name: str) -> list[int]:
        """The UIDs of every message in the folder (UID SEARCH ALL). Raises FolderNotFound."""
        with _mapped_errors():
            self._select(folder_name, readonly=True)
            return sorted(self._client.search("ALL"))

    def set_flags(self, folder_name: str, uids: list[int], flags: list[str]) -> None:
        """Add flags ('\\Seen', '\\Flagged') to these messages. Raises FolderNotFound."""
        if uids:
            with _mapped_errors():
                self._select(folder_name, readonly=False)
                self._client.add_flags(_uid_set(uids), flags, silent=True)

    def remove_flags(self, folder_name: str, uids: list[int], flags: list[str]) -> None:
        """Remove flags from these messages. Raises FolderNotFound."""
        if uids:
            with _mapped_errors():
                self._select(folder_name, readonly=False)
                self._client.remove_flags(_uid_set(uids), flags, silent=True)

    def move(self, folder_name: str, uids: list[int], target: str) -> None:
        """Move these messages to the target folder (UID MOVE, RFC 6851).

        Moving into the same folder does nothing. Raises FolderNotFound for either folder.
        """
        if not uids or target == folder_name:
            return
        with _mapped_errors():
            self._select(folder_name, readonly=False)
            try:
                self._client.move(_uid_set(uids), target)
            except IMAPClient.Error as exc:
                raise FolderNotFound(target) from exc

    def expunge(self, folder_name: str, uids: list[int]) -> None:
        """Delete these messages for good (\\Deleted, then UID EXPUNGE of only these, so
        messages another client marked \\Deleted stay). Raises FolderNotFound.
        """
        if not uids:
            return
        with _mapped_errors():
            self._select(folder_name, readonly=False)
            self._client.add_flags(_uid_set(uids), [b"\\Deleted"], silent=True)
            self._client.uid_expunge(_uid_set(uids))

    def special_folder(self, special_use: str) -> str:
        """The name of the folder flagged special_use ('\\Trash', '\\Junk', '\\Archive'),
        found from the LIST flags rather than by name. Raises SpecialFolderMissing.
        """
        for folder in self.list_folders():
            if special_use in folder.flags:
                return folder.name
        raise SpecialFolderMissing(special_use)

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


def _tree_ordered(folders: list[Folder]) -> list[Folder]:
    """INBOX and the special-use folders first, then the rest; each followed by its
    subfolders, by name. Sorting on the split path keeps 'A/B' under 'A' ('A B' does not
    come between them as it would in a plain string sort).
    """
    special = {f.path[0]: f.special_use for f in folders if f.depth == 0}

    def key(folder: Folder) -> tuple[int, list[str]]:
        top = special.get(folder.path[0])
        rank = _TREE_ORDER.index(top) if top in _TREE_ORDER else len(_TREE_ORDER)
        return rank, [part.lower() for part in folder.path]

    return sorted(folders, key=key)


def _refusal(folder_name: str, exc: Exception) -> Exception:
    """Our error for a NO to CREATE or RENAME: FolderExists when the server says so."""
    text = str(exc)
    if "ALREADYEXISTS" in text.upper() or "already exists" in text.lower():
        return FolderExists(folder_name)
    return FolderActionRefused(text)


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


def _uid_set(uids: list[int]) -> str:
    """'1:4,7,9:12': runs of UIDs as ranges, so that "all in folder" on a big folder stays
    far below Dovecot's command line limit (imap_max_line_length, 64 kB).
    """
    ordered = sorted(set(uids))
    runs: list[str] = []
    start = previous = ordered[0]
    for uid in [*ordered[1:], None]:
        if uid is not None and uid == previous + 1:
            previous = uid
            continue
        runs.append(str(start) if start == previous else f"{start}:{previous}")
        if uid is not None:
            start = previous = uid
    return ",".join(runs)


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
