"""Tiny helpers that read settings from environment variables.

A malformed value stops start-up with ImproperlyConfigured instead of being guessed at.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE (Docker secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc}") from None
    return os.environ.get(name, default)


def redis_database(url: str) -> int:
    """The database number a redis:// (path /N or ?db=N) or unix:// (?db=N) URL names."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if "db" in query:
        raw = query["db"][0]
    elif parts.scheme != "unix" and parts.path.strip("/"):
        raw = parts.path.strip("/")
    else:
        return 0
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{url!r} names no Redis database number") from None


def redis_url_with_database(url: str, database: int) -> str:
    """The same Redis server as url, database `database` (written as redis-py reads it)."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != "db"]
    if parts.scheme == "unix":
        query.append(("db", str(database)))
        # Written out by hand: urlunsplit drops the "//" of an empty host.
        return f"unix://{parts.netloc}{parts.path}?{urlencode(query)}"
    return urlunsplit(parts._replace(path=f"/{database}", query=urlencode(query)))


def next_redis_database(url: str) -> str:
    """The database after url's, on the same server: where the cache goes by default."""
    return redis_url_with_database(url, redis_database(url) + 1)


def same_redis_database(url: str, other: str) -> bool:
    """Whether two Redis URLs name the same database of the same server."""
    return redis_url_with_database(url, redis_database(url)) == redis_url_with_database(
        other, redis_database(other)
    )
