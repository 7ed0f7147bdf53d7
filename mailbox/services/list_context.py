"""The list an opened message came from, for the message page's previous/next links,
its "back to the list" link, and for opening the next message after an action.

A folder's list is known from the user's order: in arrival order the neighbours are the
next sequence numbers (no SEARCH or SORT); in the other orders, and in conversations, a
window of the list kept by services/sort_cache.py around the position the row's link
carried. Search results are remembered here, per user, for an hour: their UIDs (newest
first, packed like the sort cache) and the URL of the results page, under a token made
from the folder and the query, with the folder state they were found in: while the
folder is unchanged, the next page of the same search is read from them instead of
searching again (RememberedResults). The links carry only a position and that token,
both checked here; a list gone stale (messages moved since) is read or sorted again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from urllib.parse import urlencode

import redis

from accounts.mail_account import MailAccount
from mailbox.errors import ThreadingTooSlow
from mailbox.list_positions import Neighbours, locate, page_of
from mailbox.services import listing, sort_cache
from mailbox.services.imap import FolderState, ImapSession

logger = logging.getLogger(__name__)

RESULTS_TTL_SECONDS = 3600
TOKEN_LENGTH = 16


def folder_neighbours(
    session: ImapSession,
    account: MailAccount,
    folder_name: str,
    uid: int,
    order: listing.ListOrder,
    position: int | None,
    sequence: int = 0,
) -> Neighbours | None:
    """Where uid stands in the folder's list in this order; None if it is not in the
    folder, or while the conversations of a big folder are threaded by a worker (past
    the list's THREAD budget). sequence: the message's sequence number as the session
    just fetched it (0: not known), which in arrival order is its place. Raises
    FolderNotFound."""
    if order.key == listing.ARRIVAL and not order.conversations:
        found = session.arrival_neighbours(folder_name, uid, sequence)
        if found is None:
            return None
        sequence, total, before, after = found
        if order.descending:
            return Neighbours(total - sequence, after, before)
        return Neighbours(sequence - 1, before, after)
    found = _from_sort_cache(account, folder_name, order, uid, position)
    if found is None or not _still_there(session, folder_name, found):
        try:
            found = locate(listing.all_rows(session, account, folder_name, order), uid)
        except ThreadingTooSlow:  # a big folder's conversations, being threaded meanwhile
            return None
    return found


def _from_sort_cache(
    account: MailAccount, folder_name: str, order: listing.ListOrder, uid: int, position
) -> Neighbours | None:
    """From the newest list cached for this order, even if mail came or went since:
    it is the list the user saw. A window around position, else the whole list."""
    name = listing.cache_order(order)
    key = sort_cache.current_key(account, folder_name, name)
    if key is None:
        return None
    if order.conversations:
        for start, stop in _windows(position):
            cached = sort_cache.read_conversations(account, folder_name, name, key, start, stop)
            if cached is None:
                return None
            total, rows = cached
            found = locate(rows, uid, start, total)
            if found is not None:
                return found
        return None
    total = int(key.rsplit(".", 1)[-1])  # the list's MESSAGES (FolderState.contents_key)
    for start, stop in _windows(position, total):
        # Plain lists are cached ascending: a descending window is read from the end.
        low, high = (total - stop, total - start) if order.descending else (start, stop)
        uids = sort_cache.read_window(account, folder_name, name, key, low, high)
        if uids is None:
            return None
        rows = [(u,) for u in (uids[::-1] if order.descending else uids)]
        found = locate(rows, uid, start, total)
        if found is not None:
            return found
    return None


def _windows(position: int | None, total: int = 2**31) -> list[tuple[int, int]]:
    """The window around position (one row each side), then the whole list."""
    whole = (0, total)
    if position is None:
        return [whole]
    return [(max(0, position - 1), min(total, position + 2)), whole]


def _still_there(session: ImapSession, folder_name: str, found: Neighbours) -> bool:
    around = [uid for uid in (found.previous, found.next) if uid is not None]
    return len(session.existing_uids(folder_name, around)) == len(around)


def results_token(folder_name: str, params: dict[str, str]) -> str:
    """The token of a search in a folder: the same search gives the same token."""
    text = f"{folder_name}\0{urlencode(sorted(params.items()))}"
    return hashlib.sha256(text.encode()).hexdigest()[:TOKEN_LENGTH]


def results_state(state: FolderState, reads_flags: bool) -> str:
    """What must stay the same in the folder for a search's remembered results to still be
    its answer: its UIDs (FolderState.contents_key), and its flags too (HIGHESTMODSEQ)
    when the search reads flags (unread, flagged, a label). "" when that cannot be told
    (a server without CONDSTORE): such results are never reused."""
    if not reads_flags:
        return state.contents_key
    return f"{state.contents_key}.{state.highestmodseq}" if state.highestmodseq else ""


def remember_results(
    account: MailAccount,
    folder_name: str,
    token: str,
    uids: list[int],
    url: str,
    paged: bool,
    state: str = "",
) -> None:
    """Keep a search's matching UIDs (in list order) and the URL of its results (without
    ?page=; paged: whether that page has pages) for an hour, with the folder's state
    (results_state) they were found in. Redis down: no links."""
    key = _results_key(account, token)
    meta = json.dumps({"folder": folder_name, "url": url, "paged": paged, "state": state})
    try:
        with sort_cache.redis_client().pipeline(transaction=True) as pipe:
            pipe.set(f"{key}:uids", sort_cache.pack(uids), ex=RESULTS_TTL_SECONDS)
            pipe.set(f"{key}:meta", meta, ex=RESULTS_TTL_SECONDS)
            pipe.execute()
    except redis.RedisError as exc:
        logger.warning("search results not kept for %s: %s", account.username, exc)


def remembered_window(
    account: MailAccount, folder_name: str, token: str, state: str, start: int, stop: int
) -> tuple[int, list[int]] | None:
    """(how many, the UIDs at positions start..stop-1) of this search's remembered
    results, if the folder is still in the state (results_state) they were found in: the
    same SEARCH would give them again. One Redis round trip, reading only the window.
    None otherwise, or when Redis is down: the caller searches."""
    if not state:
        return None
    key = _results_key(account, token)
    try:
        with sort_cache.redis_client().pipeline(transaction=False) as pipe:
            pipe.get(f"{key}:meta").exists(f"{key}:uids").strlen(f"{key}:uids")
            pipe.getrange(f"{key}:uids", start * 4, stop * 4 - 1)
            meta, exists, length, data = pipe.execute()
    except redis.RedisError as exc:
        logger.warning("search results unreadable for %s: %s", account.username, exc)
        return None
    if meta is None or not exists:
        return None
    meta = json.loads(meta)
    if meta["folder"] != folder_name or meta.get("state") != state:
        return None
    return length // 4, sort_cache.unpack(data) if stop > start else []


class RememberedResults:
    """A search's results in each folder, kept in Redis under the folder's results_token
    (services/search.py ResultsMemory): the previous/next links of the messages opened
    from them, and the next page of the same search without searching again."""

    def __init__(
        self,
        account: MailAccount,
        params: dict[str, str],
        url: str,
        *,
        paged: bool,
        reads_flags: bool,
    ) -> None:
        self.account, self.params, self.url = account, params, url
        self.paged, self.reads_flags = paged, reads_flags

    def recall(
        self, folder_name: str, state: FolderState, start: int, stop: int
    ) -> tuple[int, list[int]] | None:
        token = results_token(folder_name, self.params)
        found_in = results_state(state, self.reads_flags)
        return remembered_window(self.account, folder_name, token, found_in, start, stop)

    def remember(self, folder_name: str, state: FolderState, uids: list[int]) -> None:
        token = results_token(folder_name, self.params)
        found_in = results_state(state, self.reads_flags)
        remember_results(self.account, folder_name, token, uids, self.url, self.paged, found_in)


def results_neighbours(
    session: ImapSession,
    account: MailAccount,
    folder_name: str,
    uid: int,
    token: str,
    page_size: int,
) -> tuple[Neighbours | None, str | None]:
    """(where uid stands in the remembered results, the URL of the results page holding
    it, in pages of page_size); (None, None) when the results are not remembered
    (expired, or another folder's).
    Results that went since are dropped from the list. Raises FolderNotFound."""
    key = _results_key(account, token)
    try:
        meta = sort_cache.redis_client().get(f"{key}:meta")
        data = sort_cache.redis_client().get(f"{key}:uids") if meta else None
    except redis.RedisError as exc:
        logger.warning("search results unreadable for %s: %s", account.username, exc)
        return None, None
    if meta is None or data is None or json.loads(meta)["folder"] != folder_name:
        return None, None
    uids = sort_cache.unpack(data)
    found = locate([(u,) for u in uids], uid)
    if found is not None and not _still_there(session, folder_name, found):
        around = [u for u in (found.previous, found.next) if u is not None]
        gone = set(around) - session.existing_uids(folder_name, around)
        forget_results(account, token, gone)
        found = locate([(u,) for u in uids if u not in gone], uid)
    return found, _results_url(json.loads(meta), found, page_size)


def forget_results(account: MailAccount, token: str, uids: set[int]) -> None:
    """Drop these UIDs (moved or deleted) from the remembered results."""
    key = f"{_results_key(account, token)}:uids"
    try:
        client = sort_cache.redis_client()
        data = client.get(key)
        if data is not None and uids:
            kept = [uid for uid in sort_cache.unpack(data) if uid not in uids]
            client.set(key, sort_cache.pack(kept), ex=RESULTS_TTL_SECONDS)
    except redis.RedisError as exc:
        logger.warning("search results not updated for %s: %s", account.username, exc)


def results_page_url(
    account: MailAccount, folder_name: str, token: str, position: int, page_size: int
) -> str | None:
    """The URL of the remembered results' page showing position, or None."""
    try:
        meta = sort_cache.redis_client().get(f"{_results_key(account, token)}:meta")
    except redis.RedisError as exc:
        logger.warning("search results unreadable for %s: %s", account.username, exc)
        return None
    if meta is None or json.loads(meta)["folder"] != folder_name:
        return None
    return _results_url(json.loads(meta), Neighbours(position, None, None), page_size)


def _results_url(meta: dict, found: Neighbours | None, page_size: int) -> str:
    page = page_of(found.position, page_size) if found and meta["paged"] else 1
    return f"{meta['url']}&page={page}" if page > 1 else meta["url"]


def _results_key(account: MailAccount, token: str) -> str:
    return f"webmail:results:v1:{account.username}:{token}"
