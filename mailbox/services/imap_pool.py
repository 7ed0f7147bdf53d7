"""Logged-in IMAP connections kept between requests of the same web process, so that a
page does not pay a new connection and the master-user login (imported by imap.py only).

A connection is lent to one request at a time: taking it removes it from the pool, and
a second request of the same user meanwhile opens its own. At most one idle connection
per user is kept, at most IMAP_POOL_SIZE in all (the least recently used goes first),
none idle for longer than IMAP_POOL_IDLE_SECONDS. imap.session_for checks a connection
with NOOP before lending it again. After a fork (a worker process started from a parent
that had connections) the inherited ones are dropped, never shared.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings


class ConnectionPool:
    def __init__(self, close: Callable[[object], None]) -> None:
        self._close = close
        self._lock = threading.Lock()
        self._idle: OrderedDict[str, tuple[object, float]] = OrderedDict()
        self._pid = os.getpid()
        self.enabled = True
        self.opened = 0  # connections opened and logged in by this process
        self.reused = 0

    def take(self, key: str) -> object | None:
        """The idle connection kept for key (no longer in the pool), or None."""
        with self._lock:
            self._after_fork()
            entry = self._idle.pop(key, None)
        if entry is None:
            return None
        client, since = entry
        if time.monotonic() - since > settings.IMAP_POOL_IDLE_SECONDS:
            self._close(client)
            return None
        return client

    def give_back(self, key: str, client: object) -> None:
        """Keep client as key's idle connection, closing what no longer fits."""
        now = time.monotonic()
        doomed = []
        with self._lock:
            self._after_fork()
            if settings.IMAP_POOL_SIZE <= 0 or not self.enabled:
                doomed.append(client)
            else:
                previous = self._idle.pop(key, None)
                if previous is not None:
                    doomed.append(previous[0])
                self._idle[key] = (client, now)
                while len(self._idle) > settings.IMAP_POOL_SIZE:
                    doomed.append(self._idle.popitem(last=False)[1][0])
                oldest = next(iter(self._idle))
                while now - self._idle[oldest][1] > settings.IMAP_POOL_IDLE_SECONDS:
                    doomed.append(self._idle.pop(oldest)[0])
                    oldest = next(iter(self._idle))
        for old in doomed:
            self._close(old)

    def forget(self, key: str) -> None:
        """Close key's idle connection, if any (sign-out, deactivated account)."""
        with self._lock:
            entry = self._idle.pop(key, None)
        if entry is not None:
            self._close(entry[0])

    def holds(self, key: str) -> bool:
        with self._lock:
            return key in self._idle

    def clear(self) -> None:
        with self._lock:
            entries = list(self._idle.values())
            self._idle.clear()
        for client, _since in entries:
            self._close(client)

    def _after_fork(self) -> None:
        if self._pid != os.getpid():
            self._idle.clear()  # the parent's sockets: leave them to the parent
            self._pid = os.getpid()
