"""One page of a folder in the user's order.

Arrival order comes straight from IMAP (a FETCH of a range of sequence numbers). Date,
sender, subject and size orders, and conversations, come from UID SORT and UID THREAD
once per state of the folder, kept in Redis (services/sort_cache.py); a page then FETCHes
only its own rows. When the folder changed, the cached order is updated rather than
sorted again: messages that went are filtered out, and new ones are folded in by two
SORTs of a few hundred messages (mailbox/sort_merge.py). Cached conversations are
updated too: messages that went are taken out (a conversation that only they held
together stays whole until the next THREAD), new ones placed by their Message-ID,
In-Reply-To and References (mailbox/thread_merge.py). When that is unsure, the folder is
threaded again, within a time budget (IMAP_THREAD_BUDGET_MS): a THREAD that takes longer,
as a cold one of a 100,000-message folder does, is left to a Celery task
(prepare_conversations) and the page shows the plain order meanwhile, with a notice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields, replace

from django.conf import settings
from kombu.exceptions import OperationalError

from accounts.mail_account import MailAccount
from mailbox import sort_merge, thread_merge
from mailbox.errors import ThreadingTooSlow
from mailbox.services import imap, sort_cache
from mailbox.services.imap import (
    SORT_CRITERIA,
    ImapSession,
    MessagePage,
    MessageSummary,
    OpenFolder,
)
from mailbox.threads import Conversation, arrival_ranking, group_conversations

logger = logging.getLogger(__name__)

ARRIVAL = "arrival"
# Past so many new messages, or so many old ones sharing their IDs or subjects, one
# THREAD of the folder costs less than placing them one by one.
MAX_PLACED_ARRIVALS = 50
MAX_LINKED_MESSAGES = 200
# A THREAD in a worker may take this long (a cold one of 100,000 messages: tens of s).
BACKGROUND_THREAD_SECONDS = 600
SORT_KEYS = (ARRIVAL, *SORT_CRITERIA)


@dataclass(frozen=True)
class ListOrder:
    key: str = ARRIVAL  # one of SORT_KEYS
    descending: bool = True
    conversations: bool = False
    page_size: int = 50


@dataclass(frozen=True)
class ConversationSummary(MessageSummary):
    """A conversation's row: its latest message, with the whole conversation's UIDs and
    how many of them are unread."""

    conversation_uids: tuple[int, ...] = ()
    unseen_count: int = 0

    @property
    def is_seen(self) -> bool:
        return self.unseen_count == 0

    @property
    def message_count(self) -> int:
        return len(self.conversation_uids)


def list_page(
    session: ImapSession, account: MailAccount, folder_name: str, page: int, order: ListOrder
) -> MessagePage:
    """Page `page` (from 1) of the folder in this order. Raises FolderNotFound."""
    if order.key == ARRIVAL and not order.conversations:
        return session.fetch_page(folder_name, page, order.page_size, not order.descending)
    folder = session.open_folder(folder_name)
    if order.conversations:
        try:
            return _conversation_page(account, folder, page, order)
        except ThreadingTooSlow:
            _prepare_later(account, folder_name, order)
            session.replace_connection()
            plain = list_page(
                session, account, folder_name, page, replace(order, conversations=False)
            )
            return replace(plain, conversations_pending=True)
    total = folder.state.messages
    start, stop = (page - 1) * order.page_size, min(page * order.page_size, total)
    if order.descending:  # the cached list is ascending: read its end, backwards
        start, stop = total - stop, total - start
    uids = _window(account, folder, order.key, start, stop)
    if order.descending:
        uids.reverse()
    return MessagePage(folder_name, total, page, order.page_size, folder.summaries(uids))


def sorted_uids(account: MailAccount, folder: OpenFolder, key: str) -> list[int]:
    """Every UID of the open folder in ascending order of key, cached for its state."""
    state = folder.state
    cached = sort_cache.read_window(
        account, folder.name, key, state.contents_key, 0, state.messages
    )
    if cached is not None:
        return cached
    uids = _updated_after_changes(account, folder, key)
    if uids is None:
        uids = folder.sorted_uids(key)
    # A message that came or went during the SORT would make the list wrong for the
    # state read before it: keep it only when the count still matches.
    if len(uids) == state.messages:
        sort_cache.store(account, folder.name, key, state.contents_key, sort_cache.pack(uids))
    return uids


def _window(account: MailAccount, folder: OpenFolder, key: str, start: int, stop: int) -> list[int]:
    if stop <= start:
        return []
    contents_key = folder.state.contents_key
    cached = sort_cache.read_window(account, folder.name, key, contents_key, start, stop)
    return cached if cached is not None else sorted_uids(account, folder, key)[start:stop]


def _updated_after_changes(account: MailAccount, folder: OpenFolder, key: str) -> list[int] | None:
    """The newest cached order, brought up to date: the messages that went filtered out,
    those that came folded in. None when there is nothing to start from (or UIDVALIDITY
    changed), or when so much came that sorting everything costs less."""
    previous = sort_cache.read_all(account, folder.name, key)
    if previous is None:
        return None
    previous_key, old = previous
    changes = _changes_since(folder, previous_key, len(old))
    if changes is None:
        return None
    if changes.present is not None:  # some went: keep those still there
        old = [uid for uid in old if uid in changes.present]
    if len(old) + len(changes.new) != folder.state.messages:
        return None
    return _folded_in(folder, key, old, changes.new) if changes.new else old


@dataclass(frozen=True)
class _Changes:
    uidnext: int  # of the cached state
    new: list[int]  # the UIDs that came since, still there
    present: set[int] | None  # every UID now in the folder, when some went


def _changes_since(folder: OpenFolder, previous_key: str, old_count: int) -> _Changes | None:
    """What changed since the cached state previous_key, which held old_count messages;
    None if UIDVALIDITY changed (the cache is no starting point)."""
    validity, uidnext, _messages = (int(part) for part in previous_key.split("."))
    state = folder.state
    if validity != state.uidvalidity:
        return None
    # Mail arriving during these commands waits for the next state: not yet counted.
    new = [uid for uid in folder.uids_from(uidnext) if uid < state.uidnext]
    if old_count + len(new) == state.messages:
        return _Changes(uidnext, new, None)
    present = folder.all_uids()
    return _Changes(uidnext, [uid for uid in new if uid in present], present)


def _folded_in(folder: OpenFolder, key: str, old: list[int], new: list[int]) -> list[int] | None:
    step = sort_merge.fence_step(len(old))
    fences = sort_merge.fence_posts(old, step)
    gaps = sort_merge.place_in_gaps(fences, folder.sorted_subset(key, fences + new), set(new))
    covered = sort_merge.second_sort_uids(old, step, gaps)
    if len(fences) + len(covered) > len(old):
        return None  # so much came that one SORT of the whole folder costs less
    return sort_merge.merge(old, step, gaps, folder.sorted_subset(key, covered))


def cache_order(order: ListOrder) -> str:
    """The sort cache's name for the rows of this order: plain lists are cached once per
    key, ascending; conversations once per key and direction."""
    if order.conversations:
        return f"threads:{order.key}:{'desc' if order.descending else 'asc'}"
    return order.key


def all_rows(
    session: ImapSession, account: MailAccount, folder_name: str, order: ListOrder
) -> list[tuple[int, ...]]:
    """Every row of the folder in this order (not arrival without conversations), first
    row first, each the UIDs it stands for: from the sort cache when it is up to date,
    else sorted, and cached, again. Conversations not cached are threaded within the
    list's budget (IMAP_THREAD_BUDGET_MS), as a page is; past it ThreadingTooSlow is
    raised after the threading is queued for a worker and the session given a new
    connection. Raises FolderNotFound, ThreadingTooSlow."""
    folder = session.open_folder(folder_name)
    if order.conversations:
        total = folder.state.messages
        budget = settings.IMAP_THREAD_BUDGET_MS / 1000
        try:
            _count, window = _cached_conversations(account, folder, order, 0, total, budget)
        except ThreadingTooSlow:
            _prepare_later(account, folder_name, order)
            session.replace_connection()
            raise
        return [tuple(uids) for uids in window]
    uids = sorted_uids(account, folder, order.key)
    return [(uid,) for uid in (uids[::-1] if order.descending else uids)]


def _cached_conversations(
    account: MailAccount,
    folder: OpenFolder,
    order: ListOrder,
    start: int,
    stop: int,
    thread_timeout: float | None = None,
) -> tuple[int, list[list[int]]]:
    """(how many conversations, the UIDs of conversations start..stop-1). Raises
    ThreadingTooSlow past thread_timeout seconds (see OpenFolder.thread_uids)."""
    state = folder.state
    order_name = cache_order(order)
    cached = sort_cache.read_conversations(
        account, folder.name, order_name, state.contents_key, start, stop
    )
    if cached is None:
        conversations = _updated_conversations(account, folder, order)
        if conversations is None:
            conversations = _conversations(account, folder, order, thread_timeout)
        if sum(len(c.uids) for c in conversations) == state.messages:
            data = sort_cache.pack_conversations([c.uids for c in conversations])
            sort_cache.store(account, folder.name, order_name, state.contents_key, data)
        cached = len(conversations), [list(c.uids) for c in conversations[start:stop]]
    return cached


def _conversation_page(
    account: MailAccount, folder: OpenFolder, page: int, order: ListOrder
) -> MessagePage:
    state = folder.state
    start, stop = (page - 1) * order.page_size, page * order.page_size
    budget = settings.IMAP_THREAD_BUDGET_MS / 1000
    cached = _cached_conversations(account, folder, order, start, stop, budget)
    total, window = cached
    rows = _conversation_rows(folder, [Conversation(tuple(uids)) for uids in window])
    return MessagePage(folder.name, state.messages, page, order.page_size, rows, total)


def _conversations(
    account: MailAccount, folder: OpenFolder, order: ListOrder, thread_timeout: float | None
) -> list[Conversation]:
    return _ordered(account, folder, order, folder.thread_uids(thread_timeout))


def _updated_conversations(
    account: MailAccount, folder: OpenFolder, order: ListOrder
) -> list[Conversation] | None:
    """The newest cached conversations, brought up to date: the messages that went
    taken out, the few that came placed by their headers (mailbox/thread_merge.py).
    None when there is nothing to start from, or when unsure: then THREAD again."""
    previous = sort_cache.read_all(account, folder.name, cache_order(order))
    if previous is None:
        return None
    previous_key, packed = previous
    threads = sort_cache.unpack_conversations(packed)
    changes = _changes_since(folder, previous_key, sum(map(len, threads)))
    if changes is None:
        return None
    if changes.present is not None:  # some went: keep those still there
        threads = [[uid for uid in uids if uid in changes.present] for uids in threads]
    if sum(map(len, threads)) + len(changes.new) != folder.state.messages:
        return None
    threads = [uids for uids in threads if uids]
    if changes.new:
        placed = _placed(folder, threads, changes.new, changes.uidnext)
        if placed is None:
            return None
        threads = [list(uids) for uids in placed]
    return _ordered(account, folder, order, threads)


def _placed(
    folder: OpenFolder, threads: list[list[int]], new: list[int], uidnext: int
) -> list[tuple[int, ...]] | None:
    if len(new) > MAX_PLACED_ARRIVALS:
        return None
    arrivals = folder.thread_headers(new)
    ids = {message_id for arrival in arrivals for message_id in arrival.ids}
    subjects = {arrival.subject for arrival in arrivals} - {""}
    found = folder.uids_sharing(uidnext, ids, subjects)
    if len(found) > MAX_LINKED_MESSAGES:
        return None
    linked = folder.thread_headers(found)
    return thread_merge.merge_arrivals(
        threads, arrivals, linked, [headers.subject for headers in linked]
    )


def _ordered(
    account: MailAccount, folder: OpenFolder, order: ListOrder, threads: list[list[int]]
) -> list[Conversation]:
    if order.key == ARRIVAL:
        ranking = arrival_ranking((uid for uids in threads for uid in uids), order.descending)
    else:
        ranking = sorted_uids(account, folder, order.key)
        if order.descending:
            ranking = ranking[::-1]
    return group_conversations(threads, ranking)


def _conversation_rows(
    folder: OpenFolder, conversations: list[Conversation]
) -> list[ConversationSummary]:
    unseen = folder.unseen([uid for c in conversations for uid in c.uids])
    latest = {s.uid: s for s in folder.summaries([c.latest_uid for c in conversations])}
    rows = []
    for conversation in conversations:
        summary = latest.get(conversation.latest_uid)
        if summary is None:
            continue  # deleted since the conversations were cached
        values = {f.name: getattr(summary, f.name) for f in fields(summary)}
        rows.append(
            ConversationSummary(
                **values,
                conversation_uids=conversation.uids,
                unseen_count=conversation.unseen_count(unseen),
            )
        )
    return rows


def conversation_of(
    session: ImapSession,
    account: MailAccount,
    folder_name: str,
    uid: int,
    order: ListOrder | None = None,
) -> list[MessageSummary]:
    """The messages of the conversation holding uid, oldest first; [] if uid is not in
    the folder. In conversation view (order), from the cached conversations of the list
    the user came from, brought up to date, rather than a THREAD of the whole folder.
    Raises FolderNotFound."""
    folder = session.open_folder(folder_name)
    if order is not None and order.conversations:
        threads = _cached_conversations(account, folder, order, 0, folder.state.messages)[1]
    else:
        threads = folder.thread_uids()
    for uids in threads:
        if uid in uids:
            return folder.summaries(sorted(uids))
    return []


def prepare_conversations(account: MailAccount, folder_name: str, order: ListOrder) -> None:
    """Thread the folder and cache its conversations in this order, however long the
    THREAD takes (the work of the Celery task that a page past its budget queued).
    Raises MailServerUnavailable, FolderNotFound, ThreadingTooSlow."""
    try:
        with imap.session_for(account) as session:
            folder = session.open_folder(folder_name)
            _cached_conversations(account, folder, order, 0, 0, BACKGROUND_THREAD_SECONDS)
    finally:
        sort_cache.release(account, folder_name, f"preparing:{cache_order(order)}")


def _prepare_later(account: MailAccount, folder_name: str, order: ListOrder) -> None:
    """Queue prepare_conversations once, whatever how many pages ask meanwhile."""
    from mailbox.tasks import prepare_conversations as task

    name = f"preparing:{cache_order(order)}"
    if not sort_cache.claim(account, folder_name, name, BACKGROUND_THREAD_SECONDS):
        return
    try:
        task.delay(account.username, account.address, folder_name, order.key, order.descending)
    except OperationalError as exc:  # the broker is down: a later page asks again
        sort_cache.release(account, folder_name, name)
        logger.warning("conversations of %s not queued: %s", account.username, exc)
