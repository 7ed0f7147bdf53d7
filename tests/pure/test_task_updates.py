"""Editing a task's fields keeps what other apps wrote and stays valid iCalendar."""

import datetime as dt

import pytest

from calendar_app.events import InvalidCalendar, Task, new_task, tasks_in, update_task

NOW = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)

STARTED = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Apple Inc.//iOS 17//EN
BEGIN:VTODO
UID:ios-1
SUMMARY:Commander les manuels
DTSTART:20260315T090000Z
DUE;VALUE=DATE:20260320
STATUS:COMPLETED
COMPLETED:20260301T080000Z
X-APPLE-SORT-ORDER:12
END:VTODO
END:VCALENDAR
"""


@pytest.mark.parametrize(
    ("due", "priority", "description"),
    [(dt.date(2026, 4, 1), 1, "Avec la facture"), (None, 0, "")],
)
def test_the_new_fields_replace_the_old_ones(due, priority, description):
    data = new_task("Old", dt.date(2026, 3, 20), 5, "t-1", NOW)

    edited = update_task(data, Task("t-1", "New", due, priority, description=description), NOW)

    [task] = tasks_in(edited)
    assert (task.summary, task.due, task.priority, task.description) == (
        "New",
        due,
        priority,
        description,
    )


def test_the_done_state_and_other_apps_properties_stay():
    edited = update_task(STARTED, Task("ios-1", "Commander", dt.date(2026, 3, 25)), NOW)

    [task] = tasks_in(edited)
    assert task.done
    assert b"X-APPLE-SORT-ORDER:12" in edited
    assert b"SEQUENCE:1" in edited


def test_a_due_date_before_the_start_drops_the_start():
    edited = update_task(STARTED, Task("ios-1", "Commander", dt.date(2026, 3, 10)), NOW)

    assert b"DTSTART" not in edited
    assert tasks_in(edited)[0].due == dt.date(2026, 3, 10)


def test_an_unknown_task_is_an_invalid_calendar():
    with pytest.raises(InvalidCalendar):
        update_task(STARTED, Task("other", "x"), NOW)
