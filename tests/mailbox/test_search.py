"""Search on the real Dovecot with its full-text index (fts-xapian): messages delivered
over SMTP -> relay -> LMTP are found by a word of their body, their sender, a date range,
in one folder or in all of them; results are listed like a folder."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mailbox.services import imap
from tests.mail_helpers import send_mail_as
from tests.mailbox.compose_helpers import wait_for_messages
from tests.mailbox.list_helpers import imap_client, raw_message


def search(client, folder="INBOX", **params):
    return client.get(reverse("mailbox:search", args=[folder]), params)


def advanced(client, folder="INBOX", **params):
    return client.get(reverse("mailbox:search-advanced", args=[folder]), params)


def subjects(response):
    return sorted(message.subject for message in response.context["page"].messages)


@pytest.fixture
def inbox(client, make_account):
    """Jean's INBOX: three messages from two colleagues, delivered over LMTP."""
    jean = make_account(first_name="Jean", last_name="Dupont")
    sophie = make_account(first_name="Sophie", last_name="Leroy")
    marc = make_account(first_name="Marc", last_name="Petit")
    send_mail_as(sophie, [jean.mail_address], "Conseil de classe", "Le conseil aura lieu jeudi.")
    send_mail_as(sophie, [jean.mail_address], "Sortie scolaire", "Le car part du parking.")
    send_mail_as(marc, [jean.mail_address], "Cantine", "Menu végétarien et pistaches.")
    wait_for_messages(jean, "INBOX", 3)
    client.force_login(jean)
    return client, jean, sophie, marc


def test_a_word_of_the_body_finds_its_message(inbox):
    client, *_ = inbox
    response = search(client, q="parking")
    assert response.status_code == 200
    assert subjects(response) == ["Sortie scolaire"]
    assert 'id="mail-search"' in response.content.decode()


def test_the_quick_search_looks_in_sender_subject_and_body(inbox):
    client, _jean, _sophie, marc = inbox
    assert subjects(search(client, q="Leroy")) == ["Conseil de classe", "Sortie scolaire"]
    assert subjects(search(client, q="cantine")) == ["Cantine"]
    assert subjects(search(client, q="végétarien")) == ["Cantine"]  # sent as UTF-8
    # Every word must match, each anywhere: sender and body here.
    assert subjects(search(client, q=f"{marc.last_name} pistaches")) == ["Cantine"]
    assert subjects(search(client, q="Leroy pistaches")) == []


def test_the_advanced_form_finds_by_sender_and_date_range(inbox):
    client, *_ = inbox
    today = timezone.localdate()
    found = advanced(client, sender="Leroy", since=today.isoformat(), until=today.isoformat())
    assert subjects(found) == ["Conseil de classe", "Sortie scolaire"]
    yesterday = (today - timedelta(days=1)).isoformat()
    assert subjects(advanced(client, sender="Leroy", until=yesterday)) == []


def test_the_date_range_is_the_received_date_that_the_list_shows(jean, jean_client):
    # A message received on 14 March 2023 (an import, a late delivery) whose Date header
    # says 5 January 2026: the date range is SINCE/BEFORE, on the received date that the
    # list's date column shows, not SENTSINCE/SENTBEFORE on the Date header (which
    # Dovecot must read from each message file until it has cached it).
    with imap_client(jean) as client:
        received = datetime(2023, 3, 14, 12, 0, tzinfo=UTC)
        client.append("INBOX", raw_message("Conseil"), msg_time=received)
    assert subjects(advanced(jean_client, since="2023-03-14", until="2023-03-14")) == ["Conseil"]
    assert subjects(advanced(jean_client, since="2026-01-05", until="2026-01-05")) == []
    assert subjects(advanced(jean_client, until="2023-03-13")) == []


def test_a_search_past_its_time_asks_for_narrower_words(inbox, settings):
    # A word in most messages of a big folder takes Dovecot's full-text plugin longer
    # than a page can wait (docs/benchmarks.md); here no SEARCH answers within 1 µs.
    client, *_ = inbox
    settings.IMAP_SEARCH_BUDGET_MS = 0.001
    response = search(client, q="parking")
    assert response.status_code == 200
    assert "too many messages contain them" in response.content.decode()
    assert response.context["search_errors"]
    assert 'value="parking"' in response.content.decode()  # the search is kept
    # The connection that gave up was replaced: the same search in time finds its message.
    settings.IMAP_SEARCH_BUDGET_MS = 10_000
    assert subjects(search(client, q="parking")) == ["Sortie scolaire"]


def test_results_link_to_the_message_with_the_words_highlighted(inbox):
    client, *_ = inbox
    response = search(client, q="parking")
    uid = response.context["page"].messages[0].uid
    # The link also says where the message stands in the results (its previous/next).
    link = reverse("mailbox:message-detail", args=[uid, "INBOX"]) + "?pos=0&amp;in="
    assert link in response.content.decode()
    link = re.search(r'class="subject-text" href="([^"]+)"', response.content.decode())[1]
    assert link.endswith("&amp;hl=parking")
    link = link.replace("&amp;", "&")
    page = client.get(link)
    body_url = reverse("mailbox:message-body", args=[uid, "INBOX"]) + "?&amp;hl=parking"
    assert body_url in page.content.decode()
    body = client.get(reverse("mailbox:message-body", args=[uid, "INBOX"]), {"hl": "parking"})
    assert "Le car part du <mark>parking</mark>." in body.content.decode()


def test_all_folders_search_groups_results_by_folder(inbox):
    client, jean, *_ = inbox
    with imap.session_for(jean.mail_account) as session:
        uid = search_uid(session, "Cantine")
        session.move("INBOX", [uid], "Archive")
    response = search(client, q="pistaches", all_folders="on")
    groups = response.context["groups"]
    assert [group["folder"].name for group in groups] == ["Archive"]
    assert [m.subject for m in groups[0]["page"].messages] == ["Cantine"]
    # In one folder only, the INBOX no longer has it.
    assert subjects(search(client, q="pistaches")) == []


def test_an_action_on_results_acts_on_the_selected_messages_only(inbox):
    client, jean, *_ = inbox
    response = search(client, q="Leroy")
    uids = [m.uid for m in response.context["page"].messages]
    assert "All 2 messages in this folder" not in response.content.decode()
    client.post(reverse("mailbox:messages-flag", args=["INBOX"]), {"uids": uids})
    flagged = advanced(client, flagged="on")
    assert subjects(flagged) == ["Conseil de classe", "Sortie scolaire"]
    assert subjects(advanced(client, flagged="on", unread="on")) == [
        "Conseil de classe",
        "Sortie scolaire",
    ]


def search_uid(session, subject):
    return next(m.uid for m in session.fetch_page("INBOX").messages if m.subject == subject)
