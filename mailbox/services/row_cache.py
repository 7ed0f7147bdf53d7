"""List rows kept in Redis, so that a list page asks IMAP only for its rows' flags.

What a row shows of a message (subject, sender, arrival date, size, Message-ID, the
preview of its text) never changes while the folder keeps its UIDVALIDITY: IMAP
messages are immutable, only their flags move. So those parts are kept here, per
account, folder and UIDVALIDITY, one hash field a UID, and a page FETCHes the FLAGS of
its rows (Dovecot answers from its index, a short line a row; imapclient parses it about
eight times faster than the full row). A row not kept yet is fetched whole and kept.

Only rows someone looked at are kept, for an hour after the folder's last page was
shown, so the memory follows the people reading, not the size of their mailboxes.
Redis being down costs speed only: every row is then fetched whole.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from datetime import datetime

import redis

from accounts.mail_account import MailAccount
from mailbox.services.sort_cache import delete_matching, redis_client

logger = logging.getLogger(__name__)

TTL_SECONDS = 3600


def _key(account: MailAccount, folder_name: str, uidvalidity: int) -> str:
    folder = hashlib.sha256(folder_name.encode()).hexdigest()[:24]
    return f"webmail:rows:v1:{account.username}:{folder}:{uidvalidity}"


def read(
    account: MailAccount, folder_name: str, uidvalidity: int, uids: list[int]
) -> dict[int, dict]:
    """{uid: the row's kept fields} of the uids that are kept (see `fields_of`)."""
    if not uids:
        return {}
    key = _key(account, folder_name, uidvalidity)
    try:
        pipe = redis_client().pipeline(transaction=False)
        pipe.hmget(key, uids)
        pipe.expire(key, TTL_SECONDS)
        values, _ = pipe.execute()
    except redis.RedisError as exc:
        logger.warning("row cache unreadable for %s: %s", account.username, exc)
        return {}
    return {uid: _unpacked(value) for uid, value in zip(uids, values, strict=True) if value}


def store(account: MailAccount, folder_name: str, uidvalidity: int, rows: Iterable) -> None:
    """Keep these rows (MessageSummary objects); their flags are not kept."""
    mapping = {row.uid: _packed(row) for row in rows}
    if not mapping:
        return
    key = _key(account, folder_name, uidvalidity)
    try:
        pipe = redis_client().pipeline(transaction=False)
        pipe.hset(key, mapping=mapping)
        pipe.expire(key, TTL_SECONDS)
        pipe.execute()
    except redis.RedisError as exc:
        logger.warning("row cache not written for %s: %s", account.username, exc)


def forget_account(username: str) -> None:
    """Drop every row kept for this account (its mailbox was removed: a new one may
    reuse its folders' names and, created within the same second, their UIDVALIDITY)."""
    delete_matching(f"webmail:rows:v1:{username}:*")


def _packed(row) -> str:
    return json.dumps(
        [
            row.subject,
            row.sender_name,
            row.sender_address,
            row.date.isoformat() if row.date else None,
            row.size,
            row.message_id,
            row.preview,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _unpacked(value: bytes) -> dict:
    subject, name, address, date, size, message_id, preview = json.loads(value)
    return {
        "subject": subject,
        "sender_name": name,
        "sender_address": address,
        "date": datetime.fromisoformat(date) if date else None,
        "size": size,
        "message_id": message_id,
        "preview": preview,
    }
