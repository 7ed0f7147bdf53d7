"""Redis and the Celery workers, as seen from the web process."""

import redis
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings
from kombu.exceptions import OperationalError

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


def check_workers(timeout: float | None = None) -> None:
    """Run a task through Redis and a worker. Raises TaskQueueUnavailable if none answers
    within timeout (SERVICE_TIMEOUT_SECONDS by default: a busy worker on a loaded machine
    may need a few seconds to take the task, and is not down)."""
    from webmail.tasks import ping

    timeout = settings.SERVICE_TIMEOUT_SECONDS if timeout is None else timeout
    try:
        result = ping.apply_async(expires=timeout)
        answer = result.get(timeout=timeout)
    # Celery's Redis result backend gives up reconnecting with a bare RuntimeError.
    except (OperationalError, redis.RedisError, OSError, CeleryTimeoutError, RuntimeError) as exc:
        raise TaskQueueUnavailable(f"{type(exc).__name__}: {exc}") from exc
    if answer != "pong":
        raise TaskQueueUnavailable(f"unexpected answer {answer!r}")


def enqueue(task, *args, **kwargs) -> None:
    """Queue a Celery task. Raises TaskQueueUnavailable when Redis does not answer."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    # As in check_workers: the Redis result backend gives up with a bare RuntimeError.
    except (OperationalError, redis.RedisError, OSError, RuntimeError) as exc:
        raise TaskQueueUnavailable(f"{type(exc).__name__}: {exc}") from exc
