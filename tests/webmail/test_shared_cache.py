"""Django's cache lives in Redis: every process sees the same entries, and Redis being
down makes pages slower, never an error."""

import os
import subprocess
import sys
import uuid

import redis
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from tests.mailbox import crafted_mail
from tests.mailbox.crafted_mail import deliver
from tests.servers import stopped

# The fixtures of crafted_mail, used by name in the tests below.
ours = crafted_mail.ours
reader = crafted_mail.reader

READ_OR_WRITE = """
import sys
import django
django.setup()
from django.core.cache import cache
if sys.argv[1] == "set":
    cache.set(sys.argv[2], {"names": ["Hélène N'Diaye"]}, 60)
else:
    print(cache.get(sys.argv[2]))
"""


def other_process(stack, *args: str) -> str:
    """Run READ_OR_WRITE in a new Python process configured like a Celery worker of the
    stack (only REDIS_URL given, as the stack gives its workers); its output."""
    env = {**os.environ, **stack.env(), "DJANGO_SETTINGS_MODULE": "webmail.settings"}
    env.pop("CACHE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", READ_OR_WRITE, *args],
        cwd=settings.BASE_DIR,
        env={**env, "PYTHONPATH": str(settings.BASE_DIR)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_what_one_process_caches_another_reads(stack):
    written_here, written_there = f"here-{uuid.uuid4()}", f"there-{uuid.uuid4()}"
    cache.set(written_here, {"names": ["Marie Martin"]}, 60)

    other_process(stack, "set", written_there)

    assert other_process(stack, "get", written_here) == "{'names': ['Marie Martin']}"
    assert cache.get(written_there) == {"names": ["Hélène N'Diaye"]}
    assert other_process(stack, "get", f"never-{uuid.uuid4()}") == "None"


def test_clearing_the_cache_leaves_celerys_database_alone(stack):
    broker = redis.Redis.from_url(stack.env()["REDIS_URL"])
    broker.set("test:not-the-cache", b"kept", ex=60)
    cache.set("test:cached", 1, 60)

    cache.clear()

    assert cache.get("test:cached") is None
    assert broker.get("test:not-the-cache") == b"kept"


def test_a_message_page_with_redis_down_still_warns(
    stack, client, reader, make_account, ours, caplog, settings
):
    settings.LANGUAGE_CODE = "en"  # the warning's wording is checked in the source language
    make_account(first_name="Hélène", last_name="N'Diaye")
    uid = deliver(reader, {"From": "HELENE N'DIAYE <helene.ndiaye.perso@gmail.example>"})

    with stopped(stack, "redis"):
        response = client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"]))

    assert response.status_code == 200
    assert "cache read skipped, Redis unavailable" in caplog.text
    # The names were looked up in the directory instead of the cache.
    assert "A colleague’s name on an outside address" in response.content.decode()
