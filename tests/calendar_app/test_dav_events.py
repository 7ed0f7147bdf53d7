"""Events stored on the real Radicale: create, edit, move, delete, exceptions, lost updates."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from calendar_app import events
from calendar_app.errors import CalendarNotFound, EventChanged, EventNotFound
from calendar_app.services import dav

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


def paris(*args):
    return dt.datetime(*args, tzinfo=PARIS)


def march(session, calendar):
    return session.occurrences_between([calendar], paris(2026, 3, 1), paris(2026, 4, 15), PARIS)


def test_create_edit_move_and_delete_an_event(account, personal_calendar):
    fields = events.EventFields(
        summary="Réunion d'équipe", start=paris(2026, 3, 10, 14), end=paris(2026, 3, 10, 15)
    )
    with dav.session_for(account.mail_account) as session:
        session.create_event(personal_calendar.id, "evt-1", events.new_event(fields, "evt-1", NOW))
        [created] = march(session, personal_calendar)

        stored = session.get_event(personal_calendar.id, "evt-1")
        moved = events.EventFields(
            summary="Réunion d'équipe (salle 4)",
            start=paris(2026, 3, 12, 16),
            end=paris(2026, 3, 12, 17, 30),
        )
        session.save_event(stored, events.update_event(stored.data, "evt-1", moved, NOW))
        [edited] = march(session, personal_calendar)

        session.delete_event(session.get_event(personal_calendar.id, "evt-1"))
        remaining = march(session, personal_calendar)

    assert (created.summary, created.start, created.color) == (
        "Réunion d'équipe",
        paris(2026, 3, 10, 14),
        "#1a56a8",
    )
    assert (edited.summary, edited.start, edited.end) == (
        "Réunion d'équipe (salle 4)",
        paris(2026, 3, 12, 16),
        paris(2026, 3, 12, 17, 30),
    )
    assert remaining == []


def test_recurring_event_with_one_edited_and_one_deleted_occurrence(account, personal_calendar):
    fields = events.EventFields(
        summary="Conseil pédagogique",
        start=paris(2026, 3, 19, 9),
        end=paris(2026, 3, 19, 10),
        recurrence=events.Recurrence(freq="WEEKLY", count=4),  # 19, 26 March; 2, 9 April
    )
    with dav.session_for(account.mail_account) as session:
        session.create_event(personal_calendar.id, "serie", events.new_event(fields, "serie", NOW))
        keys = [o.recurrence_key for o in march(session, personal_calendar)]

        stored = session.get_event(personal_calendar.id, "serie")
        edit = events.EventFields(
            summary="Conseil pédagogique (CDI)",
            start=paris(2026, 3, 26, 11),
            end=paris(2026, 3, 26, 12),
        )
        data = events.update_occurrence(stored.data, "serie", keys[1], edit, PARIS, NOW)
        session.save_event(stored, data)
        stored = session.get_event(personal_calendar.id, "serie")
        session.save_event(stored, events.delete_occurrence(stored.data, "serie", keys[2], PARIS))

        found = march(session, personal_calendar)

    assert [(o.start.strftime("%d/%m %H:%M %Z"), o.summary) for o in found] == [
        ("19/03 09:00 CET", "Conseil pédagogique"),
        ("26/03 11:00 CET", "Conseil pédagogique (CDI)"),
        ("09/04 09:00 CEST", "Conseil pédagogique"),  # after the change, still 09:00 local
    ]


def test_a_change_made_elsewhere_is_not_overwritten(account, personal_calendar):
    fields = events.EventFields(
        summary="Cours", start=paris(2026, 3, 3, 8), end=paris(2026, 3, 3, 9)
    )
    with dav.session_for(account.mail_account) as session:
        session.create_event(personal_calendar.id, "evt-2", events.new_event(fields, "evt-2", NOW))
        opened_here = session.get_event(personal_calendar.id, "evt-2")
        opened_on_phone = session.get_event(personal_calendar.id, "evt-2")
        phone_edit = events.EventFields(
            summary="Cours (annulé)", start=fields.start, end=fields.end
        )
        session.save_event(
            opened_on_phone, events.update_event(opened_on_phone.data, "evt-2", phone_edit, NOW)
        )

        with pytest.raises(EventChanged) as raised:
            session.save_event(
                opened_here, events.update_event(opened_here.data, "evt-2", fields, NOW)
            )
        with pytest.raises(EventChanged):
            session.delete_event(opened_here)

        [kept] = march(session, personal_calendar)
    assert kept.summary == "Cours (annulé)"
    assert "changed elsewhere" in str(raised.value.user_message)


def test_another_users_calendar_and_a_missing_event_are_not_found(
    account, personal_calendar, make_account
):
    colleague = make_account()
    with dav.session_for(colleague.mail_account) as session:
        own = session.create_calendar("Perso")
        with pytest.raises(CalendarNotFound):
            session.get_event(personal_calendar.id, "evt-1")
        with pytest.raises(EventNotFound):
            session.get_event(own.id, "no-such-event")


def test_calendar_colours_are_stored_on_the_server(account, personal_calendar):
    with dav.session_for(account.mail_account) as session:
        session.set_color(personal_calendar.id, "#c0392b")
    with dav.session_for(account.mail_account) as session:
        [calendar] = session.list_calendars()
    assert (calendar.name, calendar.color) == ("Personal", "#c0392b")
