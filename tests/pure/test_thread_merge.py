"""Placing new messages into cached conversations by Message-ID, In-Reply-To and
References, or saying "unsure" so that the folder is threaded again."""

import pytest

from mailbox.thread_merge import (
    ThreadHeaders,
    base_subject,
    merge_arrivals,
    parse_thread_headers,
)

# UIDs 1-5: a conversation (1, 3) about a school trip, and single messages 2, 4, 5.
CACHED = [(1, 3), (2,), (4,), (5,)]
OLD = {
    1: ThreadHeaders(1, "<trip@x>", (), "sortie"),
    3: ThreadHeaders(3, "<trip-2@x>", ("<trip@x>",), "sortie"),
    4: ThreadHeaders(4, "<reply-to-sent@x>", ("<sent@me>",), "cantine"),
}


def arrival(uid, message_id, *parents, subject="nouveau"):
    return ThreadHeaders(uid, message_id, tuple(parents), subject)


@pytest.mark.parametrize(
    ("arrivals", "linked", "expected"),
    [
        # a reply joins the conversation of the message it answers
        ([arrival(6, "<a@x>", "<trip@x>", "<trip-2@x>")], [1, 3], [(1, 3, 6), (2,), (4,), (5,)]),
        # a reply to a message kept elsewhere (Sent) joins the other reply to it
        ([arrival(6, "<a@x>", "<sent@me>")], [4], [(1, 3), (2,), (4, 6), (5,)]),
        # a new conversation, then a reply to it in the same batch
        (
            [arrival(6, "<a@x>"), arrival(7, "<b@x>", "<a@x>")],
            [],
            [(1, 3), (2,), (4,), (5,), (6, 7)],
        ),
        # two unrelated new messages
        (
            [arrival(6, "<a@x>", subject="un"), arrival(7, "<b@x>", subject="deux")],
            [],
            [(1, 3), (2,), (4,), (5,), (6,), (7,)],
        ),
        # a header search may find more than the linked messages: they change nothing
        ([arrival(6, "<a@x>", "<trip@x>")], [1, 4], [(1, 3, 6), (2,), (4,), (5,)]),
    ],
)
def test_arrivals_are_placed(arrivals, linked, expected):
    merged = merge_arrivals(CACHED, arrivals, [OLD[uid] for uid in linked], [])

    assert sorted(merged) == sorted(expected)


@pytest.mark.parametrize(
    ("arrivals", "linked", "old_subjects"),
    [
        # an old message answers the new one: the new one becomes its parent
        ([arrival(6, "<sent@me>")], [4], []),
        # one reply links two conversations the server kept apart
        ([arrival(6, "<a@x>", "<trip@x>", "<reply-to-sent@x>")], [1, 4], []),
        # the same Message-ID again
        ([arrival(6, "<trip-2@x>")], [3], []),
        # a new conversation with an old one's subject: the server may merge them
        ([arrival(6, "<a@x>", subject="cantine")], [], ["cantine"]),
        # two new conversations with the same subject
        ([arrival(6, "<a@x>", subject="un"), arrival(7, "<b@x>", subject="un")], [], []),
    ],
)
def test_unsure_cases_ask_for_a_new_thread(arrivals, linked, old_subjects):
    assert merge_arrivals(CACHED, arrivals, [OLD[uid] for uid in linked], old_subjects) is None


def test_a_reply_with_an_old_subject_still_joins_its_conversation():
    reply = arrival(6, "<a@x>", "<trip@x>", subject="sortie")

    assert merge_arrivals(CACHED, [reply], [OLD[1]], ["sortie"])[0] == (1, 3, 6)


def test_headers_are_read_from_the_fetched_fields():
    header = (
        b"Message-ID: <m2@example.org>\r\n"
        b"In-Reply-To: <m1@example.org>\r\n"
        b"References: <m0@example.org>\r\n <m1@example.org>\r\n"
        b"Subject: =?utf-8?q?Re=3A_R=C3=A9union?=\r\n\r\n"
    )

    headers = parse_thread_headers(9, header)

    assert headers.message_id == "<m2@example.org>"
    assert headers.parents == ("<m0@example.org>", "<m1@example.org>")
    assert headers.subject == "réunion"


def test_in_reply_to_stands_in_for_missing_references():
    headers = parse_thread_headers(9, b"In-Reply-To: <m1@example.org> (sent)\r\n\r\n")

    assert headers.parents == ("<m1@example.org>",)
    assert headers.message_id == ""


@pytest.mark.parametrize(
    ("subject", "base"),
    [
        ("Re: Sortie scolaire", "sortie scolaire"),
        ("RE: Fwd: [liste] Sortie  scolaire (fwd)", "sortie scolaire"),
        ("TR: Conseil de classe", "conseil de classe"),
        ("", ""),
    ],
)
def test_base_subjects(subject, base):
    assert base_subject(subject) == base
