"""The previous/next messages of an opened message, from a window of its list."""

import pytest

from mailbox.list_positions import Neighbours, locate, page_of

PLAIN = [(9,), (7,), (5,), (3,), (1,)]  # newest first
CONVERSATIONS = [(4, 9), (7,), (1, 3, 5)]  # each row opens its latest message


@pytest.mark.parametrize(
    ("rows", "uid", "start", "total", "expected"),
    [
        (PLAIN, 5, 0, None, Neighbours(2, 7, 3)),
        (PLAIN, 9, 0, None, Neighbours(0, None, 7)),
        (PLAIN, 1, 0, None, Neighbours(4, 3, None)),
        (PLAIN[1:4], 5, 1, 5, Neighbours(2, 7, 3)),  # the window around position 2
        (PLAIN[2:5], 1, 2, 5, Neighbours(4, 3, None)),  # a window at the list's end
        (PLAIN[1:4], 7, 1, 5, None),  # first row of a window: the one above is unknown
        (PLAIN[1:4], 3, 1, 5, None),  # last row of a window that the list goes past
        (PLAIN, 8, 0, None, None),  # not in the list (any more)
        (CONVERSATIONS, 7, 0, None, Neighbours(1, 9, 5)),
        (CONVERSATIONS, 3, 0, None, Neighbours(2, 7, None)),  # an older message of a row
        ([(6,)], 6, 0, None, Neighbours(0, None, None)),
    ],
)
def test_locate_finds_the_row_and_the_messages_around_it(rows, uid, start, total, expected):
    assert locate(rows, uid, start, total) == expected


@pytest.mark.parametrize(
    ("neighbours", "expected"),
    [
        (Neighbours(2, 7, 3), (3, 2)),  # the next row moves up into the same position
        (Neighbours(4, 3, None), (3, 3)),  # the last row: back to the one above
        (Neighbours(0, None, None), None),  # alone in the list: back to the list
    ],
)
def test_after_removal_opens_the_row_that_takes_its_place(neighbours, expected):
    assert neighbours.after_removal() == expected


@pytest.mark.parametrize(("position", "expected"), [(0, 1), (49, 1), (50, 2), (120, 3)])
def test_page_of_a_position(position, expected):
    assert page_of(position, 50) == expected
