"""Search on the real Dovecot with its full-text index (fts-xapian): messages delivered
over SMTP -> relay -> LMTP are found by a word of their body, their sender, a date range,
in one folder or in all of them; results are listed like a folder."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mailbox.services import imap
from tests.mail_helpers import send_mail_as
from tests.mailbox.compose_helpers import wait_for_messages


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
