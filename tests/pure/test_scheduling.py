"""Working hours and the next working morning, for 'deliver at the next working morning'."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mailbox.scheduling import is_working_time, next_working_morning

PARIS = ZoneInfo("Europe/Paris")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        ("2026-11-23 10:00", True),  # Monday morning
        ("2026-11-23 07:59", False),
        ("2026-11-23 19:00", False),
        ("2026-11-27 18:59", True),  # Friday
        ("2026-11-28 10:00", False),  # Saturday
        ("2026-11-29 10:00", False),  # Sunday
    ],
)
def test_working_time(moment, working):
    assert is_working_time(at(moment), 8, 19) is working


@pytest.mark.parametrize(
    ("moment", "morning"),
    [
        ("2026-11-23 21:30", "2026-11-24 08:00"),  # Monday evening -> Tuesday
        ("2026-11-24 06:15", "2026-11-24 08:00"),  # early Tuesday -> the same day
        ("2026-11-27 20:00", "2026-11-30 08:00"),  # Friday evening -> Monday
        ("2026-11-28 11:00", "2026-11-30 08:00"),  # Saturday -> Monday
        ("2026-11-29 07:00", "2026-11-30 08:00"),  # Sunday early -> Monday
        ("2026-03-28 22:00", "2026-03-30 08:00"),  # over the change to summer time
    ],
)
def test_next_working_morning(moment, morning):
    found = next_working_morning(at(moment), 8)
    assert found == at(morning)
    assert found.utcoffset() == at(morning).utcoffset()
