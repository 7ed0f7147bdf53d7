"""Events and their occurrences: recurrence rules, exceptions and daylight-saving changes."""

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from calendar_app.events import (
    EventFields,
    InvalidCalendar,
    OccurrenceNotFound,
    Recurrence,
    delete_occurrence,
    fields_of,
    new_event,
    new_task,
    occurrences,
    parse,
    set_task_done,
    split_series,
    tasks_in,
    truncate_series,
    update_event,
    update_occurrence,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
CORPUS = Path(
    os.environ.get("CORPUS_DIR", Path(__file__).resolve().parents[3] / "shared" / "corpus")
)
CALENDAR_FILES = sorted(path for path in (CORPUS / "ical").rglob("*") if path.is_file())


def paris(*args):
    return dt.datetime(*args, tzinfo=PARIS)


def expand(data, first, last):
    """Occurrences from the `first` day to the `last` day included, in Paris time."""
    return occurrences(data, paris(*first), paris(*last) + dt.timedelta(days=1), PARIS)


def weekly_meeting(**recurrence):
    fields = EventFields(
        summary="Conseil pédagogique",
        start=paris(2026, 3, 5, 9, 0),
        end=paris(2026, 3, 5, 10, 0),
        recurrence=Recurrence(freq="WEEKLY", **recurrence),
    )
    return new_event(fields, "meeting@test", NOW)


def starts(found):
    return [o.start.strftime("%Y-%m-%d %H:%M %Z") for o in found]


def test_a_single_event_has_one_occurrence_with_its_details():
    fields = EventFields(
        summary="Réunion parents-profs",
        location="Salle 12",
        description="Ordre du jour en pièce jointe",
        start=paris(2026, 2, 10, 17, 30),
        end=paris(2026, 2, 10, 19, 0),
        busy=False,
        reminders=(15, 60),
    )
    [occurrence] = expand(new_event(fields, "u1", NOW), (2026, 2, 1), (2026, 2, 28))

    assert occurrence.summary == "Réunion parents-profs"
    assert occurrence.location == "Salle 12"
    assert occurrence.start == paris(2026, 2, 10, 17, 30)
    assert occurrence.end == paris(2026, 2, 10, 19, 0)
    assert not occurrence.busy
    assert not occurrence.recurring
    assert occurrence.reminders == (15, 60)


def test_weekly_at_nine_stays_at_nine_paris_time_across_both_dst_changes():
    spring = expand(weekly_meeting(), (2026, 3, 20), (2026, 4, 5))
    autumn = expand(weekly_meeting(), (2026, 10, 20), (2026, 11, 4))

    assert starts(spring) == ["2026-03-26 09:00 CET", "2026-04-02 09:00 CEST"]
    assert starts(autumn) == ["2026-10-22 09:00 CEST", "2026-10-29 09:00 CET"]
    # the same local hour is a different UTC hour on either side of the change
    assert spring[0].start.astimezone(dt.UTC).hour == 8
    assert spring[1].start.astimezone(dt.UTC).hour == 7


def test_daily_with_interval_and_count():
    fields = EventFields(
        summary="Surveillance",
        start=paris(2026, 3, 27, 12, 0),
        end=paris(2026, 3, 27, 13, 0),
        recurrence=Recurrence(freq="DAILY", interval=2, count=3),
    )
    found = expand(new_event(fields, "d", NOW), (2026, 3, 1), (2026, 4, 30))

    assert starts(found) == [
        "2026-03-27 12:00 CET",
        "2026-03-29 12:00 CEST",
        "2026-03-31 12:00 CEST",
    ]


def test_weekly_on_chosen_days_until_a_date_includes_that_day():
    data = weekly_meeting(weekdays=("MO", "TH"), until=dt.date(2026, 3, 16))

    found = expand(data, (2026, 3, 1), (2026, 4, 30))

    assert [o.start.date().isoformat() for o in found] == [
        "2026-03-05",
        "2026-03-09",
        "2026-03-12",
        "2026-03-16",
    ]


def test_monthly_by_date_and_by_second_tuesday():
    by_date = EventFields(
        summary="Paie",
        start=paris(2026, 1, 13, 10, 0),
        end=paris(2026, 1, 13, 11, 0),
        recurrence=Recurrence(freq="MONTHLY", count=3),
    )
    second_tuesday = EventFields(
        summary="Conseil d'administration",
        start=paris(2026, 1, 13, 18, 0),  # the second Tuesday of January 2026
        end=paris(2026, 1, 13, 20, 0),
        recurrence=Recurrence(freq="MONTHLY", monthly_by_weekday=True, count=3),
    )

    dates = expand(new_event(by_date, "m1", NOW), (2026, 1, 1), (2026, 6, 30))
    tuesdays = expand(new_event(second_tuesday, "m2", NOW), (2026, 1, 1), (2026, 6, 30))

    assert [o.start.day for o in dates] == [13, 13, 13]
    assert [o.start.date().isoformat() for o in tuesdays] == [
        "2026-01-13",
        "2026-02-10",
        "2026-03-10",
    ]
    assert "BYDAY=2TU" in new_event(second_tuesday, "m2", NOW).decode()


def test_yearly_all_day_event_covers_its_days():
    fields = EventFields(
        summary="Vacances de printemps",
        start=dt.date(2026, 4, 18),
        end=dt.date(2026, 5, 3),
        all_day=True,
        recurrence=Recurrence(freq="YEARLY", count=2),
    )
    found = expand(new_event(fields, "y", NOW), (2026, 1, 1), (2027, 12, 31))

    assert [(o.first_day.isoformat(), o.last_day.isoformat()) for o in found] == [
        ("2026-04-18", "2026-05-03"),
        ("2027-04-18", "2027-05-03"),
    ]
    assert all(o.all_day for o in found)


def test_edit_one_occurrence_and_delete_another():
    data = weekly_meeting(count=4)  # 5, 12, 19, 26 March
    found = expand(data, (2026, 3, 1), (2026, 3, 31))
    second, third = found[1], found[2]
    moved = EventFields(
        summary="Conseil pédagogique (salle B)",
        start=paris(2026, 3, 13, 14, 0),
        end=paris(2026, 3, 13, 15, 0),
    )

    data = update_occurrence(data, "meeting@test", second.recurrence_key, moved, PARIS, NOW)
    data = delete_occurrence(data, "meeting@test", third.recurrence_key, PARIS)
    found = expand(data, (2026, 3, 1), (2026, 3, 31))

    assert [(o.start.strftime("%d %H:%M"), o.summary) for o in found] == [
        ("05 09:00", "Conseil pédagogique"),
        ("13 14:00", "Conseil pédagogique (salle B)"),
        ("26 09:00", "Conseil pédagogique"),
    ]
    # the moved occurrence keeps its name, so it can be opened and edited again
    assert found[1].recurrence_key == second.recurrence_key
    assert fields_of(data, "meeting@test", second.recurrence_key, PARIS).summary == moved.summary


def test_deleting_an_edited_occurrence_removes_the_edit_too():
    data = weekly_meeting(count=3)
    key = expand(data, (2026, 3, 1), (2026, 3, 31))[1].recurrence_key
    edit = EventFields(summary="Moved", start=paris(2026, 3, 12, 15), end=paris(2026, 3, 12, 16))
    data = update_occurrence(data, "meeting@test", key, edit, PARIS, NOW)

    data = delete_occurrence(data, "meeting@test", key, PARIS)

    assert [o.summary for o in expand(data, (2026, 3, 1), (2026, 3, 31))] == [
        "Conseil pédagogique",
        "Conseil pédagogique",
    ]


def test_an_occurrence_the_rule_never_produces_is_refused():
    data = weekly_meeting(count=3)
    with pytest.raises(OccurrenceNotFound):
        delete_occurrence(data, "meeting@test", "20260306T080000Z", PARIS)


def test_this_and_following_splits_the_series_at_the_chosen_date():
    data = weekly_meeting(count=6)  # 5 March .. 9 April, crossing the spring change
    keys = [o.recurrence_key for o in expand(data, (2026, 3, 1), (2026, 4, 30))]
    data = delete_occurrence(data, "meeting@test", keys[4], PARIS)  # 2 April, after the cut

    old, new = split_series(data, "meeting@test", keys[2], "meeting-2@test", PARIS)
    later = fields_of(new, "meeting-2@test", "", PARIS)
    new = update_event(
        new,
        "meeting-2@test",
        EventFields(
            summary="Conseil (nouvel horaire)",
            start=later.start.replace(hour=10),
            end=later.end.replace(hour=11),
            recurrence=later.recurrence,
        ),
        NOW,
    )

    before = expand(old, (2026, 3, 1), (2026, 4, 30))
    after = expand(new, (2026, 3, 1), (2026, 4, 30))
    assert starts(before) == ["2026-03-05 09:00 CET", "2026-03-12 09:00 CET"]
    assert starts(after) == [
        "2026-03-19 10:00 CET",
        "2026-03-26 10:00 CET",
        "2026-04-02 10:00 CEST",
        "2026-04-09 10:00 CEST",
    ]
    assert {o.uid for o in after} == {"meeting-2@test"}


def test_this_and_following_keeps_later_exceptions_when_the_time_is_unchanged():
    data = weekly_meeting(until=dt.date(2026, 4, 30))
    keys = [o.recurrence_key for o in expand(data, (2026, 3, 1), (2026, 4, 30))]
    data = delete_occurrence(data, "meeting@test", keys[5], PARIS)  # 9 April

    _old, new = split_series(data, "meeting@test", keys[2], "m2", PARIS)

    after = expand(new, (2026, 3, 1), (2026, 4, 30))
    assert "2026-04-09" not in [o.start.date().isoformat() for o in after]
    assert after[0].start == paris(2026, 3, 19, 9, 0)


def test_deleting_this_and_following_from_the_first_leaves_nothing():
    data = weekly_meeting(count=3)
    keys = [o.recurrence_key for o in expand(data, (2026, 3, 1), (2026, 3, 31))]

    assert truncate_series(data, "meeting@test", keys[0], PARIS) is None
    remaining = truncate_series(data, "meeting@test", keys[1], PARIS)
    assert len(expand(remaining, (2026, 3, 1), (2026, 3, 31))) == 1


def test_the_form_reads_back_the_rule():
    data = weekly_meeting(weekdays=("MO", "TH"), interval=2, until=dt.date(2026, 6, 30))

    fields = fields_of(data, "meeting@test", "", PARIS)

    assert fields.recurrence == Recurrence(
        freq="WEEKLY", interval=2, weekdays=("MO", "TH"), until=dt.date(2026, 6, 30)
    )
    assert fields.start == paris(2026, 3, 5, 9, 0)


def test_garbage_is_reported_as_invalid_calendar():
    with pytest.raises(InvalidCalendar):
        occurrences(b"BEGIN:VCALENDAR\r\nnot ical", paris(2026, 1, 1), paris(2026, 2, 1), PARIS)


@pytest.mark.skipif(
    not CALENDAR_FILES, reason=f"the shared iCalendar corpus is absent ({CORPUS}/ical)"
)
@pytest.mark.parametrize("path", CALENDAR_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_calendar_expands_or_is_reported_invalid(path):
    """Never a crash: the occurrences in the year from the file's first event, or
    InvalidCalendar with a reason."""
    try:
        calendar = parse(path.read_bytes())
        first = _first_start(calendar)
        found = occurrences(
            calendar, first - dt.timedelta(days=1), first + dt.timedelta(days=366), PARIS
        )
    except InvalidCalendar as exc:
        assert str(exc)  # noqa: PT017 - every corpus file is tried; bad ones must say why
        return
    for occurrence in found:
        assert occurrence.end >= occurrence.start


def _first_start(calendar):
    """Where to look: the first readable DTSTART (broken ones are the module's problem)."""
    moments = []
    for component in calendar.walk("VEVENT"):
        try:
            moments.append(_as_moment(component["DTSTART"].dt))
        except Exception:  # noqa: BLE001, S112 - a broken DTSTART, a repeated DTSTART
            continue
    return min(moments, default=paris(2026, 1, 1))


def _as_moment(value):
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=PARIS)
    return dt.datetime.combine(value, dt.time.min, tzinfo=PARIS)


def test_a_task_is_created_ticked_and_unticked():
    data = new_task("Saisir les notes", dt.date(2026, 3, 20), 1, "t1", NOW)
    [task] = tasks_in(data)
    done = set_task_done(data, "t1", True, NOW)
    undone = set_task_done(done, "t1", False, NOW)

    assert (task.summary, task.due, task.priority, task.done) == (
        "Saisir les notes",
        dt.date(2026, 3, 20),
        1,
        False,
    )
    assert tasks_in(done)[0].done
    assert b"PERCENT-COMPLETE:100" in done
    assert not tasks_in(undone)[0].done
