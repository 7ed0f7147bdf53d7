"""Driving the calendar pages as a browser does: the event form, views, stored events."""

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

from django.urls import reverse

from calendar_app.services import dav

PARIS = ZoneInfo("Europe/Paris")


def view(client, name, date):
    return client.get(reverse("calendar_app:view", kwargs={"view": name, "date": date}))


def event_form(calendar_id, **overrides):
    data = {
        "calendar": calendar_id,
        "summary": "Conseil de classe 3e B",
        "location": "Salle 204",
        "description": "",
        "start_date": "2026-03-10",
        "start_time": "17:00",
        "end_date": "2026-03-10",
        "end_time": "18:30",
        "time_zone": "Europe/Paris",
        "busy": "busy",
        "reminder": "15",
        "repeat": "",
        "interval": "1",
        "ends": "never",
    }
    return data | overrides


def stored_uid(account, calendar_id, summary):
    with dav.session_for(account.mail_account) as session:
        start = dt.datetime(2026, 1, 1, tzinfo=PARIS)
        found = session.occurrences_between(
            [c for c in session.list_calendars() if c.id == calendar_id],
            start,
            start + dt.timedelta(days=365),
            PARIS,
        )
    return next(o.uid for o in found if o.summary == summary)


def on(day, start_time, end_time):
    """The form's dates and times for an event within one day."""
    return {"start_date": day, "end_date": day, "start_time": start_time, "end_time": end_time}


def occurrence_keys(client, day):
    """The recurrence keys the agenda from `day` links to, in its order."""
    return re.findall(r"occurrence=(\d{8}T\d{6}Z)", view(client, "agenda", day).content.decode())


def form_etag(page):
    """The ETag hidden in the form, as a browser sends it back (HTML entities decoded)."""
    return html.unescape(re.search(r'name="etag" value="([^"]*)"', page).group(1))


def edit_url(calendar_id, uid, occurrence=""):
    url = reverse("calendar_app:event-edit", args=[calendar_id, uid])
    return f"{url}?occurrence={occurrence}" if occurrence else url
