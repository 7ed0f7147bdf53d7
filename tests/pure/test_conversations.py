"""Grouping IMAP THREAD answers into the conversation rows of the list."""

import pytest

from mailbox.threads import Conversation, arrival_ranking, flatten_thread, group_conversations


@pytest.mark.parametrize(
    ("thread", "uids"),
    [
        (7, [7]),
        ((3,), [3]),
        ((1, 2, (3,), (4, 5)), [1, 2, 3, 4, 5]),
        ((1, ((2, 6), (3, (4,))), 5), [1, 2, 6, 3, 4, 5]),  # a reply tree, depth first
    ],
)
def test_a_thread_flattens_to_its_uids(thread, uids):
    assert flatten_thread(thread) == uids


def test_conversations_come_in_the_order_of_their_newest_arrival():
    threads = [[1, 4], [2], [3, 5, 9], [6]]

    grouped = group_conversations(threads, arrival_ranking([1, 2, 3, 4, 5, 6, 9]))

    assert [c.uids for c in grouped] == [(3, 5, 9), (6,), (1, 4), (2,)]
    assert [c.latest_uid for c in grouped] == [9, 6, 4, 2]


def test_oldest_first_places_a_conversation_at_its_first_message():
    threads = [[2, 8], [1, 3], [5]]

    grouped = group_conversations(threads, arrival_ranking([1, 2, 3, 5, 8], newest_first=False))

    assert [c.uids for c in grouped] == [(1, 3), (2, 8), (5,)]


def test_a_sorted_order_places_a_conversation_where_its_best_message_stands():
    # e.g. by date, newest first: message 2 was sent last, 7 first.
    ranking = [2, 5, 1, 9, 7]
    threads = [[1, 7], [5, 9], [2]]

    grouped = group_conversations(threads, ranking)

    assert [c.uids for c in grouped] == [(2,), (5, 9), (1, 7)]


def test_a_message_newer_than_the_ranking_counts_as_first():
    grouped = group_conversations([[1], [2, 10]], ranking=[2, 1])

    assert [c.uids for c in grouped] == [(2, 10), (1,)]


def test_empty_threads_and_repeated_uids_are_dropped():
    grouped = group_conversations([[], [3, 3, 1]], ranking=[3, 1])

    assert [c.uids for c in grouped] == [(1, 3)]


def test_a_conversation_is_unread_if_any_message_is():
    conversation = Conversation((1, 2, 3))

    assert conversation.unseen_count({2, 7}) == 1  # 7: unread, in another conversation
    assert conversation.unseen_count(set()) == 0
