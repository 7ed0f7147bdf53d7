"""Sanitised message bodies kept in Redis from the message page for its body frame.

The message page sanitises an HTML body anyway (the phishing check reads its links,
and the page says whether remote images were blocked); the sandboxed frame's own
request, a moment later, would fetch, parse and sanitise the same message again (4 ms
for a newsletter of 400 links, more for a big message). So the page keeps what the frame
shows by default, the HTML with remote images blocked, and the frame takes it from here.
Any other variant (images allowed, the text view) is made afresh by the frame, so the
reader's images decision is never bypassed.

A message never changes under its UID while the folder keeps its UIDVALIDITY, so the
key is the account, the folder, the UIDVALIDITY and the UID: one account can never
read another's. Kept a few minutes only: long enough for the frame and a reload.
Redis being down costs speed only.
"""

from __future__ import annotations

import hashlib
import json
import logging

import redis

from accounts.mail_account import MailAccount
from mailbox.reading import MessageBody
from mailbox.services.sort_cache import delete_matching, redis_client

logger = logging.getLogger(__name__)

TTL_SECONDS = 300


def _key(account: MailAccount, folder_name: str, uidvalidity: int, uid: int) -> str:
    folder = hashlib.sha256(folder_name.encode()).hexdigest()[:24]
    return f"webmail:body:v1:{account.username}:{folder}:{uidvalidity}:{uid}"


def read(
    account: MailAccount, folder_name: str, uidvalidity: int | None, uid: int
) -> MessageBody | None:
    """The body the page kept for the frame (remote images blocked), or None."""
    if not uidvalidity:
        return None
    try:
        value = redis_client().get(_key(account, folder_name, uidvalidity, uid))
    except redis.RedisError as exc:
        logger.warning("body cache unreadable for %s: %s", account.username, exc)
        return None
    if value is None:
        return None
    kept = json.loads(value)
    return MessageBody(html=kept["html"], remote_content_blocked=kept["blocked"])


def store(
    account: MailAccount, folder_name: str, uidvalidity: int | None, uid: int, body: MessageBody
) -> None:
    """Keep the body the frame shows by default: the HTML with remote images blocked
    (reading.render_body with allow_remote_images=False, prefer_text=False)."""
    if not uidvalidity:
        return
    value = json.dumps({"html": body.html, "blocked": body.remote_content_blocked})
    try:
        redis_client().set(_key(account, folder_name, uidvalidity, uid), value, ex=TTL_SECONDS)
    except redis.RedisError as exc:
        logger.warning("body cache not written for %s: %s", account.username, exc)


def forget_account(username: str) -> None:
    """Drop every body kept for this account (its mailbox was removed: a new one may
    reuse its folders' names and, created within the same second, their UIDVALIDITY)."""
    delete_matching(f"webmail:body:v1:{username}:*")
