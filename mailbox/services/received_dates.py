"""A folder's received dates summarised in Redis, so that a search by dates asks Dovecot
to test only the messages that can match.

Dovecot keeps no index of dates: SINCE and BEFORE test the received date of every
message in the folder (about 30 ms for 100,000 messages on an idle machine), while the
same search limited to a range of UIDs tests only those (1.4 ms for one week of 2,000
messages; docs/benchmarks.md). A message's received date (INTERNALDATE) never changes
under its UID while the folder keeps its UIDVALIDITY, so the folder is read once, in
UID order, and kept as blocks of BLOCK_SIZE consecutive messages, each with its first
and last UID and its earliest and latest day; new mail only extends the summary.

A search then adds to its criteria the UIDs of the blocks whose days meet the range,
with a margin for time zones, and every UID after the summary. Dovecot still tests each
of those messages' date, so the answer is exactly that of the search without the
summary, only sooner: mail delivered as it arrives meets few blocks; a folder of mail
imported out of order meets more of them, at worst all (the former cost, never a wrong
answer). Expunged messages leave their block's bounds wider than needed, never narrower.

Reading a big folder's dates takes a second at 100,000 messages, so a folder with more
than INLINE_MESSAGES unread dates is summarised by a Celery task while its searches go
unnarrowed; the few messages that arrive between two searches are read inline. Redis
being down costs speed only.
"""

from __future__ import annotations

import hashlib
import logging
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import redis
from imapclient.exceptions import IMAPClientError
from kombu.exceptions import OperationalError

from accounts.mail_account import MailAccount
from mailbox.services import sort_cache
from mailbox.services.sort_cache import redis_client

logger = logging.getLogger(__name__)

BLOCK_SIZE = 500
# Read inline, within a search, at most this many UIDs' dates; more goes to the task.
INLINE_MESSAGES = 5000
# The task reads the dates this many UIDs at a time.
TASK_CHUNK = 20000
# A day either side: an IMAP date is a day without a time zone, an INTERNALDATE a moment
# in its own zone, and the server compares them in its own.
MARGIN_DAYS = 2
# A summary nobody searched with for a month goes; the next search starts it again.
TTL_SECONDS = 30 * 24 * 3600
CLAIM = "received-dates"  # the task queued for a folder (sort_cache.claim)
CLAIM_SECONDS = 600

_HEADER = struct.Struct("<I")  # the highest UID the summary has read
_BLOCK = struct.Struct("<IIIII")  # first UID, last UID, earliest day, latest day, count
_MONTHS = {
    name: number
    for number, name in enumerate(
        (b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun")
        + (b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"),
        start=1,
    )
}
_UID_ITEM = re.compile(rb"UID (\d+)")
_DATE_ITEM = re.compile(rb'INTERNALDATE "\s?(\d{1,2})-([A-Za-z]{3})-(\d{4}) ')


@dataclass
class Block:
    first_uid: int
    last_uid: int
    earliest: int  # date.toordinal() of the received day, in its own time zone
    latest: int
    count: int

    def meets(self, first_day: int, last_day: int) -> bool:
        return self.latest >= first_day and self.earliest <= last_day


@dataclass
class Summary:
    read_up_to: int  # every UID up to this one has been read (or never existed)
    blocks: list[Block]

    def extended(self, dated: Iterable[tuple[int, int]], read_up_to: int) -> Summary:
        """With these (UID, day) pairs, ascending UIDs above read_up_to, added."""
        blocks = [Block(**vars(block)) for block in self.blocks]
        for uid, day in dated:
            if uid <= self.read_up_to:
                continue
            last = blocks[-1] if blocks else None
            if last is None or last.count >= BLOCK_SIZE:
                blocks.append(Block(uid, uid, day, day, 1))
                continue
            last.last_uid = uid
            last.earliest, last.latest = min(last.earliest, day), max(last.latest, day)
            last.count += 1
        return Summary(max(self.read_up_to, read_up_to), blocks)

    def candidates(self, since: date | None, before: date | None) -> str:
        """The UID set a search received from since to before (exclusive) can match in:
        the blocks that meet those days and everything the summary has not read."""
        first_day = (since - timedelta(days=MARGIN_DAYS)).toordinal() if since else 0
        last_day = (before + timedelta(days=MARGIN_DAYS)).toordinal() if before else 2**32
        ranges: list[list[int]] = []
        previous_met = False
        for block in self.blocks:
            met = block.meets(first_day, last_day)
            if met and previous_met:
                # No message lies between two blocks: the range may span them.
                ranges[-1][1] = block.last_uid
            elif met:
                ranges.append([block.first_uid, block.last_uid])
            previous_met = met
        parts = [f"{low}:{high}" if low != high else str(low) for low, high in ranges]
        # "n:*" is also the last message when nothing is above n: tested like the rest.
        return ",".join([*parts, f"{self.read_up_to + 1}:*"])


def parse_fetch_lines(lines: Iterable[object]) -> list[tuple[int, int]]:
    """(UID, received day as an ordinal) of each untagged FETCH line of a UID FETCH
    (INTERNALDATE), ascending; lines without both (unsolicited flag news) are left out."""
    dated = []
    days: dict[bytes, int] = {}
    for line in lines:
        if not isinstance(line, bytes):
            continue
        uid, when = _UID_ITEM.search(line), _DATE_ITEM.search(line)
        if uid is None or when is None:
            continue
        text = when.group(0)
        if text not in days:
            day, month, year = when.groups()
            days[text] = date(int(year), _MONTHS[month.capitalize()], int(day)).toordinal()
        dated.append((int(uid.group(1)), days[text]))
    dated.sort()
    return dated


def pack(summary: Summary) -> bytes:
    return _HEADER.pack(summary.read_up_to) + b"".join(
        _BLOCK.pack(b.first_uid, b.last_uid, b.earliest, b.latest, b.count) for b in summary.blocks
    )


def unpack(data: bytes) -> Summary:
    (read_up_to,) = _HEADER.unpack_from(data)
    body = data[_HEADER.size :]
    body = body[: len(body) - len(body) % _BLOCK.size]
    return Summary(read_up_to, [Block(*fields) for fields in _BLOCK.iter_unpack(body)])


def _key(account: MailAccount, folder_name: str, uidvalidity: int) -> str:
    folder = hashlib.sha256(folder_name.encode()).hexdigest()[:24]
    return f"webmail:dates:v1:{account.username}:{folder}:{uidvalidity}"


def read(account: MailAccount, folder_name: str, uidvalidity: int) -> Summary | None:
    try:
        data = redis_client().getex(_key(account, folder_name, uidvalidity), ex=TTL_SECONDS)
    except redis.RedisError as exc:
        logger.warning("received dates unreadable for %s: %s", account.username, exc)
        return None
    return unpack(data) if data and len(data) >= _HEADER.size else None


def write(account: MailAccount, folder_name: str, uidvalidity: int, summary: Summary) -> None:
    try:
        redis_client().set(_key(account, folder_name, uidvalidity), pack(summary), ex=TTL_SECONDS)
    except redis.RedisError as exc:
        logger.warning("received dates not kept for %s: %s", account.username, exc)


def forget_account(username: str) -> None:
    """Drop every summary of this account, and its claims of the task (its mailbox was
    removed: a new one may reuse its folders' names and UIDVALIDITY)."""
    sort_cache.delete_matching(f"webmail:dates:v1:{username}:*")
    sort_cache.delete_matching(f"webmail:sort:v1:{username}:*:{CLAIM}")


def narrowing(folder, since: date | None, before: date | None) -> list:
    """Criteria to put before a search received from since to before (exclusive) in the
    open folder (OpenFolder): ["UID", the set it can match in], or [] when the folder has
    no summary yet (one is then started, inline for a small folder, else by the task)."""
    account, state = folder.account, folder.state
    if account is None or not state.uidvalidity or not state.uidnext:
        return []
    summary = read(account, folder.name, state.uidvalidity)
    unread = min(state.uidnext - 1 - (summary.read_up_to if summary else 0), state.messages)
    if unread > INLINE_MESSAGES:
        _summarise_later(account, folder.name)
    elif unread > 0 or summary is None:
        try:
            summary = _read_dates(folder, summary or Summary(0, []), state.uidnext - 1)
        except IMAPClientError as exc:  # a NO: the search goes on, unnarrowed
            logger.warning("received dates of %s not read: %s", account.username, exc)
            return []
        write(account, folder.name, state.uidvalidity, summary)
    return ["UID", summary.candidates(since, before)] if summary else []


def _read_dates(folder, summary: Summary, up_to: int) -> Summary:
    """summary extended with the received dates of UIDs above it up to up_to."""
    first = summary.read_up_to + 1
    if first > up_to:
        return summary
    return summary.extended(folder.received_days(first, up_to), up_to)


def summarise(folder) -> None:
    """Read every date the folder's summary lacks, TASK_CHUNK UIDs at a time (the task's
    work); kept after each chunk, so that an interrupted task leaves what it read."""
    account, state = folder.account, folder.state
    try:
        summary = read(account, folder.name, state.uidvalidity) or Summary(0, [])
        last = state.uidnext - 1
        while summary.read_up_to < last:
            up_to = min(summary.read_up_to + TASK_CHUNK, last)
            summary = _read_dates(folder, summary, up_to)
            write(account, folder.name, state.uidvalidity, summary)
    finally:
        sort_cache.release(account, folder.name, CLAIM)


def _summarise_later(account: MailAccount, folder_name: str) -> None:
    """Queue the task once, however many searches ask meanwhile. With the broker down
    the claim is kept: Celery tries for most of a second before it gives up, which only
    the first search pays; one after CLAIM_SECONDS asks again."""
    from mailbox.tasks import summarise_received_dates as task

    if not sort_cache.claim(account, folder_name, CLAIM, CLAIM_SECONDS):
        return
    try:
        task.delay(account.username, account.address, folder_name)
    except OperationalError as exc:
        logger.warning("received dates of %s not queued: %s", account.username, exc)
