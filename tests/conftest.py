"""Shared fixtures: the real service stack, accounts, and a browser."""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.signals import setting_changed
from django.db import connection

from tests.servers import start_test_stack, stop_test_stack
from webmail.env import next_redis_database

DEFAULT_TEST_PASSWORD = "Correct-horse-42!"  # noqa: S105 - test data
CORPUS_DIR = Path(
    os.environ.get("CORPUS_DIR", Path(__file__).resolve().parents[2] / "shared" / "corpus")
)

_usernames = itertools.count(1)


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    """One test database per run, so that runs in the same checkout never collide.

    With SQLite it is a file under var/ (Dovecot must read it, so not :memory:).
    """
    database = django_settings.DATABASES["default"]
    test_settings = database.setdefault("TEST", {})
    if "sqlite" in database["ENGINE"]:
        Path(django_settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
        test_settings["NAME"] = str(
            Path(django_settings.VAR_DIR) / f"test-db-{os.getpid()}.sqlite3"
        )
    else:
        test_settings["NAME"] = f"test_{database['NAME']}_{os.getpid()}"


@pytest.fixture(scope="session")
def stack(django_db_setup, django_db_blocker):
    """The local stack (Dovecot, relay, Radicale, Redis, clamd, Celery) for the whole run.

    Django's settings point at it for the session.
    """
    with django_db_blocker.unblock():
        settings_dict = dict(connection.settings_dict)
    running = start_test_stack(settings_dict)
    saved = {}
    for key, value in running.env().items():
        saved[key] = getattr(django_settings, key, None)
        target = int(value) if key.endswith("_PORT") else value
        setattr(django_settings, key, target)
    saved["MEDIA_ROOT"] = django_settings.MEDIA_ROOT
    django_settings.MEDIA_ROOT = running.app_env["MEDIA_ROOT"]
    django_settings.CELERY_BROKER_URL = running.env()["REDIS_URL"]
    from webmail.celery import app

    app.conf.broker_url = running.env()["REDIS_URL"]
    app.conf.result_backend = running.env()["REDIS_URL"]
    # The cache too, where the workers (given only REDIS_URL) find it: the next database.
    saved_caches, saved["CACHE_URL"] = django_settings.CACHES, django_settings.CACHE_URL
    django_settings.CACHE_URL = next_redis_database(running.env()["REDIS_URL"])
    use_caches({"default": {**saved_caches["default"], "LOCATION": django_settings.CACHE_URL}})
    yield running
    use_caches(saved_caches)
    for key, value in saved.items():
        setattr(django_settings, key, value)
    stop_test_stack(running)


def use_caches(caches_setting: dict) -> None:
    """Set CACHES and make django.core.cache open the new caches (as override_settings
    does, through the same signal)."""
    django_settings.CACHES = caches_setting
    setting_changed.send(sender=None, setting="CACHES", value=caches_setting, enter=True)


@pytest.fixture
def make_account(stack, transactional_db, django_user_model):
    """Create committed accounts that Dovecot sees: make_account(first_name=..., ...)."""

    def create(username=None, password=DEFAULT_TEST_PASSWORD, **fields):
        username = username or f"test.user{next(_usernames)}"
        # A new account starts with an empty mailbox, even if an earlier test used the name
        # (and no connection kept from that test sees the removed one).
        from mailbox.services import body_cache, imap, received_dates, row_cache

        imap.close_kept_connections()
        shutil.rmtree(stack.root / "mail" / username, ignore_errors=True)
        row_cache.forget_account(username)  # the new mailbox may get the same UIDVALIDITY
        body_cache.forget_account(username)
        received_dates.forget_account(username)
        user = django_user_model.objects.create_user(username=username, password=password, **fields)
        return user

    return create


@pytest.fixture
def account(make_account):
    return make_account(first_name="Jean", last_name="Dupont")


@pytest.fixture
def logged_in_client(client, account):
    client.force_login(account)
    return client
