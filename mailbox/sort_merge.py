"""Pure: fold newly arrived messages into a folder's cached sorted UID list, with two
small SORTs on the server instead of a SORT of the whole folder.

The server compares; we only place. A SORT of any subset of the folder orders it as the
SORT of the whole folder does (RFC 5256 breaks ties by mailbox order, so the order is a
total one and consistent across subsets). So:

1. "fence posts", every step-th UID of the old list, are sorted with the new UIDs: each
   new UID lands in the gap after one fence post (or before the first);
2. the old UIDs of the gaps that received new ones are sorted with the new UIDs: within
   each such gap, that order is the final one. Untouched gaps keep their cached order.

With step = sqrt(n), both SORTs cover about sqrt(n) UIDs per touched gap: a few hundred
messages for a folder of 100,000, instead of all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import isqrt

BEFORE_FIRST = -1  # the gap before the first fence post


def fence_step(old_count: int) -> int:
    """How many old UIDs lie between two fence posts."""
    return max(1, isqrt(old_count))


def fence_posts(old: Sequence[int], step: int) -> list[int]:
    return list(old[::step])


def place_in_gaps(
    fences: Sequence[int], first_sort: Sequence[int], new: set[int]
) -> dict[int, list[int]]:
    """{gap: new UIDs} from the server's order of fences + new UIDs; gap i lies after
    fence post i, BEFORE_FIRST before them all."""
    index = {uid: i for i, uid in enumerate(fences)}
    gaps: dict[int, list[int]] = {}
    gap = BEFORE_FIRST
    for uid in first_sort:
        if uid in index:
            gap = index[uid]
        elif uid in new:
            gaps.setdefault(gap, []).append(uid)
    return gaps


def gap_members(old: Sequence[int], step: int, gap: int) -> list[int]:
    """The old UIDs of a gap: fence post gap and those after it, up to the next one."""
    return [] if gap == BEFORE_FIRST else list(old[gap * step : (gap + 1) * step])


def merge(
    old: Sequence[int], step: int, gaps: dict[int, list[int]], second_sort: Sequence[int]
) -> list[int]:
    """The new sorted list: each touched gap, old and new UIDs, in the server's order of
    second_sort (a SORT of the touched gaps' old UIDs and all new UIDs); the rest as is.
    """
    position = {uid: i for i, uid in enumerate(second_sort)}
    merged = sorted(gaps.get(BEFORE_FIRST, []), key=position.__getitem__)
    for gap in range(0, (len(old) + step - 1) // step):
        members = gap_members(old, step, gap)
        if gap in gaps:
            members = sorted(members + gaps[gap], key=position.__getitem__)
        merged.extend(members)
    return merged


def second_sort_uids(old: Sequence[int], step: int, gaps: dict[int, list[int]]) -> list[int]:
    """What the second SORT covers: the touched gaps' old UIDs and every new UID."""
    uids = [uid for gap in sorted(gaps) for uid in gap_members(old, step, gap)]
    return uids + [uid for news in gaps.values() for uid in news]
