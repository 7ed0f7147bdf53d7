"""Redis and the Celery workers, as seen from the web process."""

import redis
from django.conf import settings
from kombu.exceptions import OperationalError

from webmail.celery import app
from webmail.errors import TaskQueueUnavailable


def check_redis() -> None:
    """PING Redis. Raises TaskQueueUnavailable."""
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=settings.SERVICE_TIMEOUT_SECONDS,
        socket_connect_timeout=settings.SERVICE_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        raise TaskQueueUnavailable(str(exc)) from exc
    finally:
        client.close()


def check_workers(timeout: float = 2.0) -> int:
    """How many Celery workers answer a ping. Raises TaskQueueUnavailable if none does."""
    try:
        replies = app.control.ping(timeout=timeout)
    except (OperationalError, redis.RedisError, OSError) as exc:
        raise TaskQueueUnavailable(str(exc)) from exc
    if not replies:
        raise TaskQueueUnavailable("no Celery worker answered")
    return len(replies)
