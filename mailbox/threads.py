"""Pure: conversations from an IMAP THREAD answer, in the order the user chose.

No I/O: the IMAP service hands over plain nested tuples of UIDs, the listing service
hands back the conversations of one page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Conversation:
    """The UIDs of one conversation, oldest arrival first."""

    uids: tuple[int, ...]

    @property
    def latest_uid(self) -> int:
        """The message the conversation's row shows: the last one to arrive."""
        return self.uids[-1]

    def unseen_count(self, unseen: set[int]) -> int:
        """How many of its messages are among the unseen UIDs of the folder."""
        return sum(1 for uid in self.uids if uid in unseen)


def flatten_thread(thread: int | Iterable) -> list[int]:
    """The UIDs of one THREAD answer's nested tuple: (1, 2, (3,), (4, 5)) -> [1, 2, 3, 4, 5]."""
    if isinstance(thread, int):
        return [thread]
    return [uid for item in thread for uid in flatten_thread(item)]


def group_conversations(
    threads: Iterable[Sequence[int]], ranking: Sequence[int]
) -> list[Conversation]:
    """Conversations in list order: each placed where its best-placed message stands in
    ranking (every UID of the folder in the user's order, first row first).

    A UID that ranking lacks (it arrived after the sort) counts as placed first, as new
    mail would be; ties keep ranking's order of their latest message.
    """
    position = {uid: index for index, uid in enumerate(ranking)}
    conversations = [Conversation(tuple(sorted(set(uids)))) for uids in threads if uids]

    def place(conversation: Conversation) -> tuple[int, int]:
        best = min(position.get(uid, -1) for uid in conversation.uids)
        return best, position.get(conversation.latest_uid, -1)

    return sorted(conversations, key=place)


def arrival_ranking(uids: Iterable[int], newest_first: bool = True) -> list[int]:
    """Every UID in arrival order (UIDs grow with arrival), newest first by default."""
    return sorted(uids, reverse=newest_first)
