"""Repeated failures lock the web sign-in per account and per address; Dovecot slows
mail clients that guess; both sides are visible to admins."""

import imaplib
import socket
import time

from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import AuditLogEntry
from tests.conftest import DEFAULT_TEST_PASSWORD


def fail_login(client, username, times):
    for _ in range(times):
        client.post(reverse("accounts:login"), {"username": username, "password": "pas-le-bon"})


def test_an_account_is_locked_after_repeated_failures_even_from_new_addresses(
    settings, make_account
):
    settings.AXES_FAILURE_LIMIT = 3
    user = make_account()
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        fail_login(Client(REMOTE_ADDR=address), user.username, 1)

    response = Client(REMOTE_ADDR="203.0.113.9").post(
        reverse("accounts:login"),
        {"username": user.username, "password": DEFAULT_TEST_PASSWORD},
    )

    assert response.status_code == 429
    entry = AuditLogEntry.objects.filter(action="account_locked", target=user).first()
    assert entry.details["username"] == user.username


def test_an_address_is_locked_after_failures_on_many_accounts(settings, make_account):
    settings.AXES_FAILURE_LIMIT = 3
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    for name in ("a.un", "b.deux", "c.trois"):
        fail_login(guesser, name, 1)
    victim = make_account()

    response = guesser.post(
        reverse("accounts:login"),
        {"username": victim.username, "password": DEFAULT_TEST_PASSWORD},
    )
    assert response.status_code == 429
    # Someone else, elsewhere, still signs in.
    other = Client(REMOTE_ADDR="198.51.100.8").post(
        reverse("accounts:login"),
        {"username": victim.username, "password": DEFAULT_TEST_PASSWORD},
    )
    assert other.status_code == 302


class SourceBoundIMAP(imaplib.IMAP4):
    """An IMAP client connecting from another loopback address: an 'outside' client."""

    def __init__(self, host, port, source):
        self.source = source
        super().__init__(host, port, timeout=60)

    def _create_socket(self, timeout):
        return socket.create_connection(
            (self.host, self.port), timeout, source_address=(self.source, 0)
        )


def timed_failed_login(username, source, password):
    started = time.monotonic()
    client = SourceBoundIMAP(settings.IMAP_HOST, settings.IMAP_PORT, source)
    try:
        client.login(username, password)
    except imaplib.IMAP4.error:
        pass
    finally:
        client.shutdown()
    return time.monotonic() - started


def test_dovecot_slows_down_a_mail_client_that_guesses(make_account):
    user = make_account()
    # 127.0.0.1 (the web app) is trusted; 127.0.0.66 is an untrusted client's address.
    # Different wrong passwords: Dovecot does not punish the same mistake repeated.
    delays = [timed_failed_login(user.username, "127.0.0.66", f"essai-{n}") for n in range(3)]

    assert delays[0] >= 1.5  # the first failure is answered after 2 s
    assert delays[2] > delays[0] + 1.5  # then the penalty grows (4 s, 8 s, up to 15 s)
