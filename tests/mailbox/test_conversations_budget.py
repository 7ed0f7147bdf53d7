"""A folder too big to thread within a page's time: the page lists its messages one by
one with a notice, never an error page, while the Celery worker threads the folder; the
next page shows the conversations. Real Dovecot and worker, with a budget of 1 ms."""

import time

import pytest
from django.urls import reverse

from mailbox.models import MailPreferences
from mailbox.services import sort_cache
from tests.mailbox.list_helpers import imap_client, raw_message

THREADS = "threads:arrival:desc"
COUNT = 1500
NOTICE = "Conversations are being prepared for this large folder"


def message(number):
    """Every third message starts a conversation that the next two answer."""
    headers = {"Message_ID": f"<m{number}@example.org>"}
    if number % 3:
        headers |= {"In_Reply_To": f"<m{number - 1}@example.org>"}
        headers |= {"References": f"<m{number - number % 3}@example.org>"}
    return raw_message(f"Sujet {number - number % 3}", day=number, **headers)


@pytest.fixture
def big_threaded_inbox(make_account, settings):
    owner = make_account()
    with imap_client(owner) as connection:
        connection.multiappend("INBOX", [message(n) for n in range(COUNT)])
    MailPreferences.objects.create(user=owner, conversations=True)
    settings.IMAP_THREAD_BUDGET_MS = 1  # no THREAD of 1,500 uncached messages is this quick
    return owner


def wait_for_conversations(owner, seconds=60):
    deadline = time.monotonic() + seconds
    while sort_cache.current_key(owner.mail_account, "INBOX", THREADS) is None:
        assert time.monotonic() < deadline, "the worker did not thread the folder"
        time.sleep(0.2)


def test_a_slow_thread_shows_messages_then_conversations(client, big_threaded_inbox):
    client.force_login(big_threaded_inbox)
    url = reverse("mailbox:folder-detail", args=["INBOX"])

    first = client.get(url)

    assert first.status_code == 200
    assert NOTICE in first.content.decode()
    rows = first.context["page"].messages
    assert [row.uid for row in rows[:3]] == [COUNT, COUNT - 1, COUNT - 2]  # newest first
    assert all(row.message_count == 1 for row in rows)

    wait_for_conversations(big_threaded_inbox)
    second = client.get(url)

    assert second.status_code == 200
    assert NOTICE not in second.content.decode()
    page = second.context["page"]
    assert page.conversation_total == COUNT // 3
    assert [row.message_count for row in page.messages[:2]] == [3, 3]
    assert page.messages[0].conversation_uids == (COUNT - 2, COUNT - 1, COUNT)


def test_the_htmx_rows_say_so_too(client, big_threaded_inbox):
    client.force_login(big_threaded_inbox)

    response = client.get(
        reverse("mailbox:folder-detail", args=["INBOX"]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert NOTICE in response.content.decode()


def test_a_message_opened_before_its_conversations_are_ready_opens_at_once(
    client, big_threaded_inbox
):
    client.force_login(big_threaded_inbox)
    url = reverse("mailbox:message-detail", args=[COUNT - 1, "INBOX"])

    first = client.get(url, {"pos": "0"})

    assert first.status_code == 200  # no THREAD of the whole folder past the budget
    assert "Sujet" in first.content.decode()
    assert "next_url" not in first.context  # its place is not known yet
    wait_for_conversations(big_threaded_inbox)  # queued by the page, done by the worker
    second = client.get(url, {"pos": "0"})

    assert second.status_code == 200
    assert "next_url" in second.context
