"""New mail in a sorted list costs no SORT of the whole folder: the cached order is
updated (two SORTs of a few UIDs, mailbox/sort_merge.py), and equals what a fresh SORT
of the real Dovecot gives, after arrivals and expunges."""

import pytest
from django.urls import reverse

from mailbox.models import MailPreferences
from mailbox.services import imap, sort_cache
from tests.mailbox.list_helpers import append, imap_client, raw_message

SORT_KEYS = {"date": "DATE", "sender": "FROM", "subject": "SUBJECT", "size": "SIZE"}


def message(number, count=40):
    """Message `number` ranks differently on each key, with ties in every key."""
    return raw_message(
        f"Sujet {number * 7 % (count // 2):02d}",
        sender=f"Exp <exp{number * 11 % 13:02d}@example.org>",
        day=number * 13 % 17,
        body="x" * (200 + 40 * (number * 17 % 19)),
    )


@pytest.fixture
def sorted_inbox(client, make_account):
    owner = make_account()
    append(owner, *(message(n) for n in range(40)))
    client.force_login(owner)
    return owner


def listed_uids(client):
    response = client.get(reverse("mailbox:folder-detail", args=["INBOX"]))
    return [row.uid for row in response.context["page"].messages]


def fresh_sort(owner, key):
    with imap_client(owner) as connection:
        connection.select_folder("INBOX", readonly=True)
        return [int(uid) for uid in connection.sort([SORT_KEYS[key]])]


def expunge(owner, uids):
    with imap_client(owner) as connection:
        connection.select_folder("INBOX")
        connection.delete_messages(uids)
        connection.expunge()


@pytest.mark.parametrize("key", list(SORT_KEYS))
def test_arrivals_and_expunges_are_folded_into_the_cached_order(
    client, sorted_inbox, key, monkeypatch
):
    MailPreferences.objects.create(
        user=sorted_inbox, sort_key=key, sort_descending=False, page_size=100
    )
    listed_uids(client)  # sorted once, and cached
    append(sorted_inbox, *(message(n) for n in range(40, 43)))  # UIDs 41 to 43
    expunge(sorted_inbox, [3, 17, 42])

    def no_full_sort(self, key):
        raise AssertionError("the whole folder was sorted again")

    monkeypatch.setattr(imap.OpenFolder, "sorted_uids", no_full_sort)
    shown = listed_uids(client)

    assert shown == fresh_sort(sorted_inbox, key)
    assert len(shown) == 40
    with imap.session_for(sorted_inbox.mail_account) as session:
        state = session.open_folder("INBOX").state
    contents_key, cached = sort_cache.read_all(sorted_inbox.mail_account, "INBOX", key)
    assert (contents_key, cached) == (state.contents_key, shown)


def test_a_changed_uidvalidity_sorts_everything_again(client, sorted_inbox):
    MailPreferences.objects.create(user=sorted_inbox, sort_key="subject", page_size=100)
    listed_uids(client)
    contents_key, uids = sort_cache.read_all(sorted_inbox.mail_account, "INBOX", "subject")
    _validity, uidnext, messages = contents_key.split(".")
    # A cached list from another UIDVALIDITY (a recreated folder) is no starting point.
    sort_cache.store(
        sorted_inbox.mail_account,
        "INBOX",
        "subject",
        f"1.{uidnext}.{messages}",
        sort_cache.pack(uids[::-1]),
    )
    append(sorted_inbox, message(40))

    assert listed_uids(client) == fresh_sort(sorted_inbox, "subject")[::-1]
