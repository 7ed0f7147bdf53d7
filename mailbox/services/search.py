"""Search one folder or all of them, on the IMAP server (UID SEARCH, answered by
Dovecot's full-text index), and fetch the rows to show, newest first.

The criteria come from mailbox/searching.py. Results are pages of the same rows as a
folder's list (MessagePage), so they are shown by the same templates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mailbox.errors import FolderNotFound
from mailbox.services.imap import Folder, ImapSession, MessagePage

# All-folders results show this many messages per folder, with a link to the rest.
ALL_FOLDERS_ROWS = 20


@dataclass(frozen=True)
class FolderResults:
    folder: Folder
    page: MessagePage


# Told (folder name, every matching UID newest first) by the searches below, so that the
# caller can remember the results for the previous/next links of the messages it opens.
ResultsHook = Callable[[str, list[int]], None]


def search_folder(
    session: ImapSession,
    folder_name: str,
    criteria: list,
    page: int,
    page_size: int,
    on_results: ResultsHook | None = None,
) -> MessagePage:
    """Page `page` (from 1) of the folder's matching messages, newest first.

    Raises FolderNotFound, SearchFailed.
    """
    folder = session.open_folder(folder_name)
    uids = folder.search(criteria)[::-1]
    if on_results is not None:
        on_results(folder_name, uids)
    shown = uids[(page - 1) * page_size : page * page_size]
    return MessagePage(folder_name, len(uids), page, page_size, folder.summaries(shown))


def search_all_folders(
    session: ImapSession,
    criteria: list,
    folders: list[Folder],
    rows: int = ALL_FOLDERS_ROWS,
    on_results: ResultsHook | None = None,
) -> list[FolderResults]:
    """Those of `folders` (the tree the page already listed) holding matching messages,
    in that order, each with its newest `rows` matches. A folder deleted during the
    search is skipped.

    Raises SearchFailed.
    """
    results = []
    for folder in folders:
        if not folder.is_selectable:
            continue
        try:
            page = search_folder(session, folder.name, criteria, 1, rows, on_results)
        except FolderNotFound:
            continue
        if page.total:
            results.append(FolderResults(folder, page))
    return results
