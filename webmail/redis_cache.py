"""Django's cache on Redis, shared by every web and worker process, that a Redis outage
turns into "nothing cached" instead of an error page.

What we cache (colleague names for phishing warnings, settled invitation replies) can
always be worked out again: without Redis a page is slower, never a 500. Only `incr` and
`clear` still raise, since their callers must know the outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


def _unless_redis_is_down(action: str, fallback: Any, call: Callable[..., Any], *args: Any) -> Any:
    """call(*args), or `fallback` (with a warning) when Redis cannot be reached."""
    try:
        return call(*args)
    except redis.RedisError as exc:
        logger.warning("cache %s skipped, Redis unavailable: %s", action, exc)
        return fallback


class ForgivingRedisCache(RedisCache):
    """Django's RedisCache, where an unreachable Redis reads as a miss and drops writes."""

    def get(self, key, default=None, version=None):
        return _unless_redis_is_down("read", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return _unless_redis_is_down("read", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return _unless_redis_is_down("read", False, super().has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        _unless_redis_is_down("write", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # On failure, every key counts as not stored.
        return _unless_redis_is_down("write", list(data), super().set_many, data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return _unless_redis_is_down("write", False, super().add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return _unless_redis_is_down("write", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return _unless_redis_is_down("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        _unless_redis_is_down("delete", None, super().delete_many, keys, version)
