"""The real servers the tests run against: the local stack on free ports in a temp dir.

Started once per test run from the same code as `make demo` (scripts/localstack.py).
A server that cannot start fails the run with its log, never a silent skip.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from scripts.localstack import DEFAULT_PORTS, Database, LocalStack, StackError, free_port

SETUP_HINT = (
    "The tests need Dovecot, clamd, redis-server and Radicale. On Debian 12 run "
    "`make venv` (as root it installs the missing packages), then `make test`."
)


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the Celery worker processes, pointing at the test database."""
    if "sqlite" in settings_dict["ENGINE"]:
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{settings_dict['NAME']}"


def start_test_stack(settings_dict: dict) -> LocalStack:
    for binary in ("dovecot", "clamd", "redis-server"):
        if shutil.which(binary) is None:
            raise StackError(f"{binary} is not installed. {SETUP_HINT}")
    root = Path(tempfile.mkdtemp(prefix="webmail-test-"))
    stack = LocalStack(
        root=root,
        database=Database.from_django(settings_dict),
        ports={name: free_port() for name in DEFAULT_PORTS},
        # The workers scan the files the test process stores: one MEDIA_ROOT for both.
        # ICS feeds: the workers fetch the tests' own HTTP server on 127.0.0.1.
        app_env={
            "DATABASE_URL": database_url(settings_dict),
            "MEDIA_ROOT": str(root / "media"),
            "ICS_FEED_ALLOW_PRIVATE": "true",
        },
    )
    try:
        stack.start()
    except StackError:
        stack.stop()
        raise
    return stack


def stop_test_stack(stack: LocalStack) -> None:
    stack.stop()
    shutil.rmtree(stack.root, ignore_errors=True)


@contextlib.contextmanager
def stopped(stack: LocalStack, service_name: str) -> Iterator[None]:
    """One server of the stack stopped for the duration of the block, started again after
    (even when the block fails), so that later tests find it running."""
    stack.stop_service(service_name)
    try:
        yield
    finally:
        stack.start_service(service_name)
