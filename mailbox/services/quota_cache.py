"""The quota bar's numbers kept in Redis for a minute per user, so that a page of the
mailbox does not pay GETQUOTAROOT (several hundred ms on a big mailbox) every time.

Each entry carries the INBOX's state (STATUS UIDVALIDITY, MESSAGES, UIDNEXT: about 1 ms)
it was read at, so mail delivered to the INBOX shows at once; actions of this app that
change the storage used (delete for good, empty the trash, append to Sent or Drafts,
delete a folder) forget the entry; anything else (another client, a filter filing into
another folder) shows within TTL_SECONDS. Redis being down only costs speed.
"""

from __future__ import annotations

import logging

import redis

from accounts.mail_account import MailAccount
from mailbox.services.sort_cache import redis_client

logger = logging.getLogger(__name__)

TTL_SECONDS = 60
NO_LIMIT = b"-"


def _key(account: MailAccount) -> str:
    return f"webmail:quota:v1:{account.username}"


def read(account: MailAccount, inbox_state: str) -> tuple[int, int] | bytes | None:
    """(used, limit) in bytes, NO_LIMIT if the mailbox has none, or None if not cached
    for this INBOX state."""
    try:
        value = redis_client().get(_key(account))
    except redis.RedisError as exc:
        logger.warning("quota cache unreadable for %s: %s", account.username, exc)
        return None
    if value is None:
        return None
    state, _sep, value = value.partition(b"|")
    if state.decode() != inbox_state:
        return None
    if value == NO_LIMIT:
        return NO_LIMIT
    used, _sep, limit = value.partition(b":")
    return int(used), int(limit)


def store(account: MailAccount, inbox_state: str, usage: tuple[int, int] | None) -> None:
    value = f"{inbox_state}|" + ("-" if usage is None else f"{usage[0]}:{usage[1]}")
    try:
        redis_client().set(_key(account), value, ex=TTL_SECONDS)
    except redis.RedisError as exc:
        logger.warning("quota cache not written for %s: %s", account.username, exc)


def forget(account: MailAccount) -> None:
    try:
        redis_client().delete(_key(account))
    except redis.RedisError as exc:
        logger.warning("quota cache not cleared for %s: %s", account.username, exc)
