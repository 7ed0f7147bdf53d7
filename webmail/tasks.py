from celery import shared_task


@shared_task
def ping() -> str:
    """A round trip through Redis and a worker: proves tasks really run."""
    return "pong"
