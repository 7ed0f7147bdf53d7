"""Range headers of download managers and browsers resuming a large download."""

import pytest

from mailbox.byte_ranges import RangeNotSatisfiable, byte_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", None),
        ("bytes=0-", (0, 999)),
        ("bytes=500-", (500, 999)),
        ("bytes=0-99", (0, 99)),
        ("bytes=900-5000", (900, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=-5000", (0, 999)),
        ("Bytes = 10 - 19", (10, 19)),
        ("bytes=0-9,20-29", None),  # several ranges: the whole file instead
        ("bytes=9-0", None),
        ("bytes=-", None),
        ("items=0-9", None),
        ("bytes=abc", None),
    ],
)
def test_byte_range(header, expected):
    assert byte_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_ranges_past_the_end_are_not_satisfiable(header):
    with pytest.raises(RangeNotSatisfiable):
        byte_range(header, 1000)
