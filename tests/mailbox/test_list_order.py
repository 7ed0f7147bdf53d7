"""The message list in date, sender, subject or size order, from IMAP SORT through the
Redis cache, across pages; the user's order and page size are saved preferences."""

import pytest
from django.urls import reverse

from mailbox.models import MailPreferences
from mailbox.services import imap, sort_cache
from scripts.localstack import free_port
from tests.mailbox.list_helpers import append, imap_client, raw_message, subjects

COUNT = 30  # more than one page of 25


def _message(number):
    """Message `number` ranks differently on every key (multipliers coprime with 30)."""
    return {
        "subject": f"Sujet {number * 7 % COUNT:02d}",
        "sender": f"Expéditeur <exp{number * 11 % COUNT:02d}@example.org>",
        "day": number * 13 % COUNT,
        "body": "x" * (200 + 40 * (number * 17 % COUNT)),
    }


EXPECTED_KEY = {
    "date": lambda m: m["day"],
    "sender": lambda m: m["sender"].split("<")[1],
    "subject": lambda m: m["subject"],
    "size": lambda m: len(m["body"]),
}


@pytest.fixture
def mixed_inbox(make_account):
    owner = make_account()
    messages = [_message(number) for number in range(COUNT)]
    append(owner, *(raw_message(**m) for m in messages))
    return owner, messages


def _pages(client, user, **preferences):
    MailPreferences.objects.update_or_create(user=user, defaults={"page_size": 25, **preferences})
    url = reverse("mailbox:folder-detail", args=["INBOX"])
    first = client.get(url)
    second = client.get(url, {"page": 2}, headers={"HX-Request": "true"})
    assert first.status_code == second.status_code == 200
    return subjects(first), subjects(second)


@pytest.mark.parametrize("key", ["date", "sender", "subject", "size"])
@pytest.mark.parametrize("descending", [False, True])
def test_each_order_runs_across_pages(client, mixed_inbox, key, descending):
    owner, messages = mixed_inbox
    client.force_login(owner)

    first, second = _pages(client, owner, sort_key=key, sort_descending=descending)

    expected = [m["subject"] for m in sorted(messages, key=EXPECTED_KEY[key], reverse=descending)]
    assert first == expected[:25]
    assert second == expected[25:]


def test_arrival_order_oldest_first(client, mixed_inbox):
    owner, messages = mixed_inbox
    client.force_login(owner)

    first, second = _pages(client, owner, sort_key="arrival", sort_descending=False)

    assert first + second == [m["subject"] for m in messages]


def test_page_size_applies(client, mixed_inbox):
    owner, _messages = mixed_inbox
    client.force_login(owner)

    first, second = _pages(client, owner)  # arrival, 25 a page

    assert (len(first), len(second)) == (25, 5)


def _cached(owner, key):
    with imap.session_for(owner.mail_account) as session:
        state = session.open_folder("INBOX").state
    return state, sort_cache.read_all(owner.mail_account, "INBOX", key)


def test_a_page_is_read_from_the_cached_order(client, mixed_inbox):
    owner, messages = mixed_inbox
    client.force_login(owner)
    _pages(client, owner, sort_key="size")
    state, (contents_key, uids) = _cached(owner, "size")
    assert contents_key == state.contents_key
    # Put another order under the same state: the next page must follow it, unsorted.
    shuffled = uids[::2] + uids[1::2]
    sort_cache.store(owner.mail_account, "INBOX", "size", contents_key, sort_cache.pack(shuffled))

    first, _second = _pages(client, owner, sort_key="size", sort_descending=False)

    by_uid = {uid: messages[uid - 1]["subject"] for uid in uids}  # APPENDed in order: UID n+1
    assert first == [by_uid[uid] for uid in shuffled[:25]]


def test_a_new_message_is_sorted_in(client, mixed_inbox):
    owner, _messages = mixed_inbox
    client.force_login(owner)
    _pages(client, owner, sort_key="date", sort_descending=True)

    append(owner, raw_message("Arrivé à l'instant", day=COUNT + 5))
    first, _second = _pages(client, owner, sort_key="date", sort_descending=True)

    assert first[0] == "Arrivé à l'instant"
    state, (contents_key, uids) = _cached(owner, "date")
    assert contents_key == state.contents_key
    assert len(uids) == COUNT + 1


def test_deleted_messages_leave_the_cached_order(client, mixed_inbox):
    owner, messages = mixed_inbox
    client.force_login(owner)
    first, _second = _pages(client, owner, sort_key="subject", sort_descending=False)
    doomed = [m for m in messages if m["subject"] in first[:3]]
    uids = [messages.index(m) + 1 for m in doomed]  # APPENDed in order: UIDs 1, 2...
    response = client.post(reverse("mailbox:messages-delete", args=["INBOX"]), {"uids": uids})
    assert response.status_code == 302

    first, second = _pages(client, owner, sort_key="subject", sort_descending=False)

    expected = sorted(m["subject"] for m in messages if m not in doomed)
    assert first + second == expected
    state, (contents_key, cached) = _cached(owner, "subject")
    assert contents_key == state.contents_key
    assert len(cached) == COUNT - 3


def test_a_flag_change_keeps_the_order_and_shows_the_flag(client, mixed_inbox):
    owner, _messages = mixed_inbox
    client.force_login(owner)
    _pages(client, owner, sort_key="sender", sort_descending=False)
    before_state, (before_key, _uids) = _cached(owner, "sender")
    with imap_client(owner) as imap_connection:
        imap_connection.select_folder("INBOX")
        imap_connection.add_flags([1], [b"\\Flagged"])

    response = client.get(reverse("mailbox:folder-detail", args=["INBOX"]))

    after_state, (after_key, _uids) = _cached(owner, "sender")
    assert after_state.highestmodseq > before_state.highestmodseq
    assert after_key == before_key  # no re-sort: flags do not change a sender order
    flagged = [m.uid for m in response.context["page"].messages if m.is_flagged]
    assert flagged == [1]


def test_without_redis_the_list_is_still_sorted(client, mixed_inbox, settings):
    owner, messages = mixed_inbox
    client.force_login(owner)
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there

    first, second = _pages(client, owner, sort_key="date", sort_descending=True)

    expected = [m["subject"] for m in sorted(messages, key=EXPECTED_KEY["date"], reverse=True)]
    assert first + second == expected
