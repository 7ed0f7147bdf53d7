"""Folding arrivals into a cached sorted list gives what a SORT of the whole folder
gives: checked against Python's sort standing in for the server's comparisons, on lists
with ties (broken by UID, as RFC 5256 breaks them by mailbox order)."""

import random

import pytest

from mailbox.sort_merge import (
    fence_posts,
    fence_step,
    merge,
    place_in_gaps,
    second_sort_uids,
)


def server_sort(uids, keys):
    """What UID SORT answers for these UIDs: by key, ties by mailbox (UID) order."""
    return sorted(uids, key=lambda uid: (keys[uid], uid))


def fold_in(old, new, keys):
    step = fence_step(len(old))
    fences = fence_posts(old, step)
    gaps = place_in_gaps(fences, server_sort(fences + new, keys), set(new))
    covered = second_sort_uids(old, step, gaps)
    return merge(old, step, gaps, server_sort(covered, keys)), len(fences), len(covered)


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize(
    ("old_count", "new_count"), [(0, 3), (1, 1), (10, 1), (200, 7), (1000, 30)]
)
def test_folding_arrivals_in_equals_sorting_everything(seed, old_count, new_count):
    rng = random.Random(seed)
    keys = {
        uid: rng.randrange(max(2, old_count // 3)) for uid in range(1, old_count + new_count + 1)
    }
    old = server_sort(range(1, old_count + 1), keys)
    new = list(range(old_count + 1, old_count + new_count + 1))

    merged, _, _ = fold_in(old, new, keys)

    assert merged == server_sort(keys, keys)


def test_new_mail_that_sorts_last_or_first_lands_at_the_ends():
    keys = {1: "b", 2: "c", 3: "d", 4: "a", 5: "z"}
    old = server_sort([1, 2, 3], keys)

    merged, _, _ = fold_in(old, [4, 5], keys)

    assert merged == [4, 1, 2, 3, 5]


def test_the_server_sorts_a_few_hundred_messages_not_the_whole_folder():
    keys = {uid: uid * 7919 % 100_000 for uid in range(1, 100_006)}
    old = server_sort(range(1, 100_001), keys)

    merged, fences, covered = fold_in(old, list(range(100_001, 100_006)), keys)

    assert merged == server_sort(keys, keys)
    assert fences + covered < 2_000
