"""New mail in conversation view costs no THREAD of the whole folder: replies join their
cached conversation and new conversations are added, from the new messages' headers
(mailbox/thread_merge.py); the result equals a fresh THREAD of the real Dovecot, after
arrivals and expunges. When unsure, the folder is threaded again."""

import pytest
from django.urls import reverse

from mailbox.models import MailPreferences
from mailbox.services import imap
from mailbox.threads import flatten_thread
from tests.mailbox.list_helpers import append, imap_client, raw_message


def message(number, subject, *parents):
    headers = {"Message_ID": f"<m{number}@example.org>"}
    if parents:
        headers |= {"In_Reply_To": parents[-1], "References": " ".join(parents)}
    return raw_message(subject, day=number, **headers)


@pytest.fixture
def conversations_inbox(client, make_account):
    """UIDs 1-6: a trip conversation (1, 3, 4), two answers to a message kept in Sent
    (2, 6), and a message on its own (5)."""
    owner = make_account()
    append(
        owner,
        message(1, "Sortie scolaire"),
        message(2, "Re: Conseil de classe", "<sent-1@example.org>"),
        message(3, "Re: Sortie scolaire", "<m1@example.org>"),
        message(4, "Re: Re: Sortie scolaire", "<m1@example.org>", "<m3@example.org>"),
        message(5, "Cantine"),
        message(6, "Re: Conseil de classe", "<sent-1@example.org>"),
    )
    MailPreferences.objects.create(user=owner, conversations=True, page_size=100)
    client.force_login(owner)
    return owner


def listed(client):
    response = client.get(reverse("mailbox:folder-detail", args=["INBOX"]))
    return [row.conversation_uids for row in response.context["page"].messages]


def fresh_thread(owner):
    with imap_client(owner) as connection:
        connection.select_folder("INBOX", readonly=True)
        return {tuple(sorted(flatten_thread(t))) for t in connection.thread("REFERENCES")}


def no_full_thread(monkeypatch):
    def fail(self, timeout=None):
        raise AssertionError("the whole folder was threaded again")

    monkeypatch.setattr(imap.OpenFolder, "thread_uids", fail)


def test_replies_and_new_conversations_are_placed_without_a_thread(
    client, conversations_inbox, monkeypatch
):
    listed(client)  # threaded once, and cached
    append(
        conversations_inbox,
        message(7, "Re: Sortie scolaire", "<m1@example.org>", "<m3@example.org>"),  # UID 7
        message(8, "Voyage à Rome"),  # 8: a new conversation...
        message(9, "Re: Voyage à Rome", "<m8@example.org>"),  # 9: ...answered at once
        message(10, "Re: Conseil de classe", "<sent-1@example.org>"),  # 10
        message(11, "Re: Cantine", "<m5@example.org>"),  # 11
    )
    no_full_thread(monkeypatch)

    shown = listed(client)

    assert set(shown) == fresh_thread(conversations_inbox)
    assert shown == [(5, 11), (2, 6, 10), (8, 9), (1, 3, 4, 7)]  # newest arrival first


def test_expunged_messages_leave_their_conversation(client, conversations_inbox, monkeypatch):
    listed(client)
    with imap_client(conversations_inbox) as connection:
        connection.select_folder("INBOX")
        connection.delete_messages([4, 5])
        connection.expunge()
    append(conversations_inbox, message(7, "Re: Sortie scolaire", "<m1@example.org>"))
    no_full_thread(monkeypatch)

    shown = listed(client)

    assert set(shown) == fresh_thread(conversations_inbox)
    assert shown == [(1, 3, 7), (2, 6)]


def test_a_new_message_with_an_old_subject_is_threaded_again(client, conversations_inbox):
    listed(client)
    append(conversations_inbox, message(7, "Cantine"))

    shown = listed(client)

    assert set(shown) == fresh_thread(conversations_inbox)
    assert shown[0] == (5, 7)  # Dovecot merges conversations of the same subject


def test_opening_a_conversation_after_a_reply_needs_no_thread(
    client, conversations_inbox, monkeypatch
):
    listed(client)
    append(conversations_inbox, message(7, "Re: Sortie scolaire", "<m1@example.org>"))
    no_full_thread(monkeypatch)

    response = client.get(reverse("mailbox:conversation-detail", args=[7, "INBOX"]))

    assert response.status_code == 200
    assert [m.uid for m in response.context["messages"]] == [1, 3, 4, 7]
