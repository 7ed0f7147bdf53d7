"""The only module that talks IMAP (through imapclient) to Dovecot.

The web app opens the user's mailbox through Dovecot's master user, so no user password
is stored. Callers see our dataclasses, never imapclient objects, and our errors.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.parser import BytesHeaderParser
from typing import BinaryIO

from django.conf import settings
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError
from imapclient.imap_utf7 import decode as decode_utf7
from imapclient.imapclient import seq_to_parenstr
from imapclient.response_parser import parse_response
from imapclient.util import to_bytes

from accounts.mail_account import MailAccount
from mailbox import mime_skeleton
from mailbox.errors import (
    FolderActionRefused,
    FolderExists,
    FolderNotFound,
    FolderProtected,
    MailLoginFailed,
    MailServerUnavailable,
    MessageNotFound,
    SearchFailed,
    SearchTooSlow,
    SpecialFolderMissing,
    ThreadingTooSlow,
)
from mailbox.parsing import ROW_HEADER_FIELDS, one_line, row_headers
from mailbox.services import imap_pool, quota_cache, received_dates, row_cache
from mailbox.thread_merge import HEADER_FIELDS, ThreadHeaders, parse_thread_headers
from mailbox.threads import flatten_thread

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
        if self.name == SNOOZED_FOLDER:
            # Our own folder, not RFC 6154: shown with a localised name, never renamed.
            return SNOOZED
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
    uidnext: int = 0
    uidvalidity: int = 0
    highestmodseq: int = 0

    @property
    def state(self) -> str:
        """Changes whenever mail arrives or goes, or a flag changes (CONDSTORE, RFC 7162):
        what a page compares to know that it is out of date."""
        return f"{self.uidvalidity}.{self.uidnext}.{self.messages}.{self.highestmodseq}"


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
# The folder where snoozed messages wait (mailbox/snoozing.py), and its pseudo special use.
SNOOZED_FOLDER = "Snoozed"
SNOOZED = "\\Snoozed"
_TREE_ORDER = ("\\Inbox", SNOOZED, "\\Drafts", "\\Sent", "\\Archive", "\\Junk", "\\Trash")
QUOTA_WARNING_PERCENT = 90
# A message up to this size is read whole by its page; a bigger one without the bodies
# of its big attachments (mailbox/mime_skeleton.py). A smaller message cannot hold a
# part big enough to leave out, and the start of a bigger one, fetched with its
# BODYSTRUCTURE, is not used: 1 MB there cost a 5 MB message's page 5 ms of CPU.
READ_WHOLE_BYTES = mime_skeleton.OMIT_PARTS_ABOVE
_READING_ITEMS = ["FLAGS", "RFC822.SIZE", "BODYSTRUCTURE", f"BODY.PEEK[]<0.{READ_WHOLE_BYTES}>"]
# In the same STATUS as the counts, so the folder's state costs no extra command.
_STATUS_ITEMS = [b"MESSAGES", b"UNSEEN", b"UIDNEXT", b"UIDVALIDITY", b"HIGHESTMODSEQ"]
# What a list row shows. The attachment marker is the keyword $HasAttachment, which
# Dovecot sets when a message is saved (mail_attachment_detection_options); the preview
# (RFC 8970) is computed once and kept in Dovecot's cache (mail_always_cache_fields).
SUMMARY_ITEMS = [
    "UID",
    "FLAGS",
    "RFC822.SIZE",
    "INTERNALDATE",
    "PREVIEW",
    f"BODY.PEEK[HEADER.FIELDS ({' '.join(ROW_HEADER_FIELDS)})]",
]


@dataclass(frozen=True)
class MessageSummary:
    uid: int
    subject: str
    sender_name: str
    sender_address: str
    date: datetime | None
    size: int
    flags: tuple[str, ...] = field(default=())
    message_id: str = ""  # the Message-ID header, '' without one
    preview: str = ""  # the start of its text, from the server (FETCH PREVIEW)

    @property
    def is_seen(self) -> bool:
        return "\\Seen" in self.flags

    @property
    def is_flagged(self) -> bool:
        return "\\Flagged" in self.flags

    @property
    def is_answered(self) -> bool:
        return "\\Answered" in self.flags

    @property
    def is_forwarded(self) -> bool:
        return any(flag.lower() == "$forwarded" for flag in self.flags)

    @property
    def has_attachment(self) -> bool:
        return any(flag.lower() == "$hasattachment" for flag in self.flags)

    @property
    def message_count(self) -> int:
        """A row stands for one message; a conversation's row (ConversationSummary) for
        all of its messages. Defined here so that the list template's test of it is an
        attribute read, not a failed lookup (which costs Django a dir() of the object)."""
        return 1


@dataclass(frozen=True)
class FetchedMessage:
    uid: int
    flags: tuple[str, ...]
    raw: bytes
    sequence: int = 0  # its sequence number in the folder when fetched (0: not known)
    # Parts whose bodies were not fetched (ImapSession.fetch_for_reading): {part: size}.
    omitted: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RawMessage:
    """A whole message as stored, for export: its bytes, arrival time and sender."""

    uid: int
    received: datetime | None  # INTERNALDATE
    sender: str  # the envelope's first From address, '' without one
    raw: bytes


# An export fetches at most this many messages, or about this many bytes, per FETCH.
EXPORT_BATCH_COUNT = 100
EXPORT_BATCH_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class MessagePage:
    folder: str
    total: int
    page: int
    page_size: int
    messages: list[MessageSummary]
    # In conversation view: how many conversations (rows) the folder's total makes.
    conversation_total: int | None = None
    # Conversations asked for, but not threaded in time: the plain order is shown.
    conversations_pending: bool = False

    @property
    def row_total(self) -> int:
        """What the pages count: conversations in conversation view, else messages."""
        return self.total if self.conversation_total is None else self.conversation_total

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < self.row_total

    @property
    def has_previous(self) -> bool:
        return self.page > 1


# UIDs per UID SEARCH of a given set: 1,000 UIDs of 7 digits stay under 8 kB of
# command line, far below Dovecot's imap_max_line_length (64 kB).
UID_SEARCH_BATCH = 1000
# IMAP SORT keys (RFC 5256) for the orders the list offers; arrival needs no SORT.
SORT_CRITERIA = {"date": "DATE", "sender": "FROM", "subject": "SUBJECT", "size": "SIZE"}


@dataclass(frozen=True)
class FolderState:
    """What SELECT says about a folder (with CONDSTORE, RFC 7162)."""

    uidvalidity: int
    uidnext: int
    messages: int
    highestmodseq: int

    @property
    def contents_key(self) -> str:
        """Identifies the set of UIDs in the folder, hence any order of it by content.

        UIDs only disappear (MESSAGES falls) or arrive above UIDNEXT (UIDNEXT rises), so
        two moments with the same UIDVALIDITY, UIDNEXT and MESSAGES hold the same UIDs.
        HIGHESTMODSEQ is left out on purpose: it moves on every flag change, and no
        order the list offers depends on flags.
        """
        return f"{self.uidvalidity}.{self.uidnext}.{self.messages}"


class OpenFolder:
    """A folder selected read-only by ImapSession.open_folder(). Its methods act on that
    folder, so use it before any other call on the same session.
    """

    def __init__(
        self,
        client: IMAPClient,
        name: str,
        state: FolderState,
        account: MailAccount | None = None,
    ) -> None:
        self._client = client
        self.name = name
        self.state = state
        self._account = account  # for the row cache; None keeps nothing

    @property
    def account(self) -> MailAccount | None:
        return self._account

    def received_days(self, first: int, last: int) -> list[tuple[int, int]]:
        """(UID, received day as a date ordinal) of the messages with UIDs first to last,
        ascending, by one UID FETCH (INTERNALDATE) read without imapclient's parser: a
        hundred thousand lines parse in a tenth of the time (services/received_dates.py)."""
        with _mapped_errors():
            typ, lines = self._client._imap.uid("FETCH", f"{first}:{last}", "(INTERNALDATE)")
        if typ != "OK":
            raise IMAPClientError(f"UID FETCH INTERNALDATE: {lines}")
        dated = received_dates.parse_fetch_lines(lines)
        return [(uid, day) for uid, day in dated if first <= uid <= last]

    def sorted_uids(self, key: str) -> list[int]:
        """Every UID in ascending order of key (one of SORT_CRITERIA), by UID SORT."""
        with _mapped_errors():
            return [int(uid) for uid in self._client.sort([SORT_CRITERIA[key]])]

    def thread_uids(self, timeout: float | None = None) -> list[list[int]]:
        """The folder's conversations (UID THREAD REFERENCES), each flattened to its UIDs.

        With timeout (seconds, instead of the connection's own), a THREAD that takes
        longer raises ThreadingTooSlow and closes the connection, whose answer would
        still come: ImapSession.replace_connection() gives the session a new one.
        ThreadingTooSlow too when the server refuses to thread (the connection is fine).
        """
        try:
            with _answer_within(self._client, timeout, ThreadingTooSlow(self.name)):
                answer = self._client.thread("REFERENCES")
        except IMAPClientError as exc:  # a NO or BAD: a lost connection is mapped above
            raise ThreadingTooSlow(self.name) from exc
        return [flatten_thread(thread) for thread in answer]

    def thread_headers(self, uids: list[int]) -> list[ThreadHeaders]:
        """What threading reads of these messages (one FETCH of four header fields)."""
        if not uids:
            return []
        with _mapped_errors():
            rows = self._client.fetch(
                uids, [f"BODY.PEEK[HEADER.FIELDS ({' '.join(HEADER_FIELDS)})]"]
            )
        return [
            parse_thread_headers(int(uid), next(iter(_header_fields(data)), b""))
            for uid, data in sorted(rows.items())
        ]

    def uids_sharing(self, below: int, ids: set[str], subjects: set[str]) -> list[int]:
        """UIDs under below whose Message-ID, References or In-Reply-To holds one of
        ids, or whose Subject holds one of subjects (one UID SEARCH, by substring)."""
        terms = [["HEADER", name, value] for value in sorted(ids) for name in _ID_HEADERS]
        terms += [["SUBJECT", subject] for subject in sorted(subjects)]
        if below <= 1 or not terms:
            return []
        criteria = terms[-1]
        for term in reversed(terms[:-1]):
            criteria = ["OR", *term, *criteria]
        with _mapped_errors():
            found = self._client.search(["UID", f"1:{below - 1}", *criteria], "UTF-8")
        return sorted(int(uid) for uid in found if int(uid) < below)

    def all_uids(self) -> set[int]:
        """The UIDs now in the folder (UID SEARCH ALL)."""
        with _mapped_errors():
            return {int(uid) for uid in self._client.search("ALL")}

    def uids_from(self, first: int) -> list[int]:
        """The UIDs from first on, ascending (UID SEARCH UID first:*): what arrived since
        UIDNEXT was first."""
        with _mapped_errors():
            found = self._client.search(["UID", f"{first}:*"])
        # "first:*" matches the last message even below first when nothing is above it.
        return sorted(int(uid) for uid in found if int(uid) >= first)

    def sorted_subset(self, key: str, uids: list[int]) -> list[int]:
        """These UIDs in ascending order of key, by UID SORT over them alone: ordered as
        in the SORT of the whole folder (RFC 5256 breaks ties by mailbox order)."""
        if not uids:
            return []
        with _mapped_errors():
            found = self._client.sort([SORT_CRITERIA[key]], ["UID", _uid_set(uids)])
        return [int(uid) for uid in found]

    def search(self, criteria: list, timeout: float | None = None) -> list[int]:
        """UIDs of the messages matching criteria (a list built by mailbox/searching.py),
        ascending, by UID SEARCH CHARSET UTF-8: imapclient quotes each string or sends it
        as a literal. Dovecot answers the text criteria from its full-text index.

        Raises SearchFailed when the server refuses the search (e.g. index unavailable).
        With timeout (seconds, instead of the connection's own), a SEARCH that takes
        longer raises SearchTooSlow and closes the connection, whose answer would still
        come: ImapSession.replace_connection() gives the session a new one.
        """
        try:
            with _answer_within(self._client, timeout, SearchTooSlow(self.name)):
                found = self._client.search(criteria, "UTF-8")
        except IMAPClientError as exc:  # a NO or BAD: a lost connection is mapped above
            raise SearchFailed(self.name) from exc
        return sorted(int(uid) for uid in found)

    def summaries(self, uids: list[int]) -> list[MessageSummary]:
        """The list rows of these messages in the order given; a UID gone meanwhile is
        left out. Rows seen before come from the row cache with fresh FLAGS."""
        rows = _RowReader(self._client, self._account, self.name, self.state.uidvalidity)
        return rows.summaries(uids)

    def unseen(self, uids: list[int]) -> set[int]:
        """Which of these messages are unread (UID SEARCH UNSEEN UID set), a UID gone
        meanwhile left out. The server answers from its index with the unread ones only,
        rather than a FETCH FLAGS line per message to parse: a page of conversations can
        hold thousands of messages. Batches keep each command line short."""
        ordered = sorted(set(uids))
        found: set[int] = set()
        with _mapped_errors():
            for start in range(0, len(ordered), UID_SEARCH_BATCH):
                batch = _uid_set(ordered[start : start + UID_SEARCH_BATCH])
                found.update(int(uid) for uid in self._client.search(["UNSEEN", "UID", batch]))
        return found


class ImapSession:
    """One authenticated connection, opened by session_for()."""

    def __init__(self, client: IMAPClient, account: MailAccount | None = None) -> None:
        self._client = client
        self._account = account

    def replace_connection(self) -> None:
        """Log in again, after a command left the connection unusable (a THREAD past its
        time). Raises MailServerUnavailable or MailLoginFailed."""
        _close_quietly(self._client)
        self._client = _logged_in_client(self._account)

    def _usage_changed(self) -> None:
        if self._account is not None:
            quota_cache.forget(self._account)

    def list_folders(self) -> list[Folder]:
        """All folders, INBOX first, with their special-use flags.

        Raises MailServerUnavailable if the connection drops.
        """
        with _mapped_errors():
            rows = self._client.list_folders()
        return _tree_ordered(_folders(rows))

    def list_folders_with_counts(self) -> list[FolderStatus]:
        """list_folders() with each folder's message and unread counts.

        One command for all folders, LIST ... RETURN (STATUS ...) (LIST-STATUS, RFC 5819,
        which imapclient does not offer), rather than a STATUS per folder: each round
        trip waits for the server's turn on a busy machine. Servers without it get the
        STATUS commands. Raises MailServerUnavailable.
        """
        if not self._client.has_capability("LIST-STATUS"):
            return [self.folder_status(folder) for folder in self.list_folders()]
        with _mapped_errors():
            rows, counts = _list_status(self._client)
        folders = _tree_ordered(_folders(rows))
        return [_with_counts(folder, counts.get(folder.name, {})) for folder in folders]

    def folder_status(self, folder: Folder) -> FolderStatus:
        """The folder with its counts and state (0 for a \\Noselect parent)."""
        counts: dict = {}
        if folder.is_selectable:
            with _mapped_errors():
                try:
                    counts = self._client.folder_status(folder.name, _STATUS_ITEMS)
                except IMAPClient.Error as exc:
                    raise FolderNotFound(folder.name) from exc
        return _with_counts(folder, counts)

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
        try:
            with _mapped_errors():
                for folder in sorted(doomed, key=lambda f: f.depth, reverse=True):
                    try:
                        self._client.delete_folder(folder.name)
                    except IMAPClient.Error as exc:
                        raise _refusal(folder.name, exc) from exc
        finally:  # the deepest folders may be gone even if one is refused
            self._usage_changed()

    def quota(self, folders: Iterable[Folder] = ()) -> Quota | None:
        """Storage used and allowed for the mailbox, or None without a storage limit.
        Kept for a minute (mailbox/services/quota_cache.py) while INBOX's counts stay
        the same: give the list_folders_with_counts() just read, and they are taken
        from there instead of asking STATUS again.
        """
        if self._account is None:
            return self._server_quota()
        inbox = next(
            (f for f in folders if isinstance(f, FolderStatus) and f.name.upper() == "INBOX"),
            None,
        ) or self.folder_status(Folder("INBOX", "/", ()))
        state = f"{inbox.uidvalidity}.{inbox.messages}.{inbox.uidnext}"
        cached = quota_cache.read(self._account, state)
        if cached == quota_cache.NO_LIMIT:
            return None
        if cached is not None:
            return Quota(used=cached[0], limit=cached[1])
        found = self._server_quota()
        quota_cache.store(self._account, state, found and (found.used, found.limit))
        return found

    def _server_quota(self) -> Quota | None:
        with _mapped_errors():
            _roots, quotas = self._client.get_quota_root("INBOX")
        for quota in quotas:
            if quota.resource.upper() == "STORAGE":
                # IMAP counts storage in units of 1024 octets (RFC 9208).
                return Quota(used=int(quota.usage) * 1024, limit=int(quota.limit) * 1024)
        return None

    def fetch_page(
        self, folder_name: str, page: int = 1, page_size: int = 50, oldest_first: bool = False
    ) -> MessagePage:
        """One page of a folder, newest arrival first (or oldest_first).

        Arrival order is the IMAP sequence order, so a page is one FETCH of a range of
        sequence numbers: no SORT of the whole folder. Raises FolderNotFound.
        """
        with _mapped_errors():
            try:
                total, uidvalidity, flags = self._page_flags(
                    folder_name, page, page_size, oldest_first
                )
            except IMAPClient.Error:
                # The kept selection went stale (mail arrived since the NOOP): select.
                self._client.selected = None
                total, uidvalidity, flags = self._page_flags(
                    folder_name, page, page_size, oldest_first
                )
            rows = _RowReader(self._client, self._account, folder_name, uidvalidity)
            messages = rows.summaries(
                [uid for _seq, uid in sorted(flags, reverse=not oldest_first)],
                {uid: row_flags for (_seq, uid), row_flags in flags.items()},
            )
        return MessagePage(folder_name, total, page, page_size, messages)

    def _page_flags(
        self, folder_name: str, page: int, page_size: int, oldest_first: bool
    ) -> tuple[int, int, dict[tuple[int, int], tuple]]:
        """(messages, UIDVALIDITY, {(sequence number, uid): flags}) of the page's rows,
        by one FETCH of a range of sequence numbers."""
        if getattr(self._client, "selected", None) == (folder_name, True):
            # Selected read-only by an earlier request on this kept connection, whose
            # NOOP brought the session up to date: its count is one cheap STATUS away.
            status = self._client.folder_status(folder_name, [b"MESSAGES", b"UIDVALIDITY"])
            total = int(status[b"MESSAGES"])
        else:
            try:
                status = self._client.select_folder(folder_name, readonly=True)
            except IMAPClient.Error as exc:
                raise FolderNotFound(folder_name) from exc
            total = int(status[b"EXISTS"])
        uidvalidity = int(status[b"UIDVALIDITY"])
        high = total - (page - 1) * page_size
        if high < 1:
            return total, uidvalidity, {}
        low = max(1, high - page_size + 1)
        if oldest_first:
            low, high = total - high + 1, total - low + 1
        self._client.use_uid = False
        try:
            rows = self._client.fetch(list(range(low, high + 1)), ["UID", "FLAGS"])
        finally:
            self._client.use_uid = True
        return (
            total,
            uidvalidity,
            {(seq, int(data[b"UID"])): data.get(b"FLAGS", ()) for seq, data in rows.items()},
        )

    def open_folder(self, folder_name: str) -> OpenFolder:
        """Select the folder read-only and tell its state, for listing it in another order
        than arrival, or searching it. CONDSTORE is enabled first so that SELECT reports
        HIGHESTMODSEQ.

        A kept connection that already has the folder selected read-only keeps it: its
        state then comes from a STATUS (about 1 ms), where selecting a big folder again
        costs Dovecot tens to hundreds of ms (it re-reads the folder's UID list).

        Raises FolderNotFound.
        """
        with _mapped_errors():
            if not getattr(self._client, "condstore_enabled", False):
                if self._client._imap.state == "SELECTED":  # a kept connection
                    self._client.unselect_folder()  # ENABLE is only allowed before
                self._client.enable("CONDSTORE")
                self._client.condstore_enabled = True
            try:
                if getattr(self._client, "selected", None) == (folder_name, True):
                    # Brought up to date by the NOOP that lent the connection.
                    status = self._client.folder_status(folder_name, _STATUS_ITEMS)
                    status[b"EXISTS"] = status[b"MESSAGES"]
                else:
                    status = self._client.select_folder(folder_name, readonly=True)
            except IMAPClient.Error as exc:
                raise FolderNotFound(folder_name) from exc
        state = FolderState(
            uidvalidity=int(status[b"UIDVALIDITY"]),
            uidnext=int(status.get(b"UIDNEXT", 0)),
            messages=int(status[b"EXISTS"]),
            highestmodseq=int(status.get(b"HIGHESTMODSEQ", 0)),
        )
        return OpenFolder(self._client, folder_name, state, self._account)

    def fetch_message(self, folder_name: str, uid: int) -> FetchedMessage:
        """The whole message, without marking it read. Raises FolderNotFound, MessageNotFound."""
        with _mapped_errors():
            self._select(folder_name, readonly=True)
            rows = self._client.fetch([uid], ["FLAGS", "BODY.PEEK[]"])
        data = rows.get(uid)
        if not data or b"BODY[]" not in data:
            raise MessageNotFound(folder_name, uid)
        flags = tuple(_text(flag) for flag in data.get(b"FLAGS", ()))
        # The untagged "* n FETCH" line numbers the message: its place in arrival order.
        sequence = int(data.get(b"SEQ", 0))
        return FetchedMessage(uid=uid, flags=flags, raw=data[b"BODY[]"], sequence=sequence)

    def fetch_for_reading(self, folder_name: str, uid: int) -> FetchedMessage:
        """The message as its page shows it, without marking it read: whole when it is
        small (one FETCH), else without the bodies of its big attachments
        (mailbox/mime_skeleton.py; their sizes in `omitted`). Raises FolderNotFound,
        MessageNotFound."""
        with _mapped_errors():
            self._select(folder_name, readonly=True)
            rows = self._client.fetch(
                [uid],
                ["FLAGS", "RFC822.SIZE", "BODYSTRUCTURE", f"BODY.PEEK[]<0.{READ_WHOLE_BYTES}>"],
            )
            data = rows.get(uid)
            if not data:
                raise MessageNotFound(folder_name, uid)
            flags = tuple(_text(flag) for flag in data.get(b"FLAGS", ()))
            sequence = int(data.get(b"SEQ", 0))
            start = data.get(b"BODY[]<0>") or b""
            if int(data.get(b"RFC822.SIZE", 0)) <= READ_WHOLE_BYTES and start:
                return FetchedMessage(uid=uid, flags=flags, raw=start, sequence=sequence)
            tree = mime_skeleton.plan(data.get(b"BODYSTRUCTURE"))
            if tree is None or not mime_skeleton.omitted_sizes(tree):
                whole = self.fetch_message(folder_name, uid)
                return FetchedMessage(uid=uid, flags=flags, raw=whole.raw, sequence=sequence)
            parts = self._client.fetch([uid], mime_skeleton.sections(tree)).get(uid)
        if not parts:
            raise MessageNotFound(folder_name, uid)
        return FetchedMessage(
            uid=uid,
            flags=flags,
            raw=mime_skeleton.assemble(tree, parts),
            sequence=sequence,
            omitted=mime_skeleton.omitted_sizes(tree),
        )

    def message_sizes(self, folder_name: str, uids: list[int]) -> dict[int, int]:
        """{uid: RFC822.SIZE} of those of these messages that exist. Raises FolderNotFound."""
        sizes: dict[int, int] = {}
        ordered = sorted(set(uids))
        with _mapped_errors():
            self._select(folder_name, readonly=True)
            # imapclient's fetch takes a list of UIDs, not ranges: 1,000 keep the command
            # far below Dovecot's line limit (64 kB).
            for start in range(0, len(ordered), 1000):
                rows = self._client.fetch(ordered[start : start + 1000], ["RFC822.SIZE"])
                sizes.update({int(uid): int(data[b"RFC822.SIZE"]) for uid, data in rows.items()})
        return sizes

    def iter_raw_messages(
        self,
        folder_name: str,
        sizes: dict[int, int],
        batch_count: int = EXPORT_BATCH_COUNT,
        batch_bytes: int = EXPORT_BATCH_BYTES,
    ) -> Iterator[RawMessage]:
        """The messages of sizes (from message_sizes()), whole and unchanged, by UID.

        Fetched batch by batch (at most batch_count messages or about batch_bytes), so
        that exporting a big folder holds one batch at a time; a message deleted in the
        meantime is left out. Nothing is marked read. Raises FolderNotFound.
        """
        with _mapped_errors():
            self._select(folder_name, readonly=True)
        for batch in _batches(sorted(sizes), sizes, batch_count, batch_bytes):
            with _mapped_errors():
                rows = self._client.fetch(batch, ["BODY.PEEK[]", "INTERNALDATE", "ENVELOPE"])
            for uid in batch:
                data = rows.pop(uid, None)
                if data and b"BODY[]" in data:
                    yield _raw_message(uid, data)

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

    def arrival_neighbours(
        self, folder_name: str, uid: int, sequence: int = 0
    ) -> tuple[int, int, int | None, int | None] | None:
        """(sequence number, messages in the folder, UID just before, UID just after) of
        uid in arrival order, or None if it is not in the folder: one FETCH when sequence
        (fetch_message's, on this session) can be trusted, else three small commands,
        never a SEARCH of the whole folder. Raises FolderNotFound."""
        with _mapped_errors():
            self._select(folder_name, readonly=True)
            found = self._around_sequence(uid, sequence)
            if found is not None:
                return found
            row = self._client.fetch([uid], ["UID"]).get(uid)
            if not row:
                return None
            sequence = int(row[b"SEQ"])
            total = int(self._client.folder_status(folder_name, [b"MESSAGES"])[b"MESSAGES"])
            uids = self._sequences_around(sequence, total, (sequence - 1, sequence + 1))
        return sequence, total, uids.get(sequence - 1), uids.get(sequence + 1)

    def _around_sequence(
        self, uid: int, sequence: int
    ) -> tuple[int, int, int | None, int | None] | None:
        """arrival_neighbours' answer from the selected folder's count (no STATUS) and one
        FETCH of the sequence numbers around, if the count is known (no expunge told since
        it was taken) and the UID at sequence is still uid; None otherwise."""
        total = self._client.known_exists()
        if not sequence or total is None or sequence > total:
            return None
        try:
            uids = self._sequences_around(sequence, total)
        except IMAPClientError as exc:
            if isinstance(exc, IMAPClientAbortError):
                raise
            return None  # a BAD: the count was wrong after all
        if uids.get(sequence) != uid:
            return None
        return sequence, total, uids.get(sequence - 1), uids.get(sequence + 1)

    def _sequences_around(
        self, sequence: int, total: int, wanted: tuple[int, ...] | None = None
    ) -> dict[int, int]:
        """{sequence number: UID} of wanted (the one before, itself and the one after)
        that are in 1..total, by one FETCH of sequence numbers. Sequence numbers hold
        still during it: a server sends no EXPUNGE while answering a FETCH (RFC 9051)."""
        if wanted is None:
            wanted = (sequence - 1, sequence, sequence + 1)
        numbers = [n for n in wanted if 1 <= n <= total]
        self._client.use_uid = False
        try:
            rows = self._client.fetch(numbers, ["UID"]) if numbers else {}
        finally:
            self._client.use_uid = True
        return {int(number): int(data[b"UID"]) for number, data in rows.items()}

    def existing_uids(self, folder_name: str, uids: list[int]) -> set[int]:
        """Those of these UIDs still in the folder (one UID SEARCH). Raises FolderNotFound."""
        if not uids:
            return set()
        with _mapped_errors():
            self._select(folder_name, readonly=True)
            return {int(uid) for uid in self._client.search(["UID", _uid_set(uids)])}

    def uids_with_keyword(self, folder_name: str, keyword: str) -> list[int]:
        """The UIDs of the folder's messages that carry this keyword (a label), by
        UID SEARCH KEYWORD. Raises FolderNotFound.
        """
        with _mapped_errors():
            self._select(folder_name, readonly=True)
            return sorted(self._client.search(["KEYWORD", keyword]))

    def count_keyword(self, keyword: str) -> int:
        """How many messages carry this keyword, in all folders."""
        return sum(
            len(self.uids_with_keyword(folder.name, keyword))
            for folder in self.list_folders()
            if folder.is_selectable
        )

    def remove_keyword_everywhere(self, keyword: str) -> int:
        """Take this keyword off every message of every folder; says how many had it."""
        removed = 0
        for folder in self.list_folders():
            if folder.is_selectable:
                uids = self.uids_with_keyword(folder.name, keyword)
                self.remove_flags(folder.name, uids, [keyword])
                removed += len(uids)
        return removed

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
        self._usage_changed()

    def append(self, folder_name: str, raw: bytes | BinaryIO, flags: list[str]) -> int | None:
        """Store a message (bytes, or a binary file read from its start) in the folder
        (Drafts, Sent): its new UID as the server gave it (UIDPLUS APPENDUID), or None.
        Raises FolderNotFound, MailServerUnavailable.
        """
        message = io.BytesIO(raw) if isinstance(raw, bytes) else raw
        with _mapped_errors():
            try:
                status, lines = _append_file(self._client, folder_name, message, flags)
            except IMAPClient.Error as exc:
                raise FolderNotFound(folder_name) from exc
        self._usage_changed()
        if status != "OK":
            raise FolderNotFound(folder_name)
        response = b" ".join(line for line in lines if isinstance(line, bytes))
        found = re.search(rb"APPENDUID \d+ (\d+)", response)
        return int(found.group(1)) if found else None

    def uids_with_header(
        self, folder_name: str, header: str, value: str, latest: int | None = None
    ) -> list[int]:
        """UIDs of the messages whose header is exactly value; only among the `latest`
        arrivals if given. Read with FETCH, not SEARCH: with full-text search on, Dovecot
        answers SEARCH HEADER from its index, whose terms stop at 20 characters.

        Raises FolderNotFound.
        """
        item = f"BODY.PEEK[HEADER.FIELDS ({header.upper()})]"
        with _mapped_errors():
            status = self._select_status(folder_name)
            total = int(status.get(b"EXISTS", 0))
            if not total:
                return []
            first = max(1, total - latest + 1) if latest else 1
            self._client.use_uid = False
            try:
                rows = self._client.fetch(list(range(first, total + 1)), ["UID", item])
            finally:
                self._client.use_uid = True
        found = []
        for data in rows.values():
            fields = next((v for k, v in data.items() if k.startswith(b"BODY[HEADER")), b"")
            if _header_value(fields, header) == value:
                found.append(int(data[b"UID"]))
        return sorted(found)

    def _select_status(self, folder_name: str) -> dict:
        try:
            return self._client.select_folder(folder_name, readonly=True)
        except IMAPClient.Error as exc:
            raise FolderNotFound(folder_name) from exc

    def special_folder(self, special_use: str) -> str:
        """The name of the folder flagged special_use ('\\Trash', '\\Junk', '\\Archive'),
        found from the LIST flags rather than by name. Raises SpecialFolderMissing.
        """
        for folder in self.list_folders():
            if special_use in folder.flags:
                return folder.name
        raise SpecialFolderMissing(special_use)

    def uidvalidity(self, folder_name: str) -> int | None:
        """The folder's UIDVALIDITY, selecting it read-only unless it is already (no
        command then); None if the server did not tell. Raises FolderNotFound."""
        with _mapped_errors():
            self._select(folder_name, readonly=True)
        return getattr(self._client, "uidvalidity", None)

    def _select(self, folder_name: str, readonly: bool) -> None:
        if readonly and getattr(self._client, "selected", None) == (folder_name, True):
            return  # still selected from an earlier request, brought up to date by NOOP
        try:
            self._client.select_folder(folder_name, readonly=readonly)
        except IMAPClient.Error as exc:
            raise FolderNotFound(folder_name) from exc

    def contains_message_id(self, folder_name: str, message_id: str) -> bool:
        """Whether a message with this Message-ID header is in the folder (found by
        FETCH, as uids_with_header explains). Raises FolderNotFound."""
        return bool(self.uids_with_header(folder_name, "Message-ID", message_id))

    def move_by_message_id(
        self, folder_name: str, message_id: str, target: str, *, mark_unread: bool = False
    ) -> int:
        """Move the messages with this Message-ID header from the folder to target, unread
        first if asked (a snoozed message waking up). Returns how many moved: 0 when none
        is there any more, so that doing it twice is harmless.

        Raises FolderNotFound for either folder.
        """
        # Found by FETCH: SEARCH HEADER misses IDs with a token past the index's 20 characters.
        uids = self.uids_with_header(folder_name, "Message-ID", message_id)
        if mark_unread:
            self.remove_flags(folder_name, uids, ["\\Seen"])
        self.move(folder_name, uids, target)
        return len(uids)

    def ensure_folder(self, folder_name: str) -> None:
        """Create the folder unless it exists. Raises FolderActionRefused."""
        with suppress(FolderExists):
            self.create_folder(folder_name)

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
            custom = [f for f in folders if f.special_use in (None, SNOOZED)]
            for folder in sorted(custom, key=lambda f: f.name.count(f.delimiter), reverse=True):
                self._client.delete_folder(folder.name)
        self._usage_changed()


class _Client(IMAPClient):
    """An IMAPClient that remembers which folder it has selected, and how, so that a
    kept connection need not select the same big folder again (hundreds of ms)."""

    selected: tuple[str, bool] | None = None
    condstore_enabled = False
    exists: int | None = None  # messages in the selected folder, as SELECT and NOOP told
    uidvalidity: int | None = None  # the selected folder's, as SELECT told

    def select_folder(self, folder, readonly=False):
        self.selected = self.exists = self.uidvalidity = None
        status = super().select_folder(folder, readonly=readonly)
        self.selected = (folder, readonly)
        self._forget_news()
        self.exists = int(status[b"EXISTS"])
        self.uidvalidity = int(status.get(b"UIDVALIDITY", 0)) or None
        return status

    def noop(self):
        """NOOP, keeping the count of the selected folder up to date from its answer:
        EXISTS (messages arrived) and EXPUNGE (one gone), in the order the server said."""
        self.exists = self.known_exists()  # news from the last commands, then NOOP's
        self._forget_news()
        message, responses = super().noop()
        for response in responses:
            if self.exists is None or len(response) < 2:
                continue
            if response[1] == b"EXISTS":
                self.exists = int(response[0])
            elif response[1] == b"EXPUNGE":
                self.exists -= 1
        self._forget_news()
        return message, responses

    def known_exists(self) -> int | None:
        """Messages in the selected folder now, without a command: the count SELECT or
        NOOP gave, or the newest EXISTS the server sent since with another answer (mail
        arriving only appends sequence numbers). None after an EXPUNGE since: the
        sequence numbers of the messages moved, and imaplib does not keep the order of
        its news (imapclient's public API hands out only NOOP's and IDLE's)."""
        news = self._imap.untagged_responses
        if self.exists is None or news.get("EXPUNGE") or news.get("VANISHED"):
            return None
        if news.get("EXISTS"):
            self.exists = int(news["EXISTS"][-1])
            news.pop("EXISTS")
        return self.exists

    def _forget_news(self) -> None:
        """Drop the counts imaplib collected from answers so far: they are accounted for."""
        for name in ("EXISTS", "EXPUNGE", "VANISHED"):
            self._imap.untagged_responses.pop(name, None)

    def close_folder(self):
        self.selected = self.exists = None
        return super().close_folder()

    def unselect_folder(self):
        self.selected = self.exists = None
        return super().unselect_folder()


@contextmanager
def session_for(account: MailAccount) -> Iterator[ImapSession]:
    """An IMAP session on the user's mailbox, opened through the Dovecot master user.

    The logged-in connection is kept for the user's next session in this process
    (mailbox/services/imap_pool.py), checked with NOOP before it is lent again: a
    connection the server dropped meanwhile is replaced by a new one, transparently.

    Raises MailServerUnavailable (no answer, refused, dropped) or MailLoginFailed
    (the server refused the master login or the user, e.g. a disabled account).
    """
    session = ImapSession(_reused_client(account) or _logged_in_client(account), account)
    try:
        yield session
    except (*_CONNECTION_ERRORS, MailServerUnavailable) as exc:
        _close_quietly(session._client)
        if isinstance(exc, MailServerUnavailable):
            raise
        raise MailServerUnavailable(str(exc)) from exc
    except BaseException as exc:
        # A refusal we mapped (no such folder, message) leaves the connection fine.
        if isinstance(exc, Exception) and not isinstance(exc, IMAPClientError):
            _pool.give_back(account.username, session._client)
        else:
            _close_quietly(session._client)
        raise
    else:
        # The session's connection: a new one if replace_connection() was called.
        _pool.give_back(account.username, session._client)


def forget_connection(account: MailAccount) -> None:
    """Close the user's kept connection in this process (sign-out, deactivation)."""
    _pool.forget(account.username)


def keep_connections(keep: bool) -> None:
    """Whether this process keeps connections between sessions (Celery workers don't)."""
    _pool.enabled = keep
    if not keep:
        _pool.clear()


def close_kept_connections() -> None:
    """Close every connection this process keeps (tests that remove mailboxes on disk)."""
    _pool.clear()


def pool_stats() -> dict[str, int]:
    """Connections this process opened and reused (benchmarks, tests)."""
    return {"opened": _pool.opened, "reused": _pool.reused}


def keeps_connection(account: MailAccount) -> bool:
    """Whether this process holds an idle connection for the user."""
    return _pool.holds(account.username)


def _reused_client(account: MailAccount) -> IMAPClient | None:
    client = _pool.take(account.username)
    if client is None:
        return None
    try:
        client.noop()  # also brings the server's news (EXISTS, EXPUNGE) of the folder
    except (*_CONNECTION_ERRORS, IMAPClientError):
        _close_quietly(client)
        return None
    _pool.reused += 1
    return client


def _logged_in_client(account: MailAccount) -> IMAPClient:
    try:
        client = _Client(
            settings.IMAP_HOST,
            port=settings.IMAP_PORT,
            ssl=settings.IMAP_SSL,
            timeout=settings.SERVICE_TIMEOUT_SECONDS,
        )
    except (OSError, IMAPClientError) as exc:
        raise MailServerUnavailable(f"connect {settings.IMAP_HOST}:{settings.IMAP_PORT}") from exc
    client.normalise_times = False  # keep the server's time zone: aware datetimes
    try:
        client.login(
            f"{account.username}*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD
        )
    except LoginError as exc:
        _close_quietly(client)
        raise MailLoginFailed(f"login refused for {account.username}") from exc
    except _CONNECTION_ERRORS as exc:
        _close_quietly(client)
        raise MailServerUnavailable(str(exc)) from exc
    _pool.opened += 1
    return client


def _close_quietly(client: IMAPClient) -> None:
    """Log out, or at least close the socket, whatever state the connection is in."""
    try:
        client.logout()
    except (*_CONNECTION_ERRORS, IMAPClientError):
        with suppress(OSError):
            client.shutdown()


_pool = imap_pool.ConnectionPool(close=_close_quietly)


APPEND_CHUNK_BYTES = 1024 * 1024


def _append_file(
    client: IMAPClient, folder_name: str, message: BinaryIO, flags: list[str]
) -> tuple[str, list]:
    """APPEND one message read from a file and sent in chunks, so that it is never whole
    in memory. imapclient's append goes through imaplib, which rewrites every line end
    of the whole message with a regular expression; its multiappend copies the message
    into a literal, then again behind the literal's prefix: together with the message
    itself, about 3 copies of 34 MB for a 25 MB attachment. This sends a synchronizing
    literal (the server may refuse before the bytes go) on the same imaplib primitives
    as imapclient's own _raw_command and _send_literal.
    """
    message.seek(0, io.SEEK_END)
    size = message.tell()
    message.seek(0)
    imap = client._imap
    tag = imap._new_tag()
    command = [tag, b"APPEND", client._normalise_folder(folder_name)]
    imap.send(b" ".join([*command, to_bytes(seq_to_parenstr(flags))]) + b" {%d}\r\n" % size)
    while imap._get_response():  # until the server's "+" continuation
        if imap.tagged_commands.get(tag):  # refused at once: no such folder, too large
            return imap._command_complete("APPEND", tag)
    while chunk := message.read(APPEND_CHUNK_BYTES):
        imap.send(chunk)
    imap.send(b"\r\n")
    return imap._command_complete("APPEND", tag)


@contextmanager
def _mapped_errors() -> Iterator[None]:
    try:
        yield
    except _CONNECTION_ERRORS as exc:
        raise MailServerUnavailable(str(exc)) from exc


@contextmanager
def _answer_within(
    client: IMAPClient, timeout: float | None, too_slow: Exception
) -> Iterator[None]:
    """The block's command waits at most timeout seconds for its answer (None: the
    connection's own timeout); past it the connection is shut, since the answer would
    still come, and too_slow is raised. Other failures as in _mapped_errors()."""
    sock = client.socket()
    usual = sock.gettimeout()
    if timeout is not None:
        sock.settimeout(timeout)
    try:
        with _mapped_errors():
            yield
    except MailServerUnavailable as exc:
        if not isinstance(exc.__cause__, TimeoutError) or timeout is None:
            raise
        with suppress(OSError):  # a LOGOUT would wait behind the answer
            client.shutdown()
        raise too_slow from exc
    finally:
        with suppress(OSError):
            sock.settimeout(usual)


def _folders(rows: list) -> list[Folder]:
    """Our folders from imapclient's LIST rows."""
    return [
        Folder(
            name=name,
            delimiter=_text(delimiter or b"/"),
            flags=tuple(_text(flag) for flag in flags),
        )
        for flags, delimiter, name in rows
    ]


def _with_counts(folder: Folder, counts: dict) -> FolderStatus:
    """The folder with the counts of a STATUS answer ({b"MESSAGES": 12, ...})."""
    return FolderStatus(
        name=folder.name,
        delimiter=folder.delimiter,
        flags=folder.flags,
        messages=int(counts.get(b"MESSAGES", 0)),
        unseen=int(counts.get(b"UNSEEN", 0)),
        uidnext=int(counts.get(b"UIDNEXT", 0)),
        uidvalidity=int(counts.get(b"UIDVALIDITY", 0)),
        highestmodseq=int(counts.get(b"HIGHESTMODSEQ", 0)),
    )


# CHILDREN and SPECIAL-USE: the flags a plain LIST gives (RFC 5258, RFC 6154), which an
# extended LIST leaves out unless asked.
_LIST_STATUS_RETURN = "(CHILDREN SPECIAL-USE STATUS ({}))".format(
    " ".join(item.decode() for item in _STATUS_ITEMS)
)


def _list_status(client: IMAPClient) -> tuple[list, dict[str, dict]]:
    """imapclient's LIST rows and {folder name: STATUS items} from one LIST-STATUS.

    Sent on imaplib's primitives, as imapclient's own commands are; the rows are read
    by imapclient's LIST parser and the STATUS answers by its response parser, so
    literals and modified UTF-7 names are handled as in list_folders/folder_status.
    """
    imap = client._imap
    imap.untagged_responses.pop("STATUS", None)  # none left over from an earlier command
    typ, data = imap._simple_command("LIST", '""', '"*"', "RETURN", _LIST_STATUS_RETURN)
    typ, data = imap._untagged_response(typ, data, "LIST")
    statuses = imap.untagged_responses.pop("STATUS", [])
    if typ != "OK":
        raise IMAPClientError(f"LIST-STATUS: {data}")
    rows = client._proc_folder_list(data)
    parsed = parse_response(statuses) if statuses else ()
    counts = {}
    for name, items in zip(parsed[::2], parsed[1::2], strict=True):
        name = str(name) if isinstance(name, int) else name  # a folder named "2024"
        if isinstance(name, bytes):
            name = decode_utf7(name) if client.folder_encode else _text(name)
        counts[name] = dict(zip(items[::2], items[1::2], strict=True))
    return rows, counts


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


class _RowReader:
    """List rows of one folder: what the row cache keeps (services/row_cache.py), with
    the flags of this moment; the others FETCHed whole, then kept."""

    def __init__(
        self, client: IMAPClient, account: MailAccount | None, folder_name: str, uidvalidity: int
    ) -> None:
        self._client = client
        self._account = account
        self._folder_name = folder_name
        self._uidvalidity = uidvalidity

    def summaries(
        self, uids: list[int], flags: dict[int, tuple] | None = None
    ) -> list[MessageSummary]:
        """Rows of uids in this order, leaving out those gone. flags, when the caller
        has them already ({uid: FLAGS as fetched}), saves their FETCH."""
        if not uids:
            return []
        kept = self._kept(uids)
        with _mapped_errors():
            if flags is None and kept:
                rows = self._client.fetch(list(kept), ["FLAGS"])
                flags = {int(uid): data.get(b"FLAGS", ()) for uid, data in rows.items()}
            missing = [uid for uid in uids if uid not in kept]
            fetched = self._fetched_whole(missing) if missing else {}
        by_uid = dict(fetched)
        for uid, fields in kept.items():
            if uid in (flags or {}):
                by_uid[uid] = MessageSummary(uid=uid, flags=_flag_texts(flags[uid]), **fields)
        return [by_uid[uid] for uid in uids if uid in by_uid]

    def _kept(self, uids: list[int]) -> dict[int, dict]:
        if self._account is None:
            return {}
        return row_cache.read(self._account, self._folder_name, self._uidvalidity, uids)

    def _fetched_whole(self, uids: list[int]) -> dict[int, MessageSummary]:
        rows = self._client.fetch(uids, SUMMARY_ITEMS)
        # Keyed by UID already: imapclient leaves UID out of each row.
        found = {int(uid): _summary({**data, b"UID": uid}) for uid, data in rows.items()}
        if self._account is not None:
            row_cache.store(self._account, self._folder_name, self._uidvalidity, found.values())
        return found


def _summary(data: dict) -> MessageSummary:
    fields = _header_fields(data)
    headers = row_headers(fields[0] if fields else None)
    return MessageSummary(
        uid=int(data[b"UID"]),
        subject=headers.subject,
        sender_name=headers.sender_name,
        sender_address=headers.sender_address,
        date=data.get(b"INTERNALDATE"),
        size=int(data.get(b"RFC822.SIZE", 0)),
        flags=_flag_texts(data.get(b"FLAGS", ())),
        message_id=headers.message_id,
        preview=_preview(data.get(b"PREVIEW")),
    )


def _flag_texts(flags: Iterable) -> tuple[str, ...]:
    return tuple(_text(flag) for flag in flags)


def _preview(value: bytes | str | None) -> str:
    """The server's preview of the text (RFC 8970: at most 256 octets, NIL when there is
    no text), on one line."""
    return one_line(_text(value)) if value else ""


def _batches(uids: list[int], sizes: dict[int, int], count: int, size: int) -> Iterator[list[int]]:
    batch: list[int] = []
    batch_size = 0
    for uid in uids:
        if batch and (len(batch) >= count or batch_size + sizes[uid] > size):
            yield batch
            batch, batch_size = [], 0
        batch.append(uid)
        batch_size += sizes[uid]
    if batch:
        yield batch


def _raw_message(uid: int, data: dict) -> RawMessage:
    envelope = data.get(b"ENVELOPE")
    sender = ""
    if envelope is not None and envelope.from_ and envelope.from_[0].host:
        first = envelope.from_[0]
        sender = f"{_text(first.mailbox or b'')}@{_text(first.host)}"
    return RawMessage(
        uid=uid, received=data.get(b"INTERNALDATE"), sender=sender, raw=data[b"BODY[]"]
    )


def _header_value(fields: bytes, header: str) -> str:
    """One header's value from a FETCH of BODY[HEADER.FIELDS (...)], unfolded."""
    parsed = BytesHeaderParser(policy=policy.compat32).parsebytes(fields or b"")
    return " ".join(str(parsed.get(header, "")).split())


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


_ID_HEADERS = ("Message-ID", "References", "In-Reply-To")


def _header_fields(data: dict) -> list[bytes]:
    """The bytes of a FETCH BODY[HEADER.FIELDS (...)] answer (its key echoes the fields)."""
    return [value for key, value in data.items() if key.startswith(b"BODY[HEADER.FIELDS")]


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
