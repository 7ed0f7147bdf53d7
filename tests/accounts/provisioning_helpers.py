"""Helpers shared by the provisioning tests: an admin's browser and IMAP logins."""

from __future__ import annotations

import time

from django.conf import settings
from django.test import Client
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
