"""A private stack for a benchmark: a temporary SQLite database and the servers it needs,
on free ports in a temporary directory, from scripts/localstack.py as the tests use it.

    with private_stack("webmail-bench-", services=("dovecot", "redis")) as stack:
        ...  # Django is set up and its settings point at the stack

Everything is stopped, and the directory deleted unless keep, when the block ends.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def private_stack(
    prefix: str,
    services: tuple[str, ...] | None = ("dovecot", "redis"),
    env: dict[str, str] | None = None,
    keep: bool = False,
    **stack_options,
) -> Iterator:
    """Set up Django on a new database, start services (None: all of them, Celery
    included if with_celery=True), yield the LocalStack.

    env: extra environment variables, set before Django reads its settings (with a
    "{root}" placeholder for the temporary directory), and given to the Celery processes
    with the database; stack_options go to LocalStack.
    """
    root = Path(tempfile.mkdtemp(prefix=prefix))
    root.chmod(0o755)  # Dovecot's unprivileged mail processes traverse it
    extra = {name: value.format(root=root) for name, value in (env or {}).items()}
    extra["DATABASE_URL"] = f"sqlite:///{root / 'bench.sqlite3'}"
    os.environ.update(extra)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webmail.settings")
    import django

    # No collected static files are needed to time the server side.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.signals import setting_changed
    from django.db import connection

    from scripts.localstack import DEFAULT_PORTS, Database, LocalStack, free_port
    from webmail.env import next_redis_database

    call_command("migrate", verbosity=0)
    stack = LocalStack(
        root=root / "stack",
        database=Database.from_django(connection.settings_dict),
        ports={name: free_port() for name in DEFAULT_PORTS},
        app_env=extra,  # a Celery worker sees the same database and settings
        **{"with_celery": False, **stack_options},
    )
    try:
        stack.configure()
        for name in list(stack.services) if services is None else services:
            stack.start_service(name)
        for key, value in stack.env().items():
            setattr(settings, key, int(value) if key.endswith("_PORT") else value)
        # Django's cache, which the settings put after REDIS_URL's database when they loaded.
        settings.CACHE_URL = next_redis_database(settings.REDIS_URL)
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "LOCATION": settings.CACHE_URL}
        }
        setting_changed.send(sender=None, setting="CACHES", value=settings.CACHES, enter=True)
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        settings.DEBUG = False
        yield stack
    finally:
        stack.stop(None if services is None else list(reversed(services)))
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


# The backend a real sign-in records in the session (the login form's): it loads each
# request's user, and Django's test client would otherwise record the first one listed.
SIGN_IN_BACKEND = "accounts.backends.UsernameOrAddressBackend"
