"""The snooze menu's times, in the user's time zone, summer time included."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mailbox.snooze_times import is_acceptable, preset_times

PARIS = ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("now", "later_today", "tomorrow", "next_week"),
    [
        # Tuesday afternoon: 17:20 → 18:00; Monday next week.
        (
            paris(2026, 11, 24, 14, 20),
            paris(2026, 11, 24, 18),
            paris(2026, 11, 25, 8),
            paris(2026, 11, 30, 8),
        ),
        # On the hour exactly: three hours on, no rounding.
        (
            paris(2026, 11, 24, 9, 0),
            paris(2026, 11, 24, 12),
            paris(2026, 11, 25, 8),
            paris(2026, 11, 30, 8),
        ),
        # Monday: next Monday is a week on, not today.
        (
            paris(2026, 11, 30, 7, 0),
            paris(2026, 11, 30, 10),
            paris(2026, 12, 1, 8),
            paris(2026, 12, 7, 8),
        ),
        # Sunday: next Monday is tomorrow.
        (
            paris(2026, 11, 29, 10, 0),
            paris(2026, 11, 29, 13),
            paris(2026, 11, 30, 8),
            paris(2026, 11, 30, 8),
        ),
        # Saturday 29 March 2026 → summer time on Sunday: 08:00 is still 08:00 local.
        (paris(2026, 3, 28, 23, 30), None, paris(2026, 3, 29, 8), paris(2026, 3, 30, 8)),
    ],
)
def test_presets(now, later_today, tomorrow, next_week):
    presets = preset_times(now)

    assert presets.get("later_today") == later_today
    assert presets["tomorrow"] == tomorrow
    assert presets["next_week"] == next_week


def test_later_today_counts_real_hours_across_the_summer_time_change():
    # 00:30 on the night the clocks go forward (02:00 → 03:00): three real hours is 04:30,
    # so the next full hour is 05:00 local.
    presets = preset_times(paris(2026, 3, 29, 0, 30))

    assert presets["later_today"] == paris(2026, 3, 29, 5)
    assert presets["tomorrow"].utcoffset().total_seconds() == 2 * 3600


@pytest.mark.parametrize(
    ("until", "acceptable"),
    [
        (paris(2026, 7, 1, 9, 1), True),
        (paris(2026, 7, 1, 9, 0), False),  # now: not in the future
        (paris(2026, 6, 30, 9, 0), False),
        (paris(2027, 7, 1, 9, 0), True),
        (paris(2027, 7, 3, 9, 0), False),  # more than a year on
    ],
)
def test_only_future_times_within_a_year_are_accepted(until, acceptable):
    assert is_acceptable(until, paris(2026, 7, 1, 9)) is acceptable
