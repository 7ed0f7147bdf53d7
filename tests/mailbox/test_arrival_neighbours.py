"""In arrival order (the default), the message page finds the messages above and below
the one opened from its sequence number, which the message's own FETCH gives, and the
folder's count, which the selection already knows: one small FETCH more, no STATUS.
Mail that arrived or went since the list was shown, or while the page was being built,
still gives the neighbours of the folder as it is now."""

import logging
import re

import pytest
from django.urls import reverse

from mailbox.models import MailPreferences
from mailbox.services import imap
from tests.mailbox.action_helpers import messages_in
from tests.mailbox.list_helpers import append, imap_client, raw_message

COUNT = 7


@pytest.fixture
def reader(client, make_account):
    """Seven read messages, "Note 0" arrived first, three to a list page."""
    owner = make_account()
    append(owner, *(raw_message(f"Note {n}", day=n) for n in range(COUNT)), seen=True)
    MailPreferences.objects.create(user=owner, page_size=3)
    client.force_login(owner)
    return owner


@pytest.fixture
def imap_commands(caplog):
    """The names of the IMAP commands sent from here on ("UID FETCH", "NOOP"...)."""
    caplog.set_level(logging.DEBUG, logger="imapclient")
    start = len(caplog.records)

    def sent():
        found = (re.match(r"> b'\w+ ((?:UID )?[A-Z]+)", r.getMessage()) for r in caplog.records)
        return [match[1] for match in list(found)[start:] if match]

    return sent


def row_links(client):
    response = client.get(reverse("mailbox:folder-detail", args=["INBOX"]))
    page = response.content.decode()
    return [
        link.replace("&amp;", "&")
        for link in re.findall(r'class="subject-text" href="([^"]+)"', page)
    ]


def subject_at(client, url):
    return client.get(url).context["message"].subject if url else None


def around(client, response):
    """(previous subject, this subject, next subject, position) as the page shows them."""
    context = response.context
    return (
        subject_at(client, context.get("previous_url")),
        context["message"].subject,
        subject_at(client, context.get("next_url")),
        context["list_place"].position,
    )


def test_opening_a_message_asks_one_fetch_for_its_neighbours(client, reader, imap_commands):
    link = row_links(client)[1]
    before = len(imap_commands())

    response = client.get(link)

    sent = imap_commands()[before:]
    assert "STATUS" not in sent
    assert sent[sent.index("UID FETCH") + 1 :] == ["FETCH"]  # the neighbours, nothing more
    assert around(client, response) == ("Note 6", "Note 5", "Note 4", 1)


def test_the_oldest_and_the_newest_have_one_neighbour(client, reader):
    MailPreferences.objects.filter(user=reader).update(sort_descending=False)
    first = client.get(row_links(client)[0])
    last = client.get(first.context["next_url"])
    for _ in range(COUNT - 2):
        last = client.get(last.context["next_url"])

    assert around(client, first) == (None, "Note 0", "Note 1", 0)
    assert around(client, last) == ("Note 5", "Note 6", None, COUNT - 1)


def test_a_message_arrived_between_list_and_open(client, reader, imap_commands):
    links = row_links(client)
    append(reader, raw_message("Note 7", day=COUNT), seen=True)
    before = len(imap_commands())

    response = client.get(links[0])  # "Note 6", the newest when the list was shown

    assert "STATUS" not in imap_commands()[before:]  # the count came with the NOOP
    assert around(client, response) == ("Note 7", "Note 6", "Note 5", 1)


def test_a_message_gone_between_list_and_open(client, reader):
    links = row_links(client)
    uid = messages_in(reader, "INBOX")["Note 6"].uid
    client.post(reverse("mailbox:messages-archive", args=["INBOX"]), {"uids": [uid]})

    response = client.get(links[2])  # "Note 4", third row when the list was shown

    assert around(client, response) == ("Note 5", "Note 4", "Note 3", 1)


def change_inbox(user, arrive=(), expunge=()):
    """Another client appends these messages and expunges these UIDs."""
    with imap_client(user) as other:
        for raw in arrive:
            other.append("INBOX", raw)
        if expunge:
            other.select_folder("INBOX")
            other.delete_messages(list(expunge))
            other.expunge()


@pytest.mark.parametrize(
    ("arrived", "gone"), [(1, 0), (0, 1), (1, 1)], ids=["arrival", "expunge", "both"]
)
def test_news_told_with_the_message_still_give_the_right_neighbours(reader, arrived, gone):
    """The folder changes while the page is built: the server tells this (kept) session
    with its answer to the message's own FETCH, whose sequence number may predate it."""
    uids = sorted(message.uid for message in messages_in(reader, "INBOX").values())
    with imap.session_for(reader.mail_account) as session:
        session.fetch_message("INBOX", uids[3])  # INBOX stays selected on the kept connection
    with imap.session_for(reader.mail_account) as session:
        assert imap.pool_stats()["reused"] >= 1
        new = [raw_message("Note 7", day=COUNT)] * arrived
        change_inbox(reader, arrive=new, expunge=uids[:gone])
        fetched = session.fetch_message("INBOX", uids[3])

        found = session.arrival_neighbours("INBOX", uids[3], fetched.sequence)

    assert found == (4 - gone, COUNT + arrived - gone, uids[2], uids[4])


def test_a_message_no_longer_there_has_no_neighbours(reader):
    uids = sorted(message.uid for message in messages_in(reader, "INBOX").values())
    with imap.session_for(reader.mail_account) as session:
        fetched = session.fetch_message("INBOX", uids[3])
        change_inbox(reader, expunge=[uids[3]])
        session.message_sizes("INBOX", [uids[0]])  # a UID FETCH: the server tells the news

        assert session.arrival_neighbours("INBOX", uids[3], fetched.sequence) is None
