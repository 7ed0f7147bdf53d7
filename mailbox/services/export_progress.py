"""How far a streamed export has got, kept in Redis so that whichever web process answers
the progress bar's polling sees what the exporting process wrote.

A streamed download has no known length, so the browser cannot show progress by itself:
the export generator records "done of total" under a token that the page chose, and the
page asks for it (mailbox/views/export.py: export_progress).
"""

from __future__ import annotations

import json
import logging
import re
import time

import redis
from django.conf import settings

from webmail.errors import TaskQueueUnavailable

logger = logging.getLogger(__name__)

# The page makes up the token (crypto.randomUUID()); anything else is ignored.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9-]{16,64}$")
EXPIRY_SECONDS = 3600
UPDATE_INTERVAL_SECONDS = 0.25


def _client() -> redis.Redis:
    return redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=settings.SERVICE_TIMEOUT_SECONDS,
        socket_connect_timeout=settings.SERVICE_TIMEOUT_SECONDS,
    )


def _key(user_id: int, token: str) -> str:
    # The user's id is part of the key: a token alone never shows someone else's export.
    return f"webmail:export-progress:{user_id}:{token}"


class ExportProgress:
    """The progress of one export, written at most every UPDATE_INTERVAL_SECONDS.

    A Redis failure stops the reporting (logged once) but never the download itself.
    """

    def __init__(self, user_id: int, token: str, total: int) -> None:
        self._key = _key(user_id, token)
        self._total = total
        self._client: redis.Redis | None = _client()
        self._last_write = 0.0
        self.update(0)

    def update(self, done: int, *, finished: bool = False, failed: bool = False) -> None:
        now = time.monotonic()
        if self._client is None or (
            not finished and now - self._last_write < UPDATE_INTERVAL_SECONDS
        ):
            return
        self._last_write = now
        state = {"done": done, "total": self._total, "finished": finished, "failed": failed}
        try:
            self._client.set(self._key, json.dumps(state), ex=EXPIRY_SECONDS)
        except redis.RedisError as exc:
            logger.warning("export progress not recorded: key=%s error=%s", self._key, exc)
            self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def read_progress(user_id: int, token: str) -> dict | None:
    """{'done': n, 'total': t, 'finished': bool} of the user's export, or None if there is
    none under this token (yet). Raises TaskQueueUnavailable.
    """
    client = _client()
    try:
        value = client.get(_key(user_id, token))
    except redis.RedisError as exc:
        raise TaskQueueUnavailable(str(exc)) from exc
    finally:
        client.close()
    return json.loads(value) if value else None
