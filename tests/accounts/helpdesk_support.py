"""Shared setup of the helpdesk tests: an agent, and reading mail the relay captured."""

import email
import time
from email import policy

import pytest
from django.conf import settings
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from accounts.helpdesk import helpdesk_group

AGENT_PASSWORD = "Agent-du-support-42!"  # noqa: S105 - test data


@pytest.fixture
def agent(make_account):
    user = make_account("agent.support", password=AGENT_PASSWORD)
    user.groups.add(helpdesk_group())
    return user


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    client.cookies["django_language"] = "en"
    return client


def imap_login_refused(username: str, password: str) -> bool:
    """True if the real Dovecot refuses the login (a refusal takes about 2 s)."""
    with IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False, timeout=30) as imap:
        try:
            imap.login(username, password)
        except LoginError:
            return True
    return False


def wait_for_captured_message(
    stack, recipient: str, timeout: float = 30
) -> email.message.EmailMessage:
    """The first message the relay captured for `recipient`, once the Celery task sent it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for eml in sorted(stack.capture_dir.glob("*.eml")):
            message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
            if recipient in message["To"]:
                return message
        time.sleep(0.3)
    raise AssertionError(f"no message captured for {recipient} within {timeout}s")
