"""A folder's received dates summarised in blocks, and the UIDs a date search can match
in: never fewer than the messages received in the range (Dovecot tests each of them)."""

from datetime import date, timedelta

import pytest

from mailbox.searching import SearchQuery, received_range
from mailbox.services import received_dates
from mailbox.services.received_dates import Block, Summary, pack, parse_fetch_lines, unpack


def day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def summary_of(dated, read_up_to=None, block_size=3, monkeypatch=None):
    monkeypatch.setattr(received_dates, "BLOCK_SIZE", block_size)
    last = read_up_to if read_up_to is not None else max(uid for uid, _ in dated)
    return Summary(0, []).extended(dated, last)


def test_fetch_lines_give_each_uid_its_received_day_whatever_the_item_order():
    lines = [
        b'2 (UID 12 INTERNALDATE "14-Mar-2023 12:00:00 +0000")',
        b'1 (INTERNALDATE " 5-Jan-2026 23:30:00 -0500" UID 11)',
        b"3 (FLAGS (\\Seen) UID 13)",  # unsolicited news of a flag: no date
        (b"4 (UID 14 BODY[] {3}", b"abc"),  # not ours
        None,  # imaplib's answer when nothing matched
    ]
    assert parse_fetch_lines(lines) == [(11, day("2026-01-05")), (12, day("2023-03-14"))]


def test_dates_are_kept_in_blocks_of_consecutive_messages(monkeypatch):
    dated = [(uid, day("2026-01-01") + uid) for uid in (1, 2, 3, 5, 8, 9, 10)]
    summary = summary_of(dated, read_up_to=12, monkeypatch=monkeypatch)
    assert summary.read_up_to == 12
    assert summary.blocks == [
        Block(1, 3, day("2026-01-02"), day("2026-01-04"), 3),
        Block(5, 9, day("2026-01-06"), day("2026-01-10"), 3),
        Block(10, 10, day("2026-01-11"), day("2026-01-11"), 1),
    ]


def test_new_mail_fills_the_last_block_then_starts_others(monkeypatch):
    summary = summary_of([(1, 100), (2, 90)], monkeypatch=monkeypatch)
    later = summary.extended([(2, 5), (4, 200), (6, 50), (7, 60)], 9)
    assert later.read_up_to == 9
    # UID 2 was read already: its second mention changes nothing.
    assert later.blocks == [Block(1, 4, 90, 200, 3), Block(6, 7, 50, 60, 2)]
    assert summary.blocks == [Block(1, 2, 90, 100, 2)]  # the summary itself is unchanged


def test_a_date_search_is_limited_to_the_blocks_around_its_days_and_the_unread_rest(
    monkeypatch,
):
    start = date(2026, 1, 1)
    dated = [(uid, (start + timedelta(days=uid)).toordinal()) for uid in range(1, 31)]
    summary = summary_of(dated, read_up_to=30, monkeypatch=monkeypatch)
    # Received on 15 January: message 14; with two days' margin on either side, 12 to 17.
    since, before = date(2026, 1, 15), date(2026, 1, 16)
    assert summary.candidates(since, before) == "10:18,31:*"
    assert summary.candidates(None, date(2026, 1, 3)) == "1:6,31:*"
    assert summary.candidates(date(2026, 3, 1), None) == "31:*"


def test_blocks_apart_are_separate_ranges_and_nothing_is_left_out(monkeypatch):
    # An imported folder: dates out of order, so one range meets blocks far apart.
    days = {1: "2024-05-01", 2: "2026-01-10", 3: "2024-05-02", 4: "2025-01-01"}
    days |= {5: "2025-02-01", 6: "2025-03-01", 7: "2026-01-11", 8: "2026-01-12"}
    dated = [(uid, day(text)) for uid, text in days.items()]
    summary = summary_of(dated, block_size=2, monkeypatch=monkeypatch)
    found = summary.candidates(date(2026, 1, 10), date(2026, 1, 13))
    assert found == "1:2,7:8,9:*"
    for uid, text in days.items():
        if "2026-01-10" <= text < "2026-01-13":
            assert any(_within(uid, part) for part in found.split(","))


def _within(uid: int, part: str) -> bool:
    low, _, high = part.partition(":")
    return int(low) <= uid and (high == "*" or uid <= int(high or low))


def test_a_summary_survives_its_trip_through_redis_bytes(monkeypatch):
    summary = summary_of([(1, 700_000), (2, 700_001), (9, 739_000)], monkeypatch=monkeypatch)
    assert unpack(pack(summary)) == summary
    assert unpack(pack(Summary(0, []))) == Summary(0, [])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (SearchQuery(text="conseil"), None),
        (SearchQuery(since=date(2026, 1, 5)), (date(2026, 1, 5), None)),
        (SearchQuery(until=date(2026, 1, 5)), (None, date(2026, 1, 6))),
        (
            SearchQuery(since=date(2026, 1, 5), until=date(2026, 1, 9)),
            (date(2026, 1, 5), date(2026, 1, 10)),
        ),
    ],
)
def test_the_range_narrowed_is_that_of_the_search_criteria(query, expected):
    assert received_range(query) == expected
