"""Pure: where an opened message stands in the list the user came from, and the
messages above and below it there, for the message page's previous/next links.

A list is a sequence of rows, each row the UIDs it stands for: one UID in a plain list,
a conversation's UIDs (oldest first) in the conversation view, where a row links to its
latest message. Callers usually hold only a window of the list around the position the
link carried; a window that cannot tell both neighbours answers None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Neighbours:
    """The message's row, from 0, and the UIDs the rows above and below open."""

    position: int
    previous: int | None
    next: int | None

    def after_removal(self) -> tuple[int, int] | None:
        """(UID, position) to open once this message left the list: the next row, which
        moves up into this position, or else the previous one. None if it was alone."""
        if self.next is not None:
            return self.next, self.position
        if self.previous is not None:
            return self.previous, self.position - 1
        return None


def locate(
    rows: Sequence[Sequence[int]], uid: int, start: int = 0, total: int | None = None
) -> Neighbours | None:
    """The neighbours of the row holding uid in rows, the window of the list that starts
    at position start (of total rows; None: rows is the whole rest of the list).

    None when uid is in no row, or when it is in the window's first or last row while
    the list goes on beyond the window (that neighbour is not known).
    """
    index = next((i for i, row in enumerate(rows) if uid in row), None)
    if index is None:
        return None
    total = start + len(rows) if total is None else total
    if (index == 0 and start > 0) or (index == len(rows) - 1 and start + len(rows) < total):
        return None
    previous = rows[index - 1][-1] if index > 0 else None
    following = rows[index + 1][-1] if index + 1 < len(rows) else None
    return Neighbours(start + index, previous, following)


def page_of(position: int, page_size: int) -> int:
    """The list page (from 1) that shows the row at position (from 0)."""
    return position // page_size + 1
