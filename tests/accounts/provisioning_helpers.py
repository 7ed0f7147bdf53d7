"""Helpers shared by the provisioning tests: an admin's browser and IMAP logins."""

from __future__ import annotations

import time

from django.conf import settings
from django.test import Client
from django.urls import reverse
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

ADMIN_PASSWORD = "Admin-Password-2026!"  # noqa: S105 - test data


def admin_client(make_account, username: str = "root.admin") -> Client:
    """A browser signed in as a superuser, with the English interface."""
    admin_user = make_account(username, password=ADMIN_PASSWORD, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    client.admin_user = admin_user
    return client


def admin_change_data(browser: Client, user) -> dict:
    """The admin's change form as it shows `user`, ready to post back with changes."""
    page = browser.get(reverse("admin:accounts_user_change", args=[user.pk]))
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "groups", "user_permissions")
    }
    data.update({"date_joined_0": "2026-01-01", "date_joined_1": "08:00:00", "establishment": ""})
    data.pop("date_joined", None)
    data.pop("last_login", None)
    return data


def imap_accepts(username: str, password: str) -> bool:
    with IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False, timeout=30) as imap:
        try:
            imap.login(username, password)
        except LoginError:
            return False
    return True


def wait_for(condition, timeout: float = 60.0) -> bool:
    """Poll `condition` (the Celery worker works in its own process) until true or timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return condition()


def worker_log(stack, needle: str, lines: int = 40) -> str:
    """The Celery worker's last log lines mentioning needle (a task's name) and what
    follows each (its traceback): the message of an assertion that waited for a task."""
    log = stack.log_dir / "celery-worker.out"
    text = log.read_text(errors="replace").splitlines() if log.exists() else []
    kept, follow = [], 0
    for line in text:
        if needle in line:
            kept.append(line)
            follow = 15
        elif follow:
            kept.append(line)
            follow -= 1
    return "\n".join(kept[-lines:]) or f"nothing about {needle} in {log}"
