"""The Share dialog and shared calendars in the pages, against the real Radicale."""

import pytest
from django.test import Client
from django.urls import reverse

from calendar_app.services import dav
from tests.calendar_app.calendar_helpers import edit_url, event_form, view
from tests.servers import stopped


@pytest.fixture
def colleague(make_account):
    return make_account(first_name="Marie", last_name="Martin")


@pytest.fixture
def colleague_client(colleague):
    client = Client()
    client.force_login(colleague)
    return client


def share(client, calendar_id, address, rights="read"):
    url = reverse("calendar_app:calendar-share", args=[calendar_id])
    return client.post(url, {"colleague": address, "rights": rights}, follow=True)


def shared_id(colleague, owner):
    with dav.session_for(colleague.mail_account) as session:
        return next(c.id for c in session.list_calendars() if c.owner == owner.username)


def test_share_read_only_then_the_colleague_sees_it_and_cannot_edit(
    logged_in_client, colleague_client, account, colleague, personal_calendar, meeting_uid
):
    dialog = share(logged_in_client, personal_calendar.id, colleague.mail_address)
    calendar_id = shared_id(colleague, account)
    page = view(colleague_client, "day", "2026-03-10").content.decode()
    form_page = colleague_client.get(edit_url(calendar_id, meeting_uid)).content.decode()
    refused = colleague_client.post(
        edit_url(calendar_id, meeting_uid), event_form(calendar_id, summary="Annulé")
    )

    assert "The calendar is now shared with Marie Martin." in dialog.content.decode()
    assert colleague.mail_address in dialog.content.decode()
    assert "Shared with me" in page
    assert "shared by Jean Dupont" in page
    assert "read-only" in page
    assert "Conseil de classe 3e B" in page
    assert 'draggable="true"' not in page
    assert "shared with you read-only" in form_page
    assert "Delete the event" not in form_page
    assert refused.status_code == 409
    assert "shared with you read-only" in refused.content.decode()
    owner_page = view(logged_in_client, "day", "2026-03-10").content.decode()
    assert "Conseil de classe 3e B" in owner_page
    assert "Annulé" not in owner_page


def test_read_write_share_lets_the_colleague_edit_the_owners_event(
    logged_in_client, colleague_client, account, colleague, personal_calendar, meeting_uid
):
    share(logged_in_client, personal_calendar.id, colleague.mail_address, rights="read")
    changed = logged_in_client.post(
        reverse(
            "calendar_app:calendar-share-change", args=[personal_calendar.id, colleague.username]
        ),
        {"rights": "write"},
        follow=True,
    )
    calendar_id = shared_id(colleague, account)

    edited = colleague_client.post(
        edit_url(calendar_id, meeting_uid),
        event_form(calendar_id, summary="Conseil de classe 3e B (salle 12)"),
    )

    assert "The rights were changed." in changed.content.decode()
    assert edited.status_code == 302
    owner_page = view(logged_in_client, "day", "2026-03-10").content.decode()
    assert "Conseil de classe 3e B (salle 12)" in owner_page


def test_stop_sharing_removes_it_from_the_colleagues_list(
    logged_in_client, colleague_client, account, colleague, personal_calendar, meeting_uid
):
    share(logged_in_client, personal_calendar.id, colleague.mail_address)
    stopped = logged_in_client.post(
        reverse("calendar_app:calendar-unshare", args=[personal_calendar.id, colleague.username]),
        follow=True,
    )

    page = view(colleague_client, "day", "2026-03-10").content.decode()
    assert "This calendar is not shared with anyone." in stopped.content.decode()
    assert "shared by Jean Dupont" not in page
    assert "Conseil de classe 3e B" not in page


def test_sharing_with_someone_without_an_active_account_is_refused_the_same_way(
    logged_in_client, make_account, personal_calendar
):
    gone = make_account(first_name="Anne", last_name="Partie", is_active=False)

    answers = [
        share(logged_in_client, personal_calendar.id, address)
        for address in (gone.mail_address, "personne@example.org", "someone@elsewhere.test")
    ]

    assert [a.status_code for a in answers] == [422, 422, 422]
    for answer in answers:
        assert "No active colleague has this address." in answer.content.decode()
        assert "This calendar is not shared with anyone." in answer.content.decode()


def test_only_the_owner_opens_the_share_dialog(
    colleague_client, logged_in_client, colleague, personal_calendar
):
    url = reverse("calendar_app:calendar-sharing", args=[personal_calendar.id])

    assert logged_in_client.get(url).status_code == 200
    assert colleague_client.get(url).status_code == 404
    assert share(colleague_client, personal_calendar.id, colleague.mail_address).status_code == 404


def test_colleague_suggestions_list_active_colleagues_only(
    logged_in_client, colleague, make_account
):
    make_account(first_name="Marc", last_name="Martinet", is_active=False)
    url = reverse("calendar_app:colleague-suggestions")

    found = logged_in_client.get(url, {"q": "mart"}).json()["results"]

    assert found == [{"name": "Marie Martin", "address": colleague.mail_address}]


def test_a_colleague_whose_only_calendar_is_shared_still_gets_one_of_their_own(
    logged_in_client, colleague_client, account, colleague, personal_calendar
):
    share(logged_in_client, personal_calendar.id, colleague.mail_address)

    page = view(colleague_client, "month", "2026-03-10").content.decode()

    with dav.session_for(colleague.mail_account) as session:
        calendars = session.list_calendars()
    assert [(c.name, c.owner) for c in calendars] == [
        ("Personal", ""),
        ("Personal", account.username),
    ]
    assert "shared by Jean Dupont" in page


def test_the_colleague_picks_a_colour_and_hides_it_without_changing_the_owners(
    logged_in_client, colleague_client, account, colleague, personal_calendar, meeting_uid
):
    share(logged_in_client, personal_calendar.id, colleague.mail_address)
    calendar_id = shared_id(colleague, account)

    colour = colleague_client.post(
        reverse("calendar_app:calendar-color", args=[calendar_id]), {"color": "#c0392b"}
    )
    hidden = colleague_client.post(
        reverse("calendar_app:calendar-visibility", args=[calendar_id]), {"hidden": "on"}
    )

    with dav.session_for(colleague.mail_account) as session:
        [seen] = [c for c in session.list_calendars() if c.id == calendar_id]
    with dav.session_for(account.mail_account) as session:
        [own] = [c for c in session.list_calendars() if c.id == personal_calendar.id]
    assert (colour.status_code, hidden.status_code) == (302, 302)
    assert (seen.color, own.color) == ("#c0392b", "#1a56a8")
    assert (
        "Conseil de classe 3e B" not in view(colleague_client, "day", "2026-03-10").content.decode()
    )
    assert "Conseil de classe 3e B" in view(logged_in_client, "day", "2026-03-10").content.decode()


def test_a_read_only_shared_calendar_is_exported_but_not_offered_for_import(
    logged_in_client, colleague_client, account, colleague, personal_calendar, meeting_uid
):
    share(logged_in_client, personal_calendar.id, colleague.mail_address)
    calendar_id = shared_id(colleague, account)

    page = colleague_client.get(reverse("calendar_app:import")).content.decode()
    exported = colleague_client.get(reverse("calendar_app:export", args=[calendar_id]))

    assert f'<option value="{calendar_id}"' not in page
    assert b"Conseil de classe 3e B" in exported.content


def test_a_calendar_server_outage_gives_the_retry_page(
    stack, logged_in_client, colleague, personal_calendar
):
    with stopped(stack, "radicale"):
        dialog = logged_in_client.get(
            reverse("calendar_app:calendar-sharing", args=[personal_calendar.id])
        )
        shared = share(logged_in_client, personal_calendar.id, colleague.mail_address)
        busy = logged_in_client.get(
            reverse("calendar_app:colleagues-busy"),
            {"start_date": "2026-03-10", "attendees": colleague.mail_address},
            headers={"HX-Request": "true"},
        )

    assert [dialog.status_code, shared.status_code, busy.status_code] == [503, 503, 503]
    assert "The calendar server did not answer" in dialog.content.decode()
    assert "The calendar server did not answer" in busy.content.decode()
