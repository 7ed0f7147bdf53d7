"""Tasks (VTODO) beside the calendar, stored on the real Radicale."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse

from calendar_app.services import dav

PARIS = ZoneInfo("Europe/Paris")


def month(client):
    return client.get(
        reverse("calendar_app:view", kwargs={"view": "month", "date": "2026-03-10"})
    ).content.decode()


def test_add_a_task_then_tick_it_done(logged_in_client, account, personal_calendar):
    added = logged_in_client.post(
        reverse("calendar_app:task-new"),
        {
            "calendar": personal_calendar.id,
            "summary": "Saisir les notes du trimestre",
            "due": "2026-03-20",
            "priority": "1",
        },
    )
    with dav.session_for(account.mail_account) as session:
        [task] = session.tasks(session.list_calendars())
    page = month(logged_in_client)

    assert added.status_code == 302
    assert (task.summary, task.due, task.priority, task.done) == (
        "Saisir les notes du trimestre",
        dt.date(2026, 3, 20),
        1,
        False,
    )
    assert "Saisir les notes du trimestre" in page
    assert 'datetime="2026-03-20"' in page

    logged_in_client.post(
        reverse("calendar_app:task-done", args=[personal_calendar.id, task.uid]), {"done": "on"}
    )
    with dav.session_for(account.mail_account) as session:
        [done] = session.tasks(session.list_calendars())
        stored = session.get_event(personal_calendar.id, task.uid).data.decode()

    assert done.done
    assert "STATUS:COMPLETED" in stored
    assert 'class="is-done"' in month(logged_in_client)


def test_a_task_without_a_title_is_refused_with_a_message(logged_in_client, personal_calendar):
    response = logged_in_client.post(
        reverse("calendar_app:task-new"),
        {"calendar": personal_calendar.id, "summary": ""},
        follow=True,
    )

    assert "A task needs a title" in response.content.decode()


def test_tasks_do_not_appear_as_events(logged_in_client, personal_calendar):
    logged_in_client.post(
        reverse("calendar_app:task-new"),
        {"calendar": personal_calendar.id, "summary": "Rendre les copies", "due": "2026-03-11"},
    )
    page = month(logged_in_client)
    assert page.count("Rendre les copies") == 1  # in the task list, not in the grid
