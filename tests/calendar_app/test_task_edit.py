"""Editing and deleting a task (VTODO) from the task list, on the real Radicale."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from calendar_app.services import dav

THUNDERBIRD_TASK = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
BEGIN:VTODO
UID:tb-task@example.org
SUMMARY:Préparer le conseil
DUE;VALUE=DATE:20260320
PRIORITY:3
CATEGORIES:Collège
BEGIN:VALARM
ACTION:DISPLAY
TRIGGER:-PT1H
DESCRIPTION:Préparer le conseil
END:VALARM
END:VTODO
END:VCALENDAR
"""


@pytest.fixture
def task(account, personal_calendar):
    """A task written by Thunderbird, with fields the page does not show."""
    with dav.session_for(account.mail_account) as session:
        session.create_event(personal_calendar.id, "tb-task@example.org", THUNDERBIRD_TASK.encode())
    return "tb-task@example.org"


def edit_url(calendar_id, uid):
    return reverse("calendar_app:task-edit", args=[calendar_id, uid])


def delete_url(calendar_id, uid):
    return reverse("calendar_app:task-delete", args=[calendar_id, uid])


def etag_in(page: str) -> str:
    return html.unescape(re.search(r'name="etag" value="([^"]*)"', page).group(1))


def stored_tasks(account):
    with dav.session_for(account.mail_account) as session:
        return session.tasks(session.list_calendars())


def month(client):
    url = reverse("calendar_app:view", kwargs={"view": "month", "date": "2026-03-10"})
    return client.get(url).content.decode()


def test_the_task_list_links_to_the_edit_form_filled_with_the_task(
    logged_in_client, personal_calendar, task
):
    assert edit_url(personal_calendar.id, task) in month(logged_in_client)

    page = logged_in_client.get(edit_url(personal_calendar.id, task)).content.decode()

    assert 'value="Préparer le conseil"' in page
    assert 'value="2026-03-20"' in page
    assert '<option value="1" selected>' in page  # Thunderbird's 3 is "High" here


def test_editing_changes_the_fields_and_keeps_what_other_apps_wrote(
    logged_in_client, account, personal_calendar, task
):
    page = logged_in_client.get(edit_url(personal_calendar.id, task)).content.decode()

    saved = logged_in_client.post(
        edit_url(personal_calendar.id, task),
        {
            "summary": "Préparer le conseil de classe",
            "due": "2026-03-27",
            "priority": "9",
            "description": "Relire les appréciations",
            "etag": etag_in(page),
        },
    )

    assert saved.status_code == 302
    [stored] = stored_tasks(account)
    assert (stored.summary, stored.due, stored.priority, stored.description) == (
        "Préparer le conseil de classe",
        dt.date(2026, 3, 27),
        9,
        "Relire les appréciations",
    )
    with dav.session_for(account.mail_account) as session:
        data = session.get_event(personal_calendar.id, task).data.decode()
    assert "CATEGORIES:Collège" in data
    assert "BEGIN:VALARM" in data
    assert "Préparer le conseil de classe" in month(logged_in_client)


def test_a_task_changed_elsewhere_is_not_overwritten_and_the_typing_is_kept(
    logged_in_client, account, personal_calendar, task
):
    page = logged_in_client.get(edit_url(personal_calendar.id, task)).content.decode()
    with dav.session_for(account.mail_account) as session:  # a phone renames it meanwhile
        stored = session.get_event(personal_calendar.id, task)
        session.save_event(stored, stored.data.replace(b"SUMMARY:Pr", b"SUMMARY:Phone: Pr"))

    response = logged_in_client.post(
        edit_url(personal_calendar.id, task),
        {"summary": "Mon titre", "due": "", "priority": "0", "etag": etag_in(page)},
    )

    assert response.status_code == 409
    assert "changed elsewhere" in response.content.decode()
    assert 'value="Mon titre"' in response.content.decode()
    assert [t.summary for t in stored_tasks(account)] == ["Phone: Préparer le conseil"]


def test_a_task_needs_a_title(logged_in_client, account, personal_calendar, task):
    response = logged_in_client.post(
        edit_url(personal_calendar.id, task), {"summary": "", "priority": "0"}
    )

    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert [t.summary for t in stored_tasks(account)] == ["Préparer le conseil"]


def test_delete_asks_first_then_deletes(logged_in_client, account, personal_calendar, task):
    confirm = logged_in_client.get(delete_url(personal_calendar.id, task)).content.decode()
    assert "Delete the task “Préparer le conseil”?" in confirm
    assert len(stored_tasks(account)) == 1  # asking deleted nothing

    deleted = logged_in_client.post(
        delete_url(personal_calendar.id, task), {"etag": etag_in(confirm)}, follow=True
    )

    assert "Task deleted." in deleted.content.decode()
    assert stored_tasks(account) == []


def test_a_task_changed_since_the_confirmation_is_not_deleted(
    logged_in_client, account, personal_calendar, task
):
    confirm = logged_in_client.get(delete_url(personal_calendar.id, task)).content.decode()
    with dav.session_for(account.mail_account) as session:
        stored = session.get_event(personal_calendar.id, task)
        session.save_event(stored, stored.data.replace(b"PRIORITY:3", b"PRIORITY:1"))

    response = logged_in_client.post(
        delete_url(personal_calendar.id, task), {"etag": etag_in(confirm)}, follow=True
    )

    assert "changed elsewhere" in response.content.decode()
    assert len(stored_tasks(account)) == 1


def test_someone_elses_task_is_not_found(client, make_account, personal_calendar, task):
    client.force_login(make_account())

    assert client.get(edit_url(personal_calendar.id, task)).status_code == 404
    assert client.post(delete_url(personal_calendar.id, task)).status_code == 404
