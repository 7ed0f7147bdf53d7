"""Sorted UID lists and conversations in Redis, so that a page of a big folder in date,
sender, subject or size order costs one FETCH of its rows instead of a SORT.

Each list is stored under the folder's contents key (FolderState.contents_key: the same
key means the same UIDs, hence the same order), as packed 32-bit UIDs so that a page
reads only its own slice (GETRANGE): the web process never loads the whole list to show
50 rows. A pointer per (account, folder, order) names the newest list, so the one it
replaces is deleted and a change can start from it. Redis being down only costs speed:
callers sort again.
"""

from __future__ import annotations

import hashlib
import logging
import struct
from collections.abc import Sequence

import redis
from django.conf import settings

from accounts.mail_account import MailAccount

logger = logging.getLogger(__name__)

# A list not read or rewritten for a day goes; the next page sorts again.
TTL_SECONDS = 24 * 3600
_UID = struct.Struct("<I")
_clients: dict[str, redis.Redis] = {}


def redis_client() -> redis.Redis:
    """The shared Redis client of the mail caches (sort lists, quota)."""
    url = settings.REDIS_URL
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(
            url, socket_timeout=settings.SERVICE_TIMEOUT_SECONDS, socket_connect_timeout=2
        )
    return _clients[url]


def delete_matching(pattern: str) -> None:
    """Delete every key matching pattern (all an account's kept rows, say), found by
    SCAN a thousand at a time. With Redis down nothing is deleted (logged)."""
    try:
        client = redis_client()
        keys = list(client.scan_iter(match=pattern, count=1000))
        if keys:
            client.delete(*keys)
    except redis.RedisError as exc:
        logger.warning("keys %s not deleted: %s", pattern, exc)


def _pointer(account: MailAccount, folder_name: str, order: str) -> str:
    folder = hashlib.sha256(folder_name.encode()).hexdigest()[:24]
    return f"webmail:sort:v1:{account.username}:{folder}:{order}"


def pack(uids: Sequence[int]) -> bytes:
    return struct.pack(f"<{len(uids)}I", *uids)


def unpack(data: bytes) -> list[int]:
    return [uid for (uid,) in _UID.iter_unpack(data[: len(data) - len(data) % 4])]


def read_window(
    account: MailAccount, folder_name: str, order: str, contents_key: str, start: int, stop: int
) -> list[int] | None:
    """UIDs at positions start..stop-1 of the cached list, or None if it is not cached
    for this contents key (or Redis is unreachable)."""
    if stop <= start:
        return []
    key = f"{_pointer(account, folder_name, order)}:{contents_key}"
    try:
        data = redis_client().getrange(key, start * 4, stop * 4 - 1)
    except redis.RedisError as exc:
        logger.warning("sort cache unreadable for %s: %s", account.username, exc)
        return None
    return unpack(data) if len(data) == (stop - start) * 4 else None


def current_key(account: MailAccount, folder_name: str, order: str) -> str | None:
    """The contents key of the newest list cached for this order, or None."""
    try:
        contents_key = redis_client().get(_pointer(account, folder_name, order))
    except redis.RedisError as exc:
        logger.warning("sort cache unreadable for %s: %s", account.username, exc)
        return None
    return contents_key.decode() if contents_key else None


def read_all(account: MailAccount, folder_name: str, order: str) -> tuple[str, list[int]] | None:
    """(contents key, UIDs) of the newest list cached for this order, whatever its key:
    the starting point for an update after messages went. None if there is none."""
    pointer = _pointer(account, folder_name, order)
    try:
        contents_key = redis_client().get(pointer)
        data = redis_client().get(f"{pointer}:{contents_key.decode()}") if contents_key else None
    except redis.RedisError as exc:
        logger.warning("sort cache unreadable for %s: %s", account.username, exc)
        return None
    return (contents_key.decode(), unpack(data)) if data is not None else None


def store(
    account: MailAccount, folder_name: str, order: str, contents_key: str, data: bytes
) -> None:
    """Keep data (packed UIDs) as the list for this contents key, replacing the older one."""
    pointer = _pointer(account, folder_name, order)
    try:
        client = redis_client()
        previous = client.get(pointer)
        with client.pipeline(transaction=True) as pipe:
            pipe.set(f"{pointer}:{contents_key}", data, ex=TTL_SECONDS)
            pipe.set(pointer, contents_key, ex=TTL_SECONDS)
            if previous and previous.decode() != contents_key:
                pipe.delete(f"{pointer}:{previous.decode()}")
            pipe.execute()
    except redis.RedisError as exc:
        logger.warning("sort cache not written for %s: %s", account.username, exc)


def forget(account: MailAccount, folder_name: str, order: str) -> None:
    """Drop the cached list of this order (tests and account deletion)."""
    pointer = _pointer(account, folder_name, order)
    try:
        client = redis_client()
        previous = client.get(pointer)
        keys = [pointer] + ([f"{pointer}:{previous.decode()}"] if previous else [])
        client.delete(*keys)
    except redis.RedisError as exc:
        logger.warning("sort cache not cleared for %s: %s", account.username, exc)


def claim(account: MailAccount, folder_name: str, name: str, seconds: int) -> bool:
    """Whether this caller is the first to claim name for the folder (for so many seconds,
    or until release()): one background job per folder and order. False if Redis is
    unreachable."""
    try:
        return bool(
            redis_client().set(_pointer(account, folder_name, name), b"1", nx=True, ex=seconds)
        )
    except redis.RedisError as exc:
        logger.warning("sort cache unreachable for %s: %s", account.username, exc)
        return False


def release(account: MailAccount, folder_name: str, name: str) -> None:
    """End a claim() early."""
    try:
        redis_client().delete(_pointer(account, folder_name, name))
    except redis.RedisError as exc:
        logger.warning("sort cache unreachable for %s: %s", account.username, exc)


def pack_conversations(conversations: Sequence[Sequence[int]]) -> bytes:
    """Conversations as one blob: count, then count+1 offsets into the UIDs, then UIDs."""
    offsets = [0]
    for uids in conversations:
        offsets.append(offsets[-1] + len(uids))
    flat = [uid for uids in conversations for uid in uids]
    return pack([len(conversations)]) + pack(offsets) + pack(flat)


def unpack_conversations(packed: Sequence[int]) -> list[list[int]]:
    """The conversations of pack_conversations(), from read_all()'s UIDs."""
    if not packed:
        return []
    count = packed[0]
    offsets, uids = packed[1 : count + 2], packed[count + 2 :]
    return [uids[a:b] for a, b in zip(offsets, offsets[1:], strict=False)]


def read_conversations(
    account: MailAccount, folder_name: str, order: str, contents_key: str, start: int, stop: int
) -> tuple[int, list[list[int]]] | None:
    """(how many conversations, the UIDs of conversations start..stop-1), or None if they
    are not cached for this contents key. Two small reads, whatever the folder's size."""
    key = f"{_pointer(account, folder_name, order)}:{contents_key}"
    try:
        client = redis_client()
        with client.pipeline(transaction=False) as pipe:
            pipe.getrange(key, 0, 3)
            pipe.getrange(key, 4 + start * 4, 4 + (stop + 1) * 4 - 1)
            header, offset_data = pipe.execute()
        if len(header) != 4:
            return None
        (total,) = _UID.unpack(header)
        # Past the last conversation the read runs into the UIDs: keep offsets only.
        offsets = unpack(offset_data)[: max(0, total + 1 - start)]
        if len(offsets) < 2:
            return total, []
        base = 4 + (total + 1) * 4
        data = client.getrange(key, base + offsets[0] * 4, base + offsets[-1] * 4 - 1)
    except redis.RedisError as exc:
        logger.warning("sort cache unreadable for %s: %s", account.username, exc)
        return None
    uids = unpack(data)
    if len(uids) != offsets[-1] - offsets[0]:
        return None  # replaced between the two reads
    first = offsets[0]
    return total, [uids[a - first : b - first] for a, b in zip(offsets, offsets[1:], strict=False)]
