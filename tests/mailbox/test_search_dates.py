"""Searches by date on the real Dovecot, narrowed by the folder's received dates kept in
Redis (mailbox/services/received_dates.py): they find exactly what Dovecot's scan of the
whole folder finds, whatever order the mail came in, new and deleted mail included, and
a big folder is summarised by the Celery worker while its searches stay exact."""

import random
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from mailbox import tasks
from mailbox.services import imap, received_dates
from tests.mailbox.list_helpers import imap_client, raw_message

START = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
RANGES = [
    (date(2025, 9, 3), date(2025, 9, 6)),
    (None, date(2025, 9, 2)),
    (date(2025, 9, 25), None),
    (date(2025, 9, 10), date(2025, 9, 10)),
    (date(2024, 1, 1), date(2024, 1, 31)),
    (date(2023, 6, 1), date(2023, 6, 30)),
]


def received_on(user, days, folder="INBOX"):
    """Append one message per day offset from START, received that day (INTERNALDATE)."""
    with imap_client(user) as client:
        for number, offset in enumerate(days):
            when = START + timedelta(days=offset)
            client.append(folder, raw_message(f"Message {number}"), msg_time=when)


def found_by_the_page(client, since, until):
    params = {
        "since": since.isoformat() if since else "",
        "until": until.isoformat() if until else "",
    }
    response = client.get(reverse("mailbox:search-advanced", args=["INBOX"]), params)
    assert response.status_code == 200
    return {message.uid for message in response.context["page"].messages}


def found_by_a_whole_scan(user, since, until):
    criteria = ["SINCE", since] if since else []
    criteria += ["BEFORE", until + timedelta(days=1)] if until else []
    with imap_client(user) as client:
        client.select_folder("INBOX", readonly=True)
        return set(client.search(criteria))


def summary_of(user):
    with imap.session_for(user.mail_account) as session:
        folder = session.open_folder("INBOX")
        return folder, received_dates.read(user.mail_account, "INBOX", folder.state.uidvalidity)


def uids_within(candidates, uids):
    def within(uid, part):
        low, _, high = part.partition(":")
        return int(low) <= uid and (high == "*" or uid <= int(high or low))

    return {uid for uid in uids if any(within(uid, part) for part in candidates.split(","))}


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(received_dates, "BLOCK_SIZE", 4)


@pytest.mark.usefixtures("small_blocks")
def test_date_searches_find_what_the_whole_scan_finds_in_a_partly_imported_folder(
    jean, jean_client
):
    # Thirty days delivered in order, then ten messages imported with older and newer dates.
    imported = [-400, 12, -800, 3, 45, -30, 27, 5, -1, 60]
    received_on(jean, [*range(30), *imported])
    for since, until in RANGES:
        assert found_by_the_page(jean_client, since, until) == found_by_a_whole_scan(
            jean, since, until
        ), (since, until)

    folder, summary = summary_of(jean)
    every_uid = set(range(1, 41))
    assert summary.read_up_to == 40
    # 3 to 6 September: Dovecot tests the delivered mail around those days and the
    # imported blocks, not the rest of September.
    candidates = uids_within(summary.candidates(date(2025, 9, 3), date(2025, 9, 7)), every_uid)
    assert found_by_a_whole_scan(jean, date(2025, 9, 3), date(2025, 9, 6)) <= candidates
    assert candidates < every_uid
    assert not candidates & set(range(13, 29))


@pytest.mark.usefixtures("small_blocks")
def test_mail_arriving_or_deleted_after_the_summary_is_searched_too(jean, jean_client):
    received_on(jean, range(20))
    september_5 = (date(2025, 9, 5), date(2025, 9, 5))
    assert len(found_by_the_page(jean_client, *september_5)) == 1
    received_on(jean, [4, 4, -365])  # delivered late, imported
    with imap_client(jean) as client:
        client.select_folder("INBOX")
        client.delete_messages(client.search(["SINCE", date(2025, 9, 10)]))
        client.expunge()

    for since, until in [september_5, (None, date(2024, 12, 31)), (date(2025, 9, 10), None)]:
        assert found_by_the_page(jean_client, since, until) == found_by_a_whole_scan(
            jean, since, until
        )
    assert len(found_by_the_page(jean_client, *september_5)) == 3
    assert summary_of(jean)[1].read_up_to == 23


@pytest.mark.usefixtures("small_blocks")
def test_a_big_folder_is_summarised_by_the_worker_meanwhile_searches_stay_exact(
    jean, jean_client, monkeypatch
):
    monkeypatch.setattr(received_dates, "INLINE_MESSAGES", 5)
    days = list(range(24))
    random.Random(3).shuffle(days)
    received_on(jean, days)
    week = (date(2025, 9, 3), date(2025, 9, 9))

    assert found_by_the_page(jean_client, *week) == found_by_a_whole_scan(jean, *week)

    deadline = time.monotonic() + 60
    while summary_of(jean)[1] is None:  # the Celery worker reads the dates
        assert time.monotonic() < deadline, "the worker did not summarise the folder"
        time.sleep(0.2)
    summary = summary_of(jean)[1]
    assert summary.read_up_to == 24
    assert sum(block.count for block in summary.blocks) == 24
    later_week = (date(2025, 9, 10), date(2025, 9, 16))  # not a remembered search
    assert found_by_the_page(jean_client, *later_week) == found_by_a_whole_scan(jean, *later_week)
    assert len(found_by_the_page(jean_client, *later_week)) == 7

    # More new mail than a search reads inline: searched beyond the summary meanwhile.
    received_on(jean, [4, 5, 6, 30, 31, 32])
    assert len(found_by_the_page(jean_client, *week)) == 10
    assert found_by_the_page(jean_client, *week) == found_by_a_whole_scan(jean, *week)


@pytest.mark.usefixtures("small_blocks")
def test_with_the_broker_down_searches_stay_exact_and_only_the_first_waits_for_it(
    jean, jean_client, monkeypatch
):
    monkeypatch.setattr(received_dates, "INLINE_MESSAGES", 5)
    received_on(jean, range(12))
    queued = []

    def broker_down(*args):
        queued.append(args)
        raise OperationalError("Error 111 connecting to the broker. Connection refused.")

    monkeypatch.setattr(tasks.summarise_received_dates, "delay", broker_down)
    for first in (3, 4, 5):  # three searches (the same one would be remembered)
        week = (date(2025, 9, first), date(2025, 9, first + 6))
        assert found_by_the_page(jean_client, *week) == found_by_a_whole_scan(jean, *week)
    assert queued == [("jean.dupont", jean.mail_address, "INBOX")]
    assert summary_of(jean)[1] is None
