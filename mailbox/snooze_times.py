"""When a snoozed message comes back: the menu's presets and the chosen date and time.

Pure: `now` is an aware datetime in the user's time zone, and so is every result, so
"tomorrow morning" means 08:00 where the user is, summer time or not.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

MORNING = time(8, 0)
# "Later today" is three hours on, at the next full hour.
LATER_TODAY_HOURS = 3
LONGEST_SNOOZE = timedelta(days=366)


def preset_times(now: datetime) -> dict[str, datetime]:
    """{"later_today", "tomorrow", "next_week"} → wake-up time; "later_today" is left out
    when three hours on is already tomorrow."""
    presets = {}
    later = _after(now, timedelta(hours=LATER_TODAY_HOURS))
    if later.minute or later.second or later.microsecond:
        later = _after(later.replace(minute=0, second=0, microsecond=0), timedelta(hours=1))
    if later.date() == now.date():
        presets["later_today"] = later
    presets["tomorrow"] = _morning(now, 1)
    # The next Monday after today: a week on when today is Monday.
    presets["next_week"] = _morning(now, 7 - now.weekday())
    return presets


def is_acceptable(until: datetime, now: datetime) -> bool:
    """In the future, and within about a year."""
    return now < until <= now + LONGEST_SNOOZE


def _morning(now: datetime, days: int) -> datetime:
    return datetime.combine(now.date() + timedelta(days=days), MORNING, tzinfo=now.tzinfo)


def _after(moment: datetime, delta: timedelta) -> datetime:
    """moment + delta in real time (across a summer-time change too), in moment's zone."""
    return (moment.astimezone(UTC) + delta).astimezone(moment.tzinfo)
