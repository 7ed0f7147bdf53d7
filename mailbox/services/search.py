"""Search one folder or all of them, on the IMAP server (UID SEARCH, answered by
Dovecot's full-text index), and fetch the rows to show, newest first.

The criteria come from mailbox/searching.py. Results are pages of the same rows as a
folder's list (MessagePage), so they are shown by the same templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from mailbox.errors import FolderNotFound
from mailbox.services import received_dates
from mailbox.services.imap import Folder, FolderState, ImapSession, MessagePage

# All-folders results show this many messages per folder, with a link to the rest.
ALL_FOLDERS_ROWS = 20


@dataclass(frozen=True)
class FolderResults:
    folder: Folder
    page: MessagePage


class ResultsMemory(Protocol):
    """Where the caller keeps each folder's results: for the previous/next links of the
    messages it opens, and so that the next page of the same search, or the same search
    again, need not search while the folder is unchanged (mailbox/views/search.py keeps
    them in Redis with services/list_context.py)."""

    def recall(
        self, folder_name: str, state: FolderState, start: int, stop: int
    ) -> tuple[int, list[int]] | None:
        """(how many, the UIDs at positions start..stop-1, newest first) of the results
        found in this folder state, or None when there are none to reuse."""

    def remember(self, folder_name: str, state: FolderState, uids: list[int]) -> None:
        """Keep every matching UID (newest first), found in this folder state."""


def search_folder(
    session: ImapSession,
    folder_name: str,
    criteria: list,
    page: int,
    page_size: int,
    memory: ResultsMemory | None = None,
    timeout: float | None = None,
    received: tuple[date | None, date | None] | None = None,
) -> MessagePage:
    """Page `page` (from 1) of the folder's matching messages, newest first: from the
    remembered results when the folder has not changed since they were found, else by
    UID SEARCH (then remembered), given at most timeout seconds (OpenFolder.search).
    received: the (since, before) days the criteria hold (searching.received_range), so
    that the search tests only the messages received around them (received_dates).

    Raises FolderNotFound, SearchFailed, SearchTooSlow (then the session needs
    replace_connection()).
    """
    folder = session.open_folder(folder_name)
    start, stop = (page - 1) * page_size, page * page_size
    recalled = memory.recall(folder_name, folder.state, start, stop) if memory else None
    if recalled is None:
        narrowed = received_dates.narrowing(folder, *received) if received else []
        uids = folder.search(narrowed + criteria, timeout)[::-1]
        if memory is not None:
            memory.remember(folder_name, folder.state, uids)
        recalled = len(uids), uids[start:stop]
    total, shown = recalled
    return MessagePage(folder_name, total, page, page_size, folder.summaries(shown))


def search_all_folders(
    session: ImapSession,
    criteria: list,
    folders: list[Folder],
    rows: int = ALL_FOLDERS_ROWS,
    memory: ResultsMemory | None = None,
    timeout: float | None = None,
    received: tuple[date | None, date | None] | None = None,
) -> list[FolderResults]:
    """Those of `folders` (the tree the page already listed) holding matching messages,
    in that order, each with its newest `rows` matches. A folder deleted during the
    search is skipped. timeout: for each folder's SEARCH; received: as for search_folder.

    Raises SearchFailed, SearchTooSlow.
    """
    results = []
    for folder in folders:
        if not folder.is_selectable:
            continue
        try:
            page = search_folder(session, folder.name, criteria, 1, rows, memory, timeout, received)
        except FolderNotFound:
            continue
        if page.total:
            results.append(FolderResults(folder, page))
    return results
