"""Search results are remembered per search: the next page, or the same search asked
again (after an action, htmx asks for the rows again), does not send the UID SEARCH again
while the folder is unchanged; once mail came or went (or, for a search on flags, a flag
changed), it searches again and shows what is there now."""

import logging

import pytest
from django.urls import reverse

from mailbox.models import MailPreferences
from tests.mailbox.list_helpers import append, raw_message, subjects

SEARCH = reverse("mailbox:search", args=["INBOX"])
ADVANCED = reverse("mailbox:search-advanced", args=["INBOX"])


@pytest.fixture
def reader(client, make_account):
    """Five matching notes (newest "Note 5") and one other message, three rows a page."""
    owner = make_account()
    append(
        owner,
        raw_message("Menu de la cantine", day=0),
        *(raw_message(f"Note {n} de service", day=n) for n in range(1, 6)),
    )
    MailPreferences.objects.update_or_create(user=owner, defaults={"page_size": 3})
    client.force_login(owner)
    return owner


@pytest.fixture
def searches_sent(caplog):
    """How many UID SEARCH commands were sent from here on, as logged by imapclient."""
    caplog.set_level(logging.DEBUG, logger="imapclient")
    return lambda: sum(
        "> " in r.getMessage() and " SEARCH " in r.getMessage() for r in caplog.records
    )


def test_the_next_page_of_results_does_not_search_again(client, reader, searches_sent):
    first = client.get(SEARCH, {"q": "service"})
    second = client.get(SEARCH, {"q": "service", "page": 2})

    assert subjects(first) == ["Note 5 de service", "Note 4 de service", "Note 3 de service"]
    assert subjects(second) == ["Note 2 de service", "Note 1 de service"]
    assert second.context["page"].total == 5
    assert searches_sent() == 1


def test_the_same_search_asked_again_is_not_sent_again(client, reader, searches_sent):
    client.get(SEARCH, {"q": "service"})
    again = client.get(SEARCH, {"q": "service"}, headers={"HX-Request": "true"})

    assert subjects(again) == ["Note 5 de service", "Note 4 de service", "Note 3 de service"]
    assert searches_sent() == 1


def test_new_mail_is_searched_for_on_the_next_page(client, reader, searches_sent):
    client.get(SEARCH, {"q": "service"})
    append(reader, raw_message("Note 6 de service", day=6))

    second = client.get(SEARCH, {"q": "service", "page": 2})

    assert searches_sent() == 2
    assert second.context["page"].total == 6
    assert subjects(second) == ["Note 3 de service", "Note 2 de service", "Note 1 de service"]


def test_a_search_on_flags_is_sent_again_after_a_flag_changed(client, reader, searches_sent):
    unread = client.get(ADVANCED, {"unread": "on"})
    uid = unread.context["page"].messages[0].uid
    client.post(reverse("mailbox:messages-mark-read", args=["INBOX"]), {"uids": [uid]})

    again = client.get(ADVANCED, {"unread": "on"})

    assert unread.context["page"].total == 6
    assert again.context["page"].total == 5
    assert searches_sent() == 2


def test_a_flag_change_keeps_the_results_of_a_search_on_words(client, reader, searches_sent):
    first = client.get(SEARCH, {"q": "service"})
    uid = first.context["page"].messages[0].uid
    client.post(reverse("mailbox:messages-mark-read", args=["INBOX"]), {"uids": [uid]})

    again = client.get(SEARCH, {"q": "service"})

    assert searches_sent() == 1
    assert again.context["page"].messages[0].is_seen  # the rows are fetched, not kept
