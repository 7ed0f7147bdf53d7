"""Importing .ics files into a calendar on the real Radicale, with a report; exporting one."""

import datetime as dt
import html
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from calendar_app import transfer
from calendar_app.services import dav
from tests.pure.test_ics_transfer import FILE

PARIS = ZoneInfo("Europe/Paris")
CORPUS = Path(
    os.environ.get("CORPUS_DIR", Path(__file__).resolve().parents[2].parent / "shared" / "corpus")
)


def march(account, calendar):
    with dav.session_for(account.mail_account) as session:
        return session.occurrences_between(
            [calendar],
            dt.datetime(2026, 3, 1, tzinfo=PARIS),
            dt.datetime(2026, 4, 30, tzinfo=PARIS),
            PARIS,
        )


def upload(client, calendar, data, **extra):
    return client.post(
        reverse("calendar_app:import"),
        {"calendar": calendar.id, "file": SimpleUploadedFile("agenda.ics", data), **extra},
    )


def test_importing_a_file_reports_what_was_imported_and_what_was_skipped(
    account, logged_in_client, personal_calendar
):
    response = upload(logged_in_client, personal_calendar, FILE)
    page = response.content.decode()

    assert response.status_code == 200
    assert "3 items imported." in page
    assert "3 items skipped." in page
    assert "1 item had no UID and was given one." in page
    assert "VJOURNAL is not supported" in page
    assert "an event without a start (DTSTART)" in page
    assert "a second copy of the same UID in the file" in page
    assert [(o.summary, o.start) for o in march(account, personal_calendar)] == [
        ("Conseil de classe", dt.datetime(2026, 3, 10, 17, tzinfo=PARIS)),
        ("Conseil de classe (salle 12)", dt.datetime(2026, 3, 17, 18, tzinfo=PARIS)),
        ("Conseil de classe", dt.datetime(2026, 3, 24, 17, tzinfo=PARIS)),
        ("Sans identifiant", dt.date(2026, 4, 1)),
    ]


def test_importing_again_skips_or_replaces_what_is_already_there(
    account, logged_in_client, personal_calendar
):
    upload(logged_in_client, personal_calendar, FILE)
    changed = FILE.replace(b"SUMMARY:Conseil de classe\r", b"SUMMARY:Conseil de classe 3e\r")

    kept = upload(logged_in_client, personal_calendar, changed).content.decode()
    after_kept = {o.summary for o in march(account, personal_calendar)}
    replaced = upload(logged_in_client, personal_calendar, changed, replace="on").content.decode()
    after_replaced = {o.summary for o in march(account, personal_calendar)}

    assert "already in this calendar (kept as it was)" in kept
    assert "Conseil de classe" in after_kept
    report = replaced[replaced.index("import-report") : replaced.index("</section>")]
    assert "2 items replaced existing ones." in report, report
    assert "Conseil de classe 3e" in after_replaced
    assert "Conseil de classe" not in after_replaced


def test_an_item_the_server_refuses_is_skipped_with_the_reason_and_the_rest_imported(
    account, logged_in_client, personal_calendar
):
    # a phone stored the series' UID under another file name: Radicale refuses the PUT (409)
    phone_copy = FILE.split(b"BEGIN:VEVENT\r\nSUMMARY:Sans")[0] + b"END:VCALENDAR\r\n"
    with dav.session_for(account.mail_account) as session:
        session.create_event(personal_calendar.id, "phone-file-name", phone_copy)

    response = upload(logged_in_client, personal_calendar, FILE)
    page = response.content.decode()

    assert response.status_code == 200
    assert "2 items imported." in page
    assert "4 items skipped." in page
    assert (
        '<span class="skipped-what">VEVENT « Conseil de classe »</span> : '
        '<span class="skipped-reason">refused by the calendar server (HTTP 409)</span>'
    ) in html.unescape(page)
    assert {o.summary for o in march(account, personal_calendar)} == {
        "Conseil de classe",
        "Conseil de classe (salle 12)",
        "Sans identifiant",
    }


def test_an_unreadable_file_imports_nothing_and_says_where(
    account, logged_in_client, personal_calendar
):
    response = upload(
        logged_in_client, personal_calendar, b"BEGIN:VCALENDAR\r\nnot a content line\r\n"
    )
    page = response.content.decode()

    assert "This file could not be read as an iCalendar file; nothing was imported." in page
    assert "line 2" in page
    assert march(account, personal_calendar) == []


def test_a_calendar_exported_and_imported_elsewhere_has_the_same_events(
    account, logged_in_client, personal_calendar
):
    upload(logged_in_client, personal_calendar, FILE)
    with dav.session_for(account.mail_account) as session:
        other = session.create_calendar("Copie", color="#2e7d32")

    response = logged_in_client.get(reverse("calendar_app:export", args=[personal_calendar.id]))
    exported = response.content
    upload(logged_in_client, other, exported)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="personal.ics"'
    parsed = icalendar.Calendar.from_ical(exported)
    assert [c.name for c in parsed.subcomponents].count("VTIMEZONE") == 1
    assert len(parsed.walk("VTODO")) == 1
    assert [(o.summary, o.start) for o in march(account, other)] == [
        (o.summary, o.start) for o in march(account, personal_calendar)
    ]


def test_nobody_exports_or_imports_into_a_calendar_that_is_not_theirs(
    make_account, logged_in_client
):
    colleague = make_account()
    with dav.session_for(colleague.mail_account) as session:
        theirs = session.create_calendar("Privé")

    exported = logged_in_client.get(reverse("calendar_app:export", args=[theirs.id]))
    imported = upload(logged_in_client, theirs, FILE)

    assert exported.status_code == 404
    assert imported.status_code == 422  # not one of the choices offered


def corpus_files():
    return sorted(p for p in (CORPUS / "ical").rglob("*") if p.is_file())


@pytest.mark.skipif(not (CORPUS / "ical").is_dir(), reason="shared/corpus/ical is absent")
def test_every_corpus_file_imports_without_a_server_error(account, personal_calendar):
    outcomes = {"imported": 0, "skipped": 0, "unreadable": 0}
    calendar, held = personal_calendar, 0
    with dav.session_for(account.mail_account) as session:
        for path in corpus_files():
            if held > 200:  # Radicale checks UIDs over the whole collection on every PUT
                calendar, held = session.create_calendar(f"Corpus {path.parent.name}"), 0
            # the first 25 objects of each file: the 10 largest files hold 3,000 of the 4,400
            # objects and Radicale takes minutes for them (tests/pure plans every object)
            data = path.read_bytes()
            report = transfer.import_file(session, calendar.id, data, replace=True, max_items=25)
            held += len(report.imported)
            outcomes["imported"] += len(report.imported) + len(report.replaced)
            outcomes["skipped"] += len(report.skipped)
            outcomes["unreadable"] += bool(report.error)
            assert all(s.reason for s in report.skipped), path

    assert outcomes["imported"] > 600
    assert outcomes["unreadable"] < len(corpus_files())
