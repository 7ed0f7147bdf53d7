"""Someone who works in Martinique reads mail dates in Martinique time, in the list and
in the message, whatever zone the server or the sender stamped."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.mailbox.list_helpers import imap_client, raw_message
from tests.mailbox.test_list_dates import time_element

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def martinique_client(client, make_account):
    user = make_account(first_name="Léa", last_name="Joseph", time_zone="America/Martinique")
    client.force_login(user)
    return user, client


def test_the_list_shows_dates_in_the_users_zone(martinique_client):
    user, client = martinique_client
    with imap_client(user) as imap:
        # received at 15:00 in Paris, which is 10:00 in Martinique
        imap.append(
            "INBOX", raw_message("Conseil"), msg_time=datetime(2023, 3, 14, 15, tzinfo=PARIS)
        )

    response = client.get(reverse("mailbox:folder-detail", args=["INBOX"]))

    assert time_element(response.content.decode(), "Conseil") == (
        "2023-03-14T10:00:00-04:00",
        "March 14, 2023, 10 a.m.",
        "03/14/2023",
    )


def test_the_message_shows_its_date_in_the_users_zone(martinique_client):
    user, client = martinique_client
    with imap_client(user) as imap:
        imap.append("INBOX", raw_message("Inspection"))  # Date: 5 January 2026, 08:00 UTC
        imap.select_folder("INBOX")
        [uid] = imap.search(["SUBJECT", "Inspection"])

    page = client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"])).content.decode()

    assert re.search(
        r'<time datetime="2026-01-05T04:00:00-04:00">Jan\. 5, 2026, 4 a\.m\.</time>', page
    ), page


def test_a_reply_quotes_a_date_without_zone_at_the_users_time(martinique_client):
    user, client = martinique_client
    raw = (
        b"From: expediteur@example.org\r\nTo: lea@example.org\r\nSubject: Sortie\r\n"
        # "-0000": the time is UTC, the sender's zone unknown (RFC 5322 3.3)
        b"Date: Tue, 03 Mar 2026 14:15:00 -0000\r\n\r\nLe car part a 8 h.\r\n"
    )
    with imap_client(user) as imap:
        imap.append("INBOX", raw)
        imap.select_folder("INBOX")
        [uid] = imap.search(["SUBJECT", "Sortie"])

    response = client.get(reverse("mailbox:reply", args=[uid, "INBOX"]))

    assert response.status_code == 200
    body = response.context["form"]["body"].value()
    assert "On March 3, 2026, 10:15 a.m., expediteur@example.org wrote:" in body
