import dataclasses
import datetime as dt
import uuid
import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import time_zones
from calendar_app import events, grid, invitations, subscriptions
from calendar_app.errors import CalendarNotFound, CalendarReadOnly, EventChanged, EventNotFound
from calendar_app.forms import (
    ColorForm,
    DeleteForm,
    EventForm,
    TaskDoneForm,
    TaskForm,
    VisibilityForm,
    initial_from,
)
from calendar_app.models import hidden_calendar_ids, set_hidden
from calendar_app.services import dav


def user_zone(request) -> zoneinfo.ZoneInfo:
    """The zone the person reads dates in (their profile setting, Europe/Paris by default)."""
    return time_zones.user_zone(request.user)


def first_weekday(request) -> int:
    """Monday in French; in English, Django's `en` convention (Sunday, as in the US)."""
    return grid.python_weekday(int(formats.get_format("FIRST_DAY_OF_WEEK")))


def _calendars(session):
    calendars = session.list_calendars()
    if not any(not c.owner for c in calendars):  # none of their own, maybe a colleague's
        # A new account starts with one personal calendar, as in any calendar app.
        calendars = [session.create_calendar(_("Personal"), color=grid.PALETTE[0]), *calendars]
    return calendars


@login_required
def calendar_home(request):
    return redirect("calendar_app:view", view="month", date=timezone.localdate().isoformat())


@login_required
def calendar_view(request, view, date):
    if view not in grid.VIEWS:
        raise Http404
    try:
        day = dt.date.fromisoformat(date)
    except ValueError as exc:
        raise Http404 from exc
    tz = user_zone(request)
    first = first_weekday(request)
    days = grid.view_days(view, day, first)
    start = dt.datetime.combine(days[0], dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    hidden = hidden_calendar_ids(request.user)
    with dav.session_for(request.user.mail_account) as session:
        calendars = _calendars(session)
        shown = [c for c in calendars if c.id not in hidden]
        found = session.occurrences_between(shown, start, end, tz)
        found += subscriptions.feed_occurrences(request.user, start, end, tz)  # read-only
        tasks = session.tasks(shown)
    # the colour as a palette class number (c0..c9): the CSP forbids inline styles
    found = [dataclasses.replace(o, color=str(grid.palette_index(o.color))) for o in found]
    laid = grid.lay_out(days, found, month=day.month if view == "month" else None)
    context = {
        "view": view,
        "day": day,
        "today": timezone.localdate(),
        "days": laid,
        "weeks": grid.weeks(laid) if view in ("month", "week") else [],
        "agenda": [d for d in laid if d.all_day or d.timed] if view == "agenda" else [],
        "weekday_names": [d.date for d in laid[:7]],
        "hours": range(24),
        "slots": [(i, f"{i // 2:02d}:{i % 2 * 30:02d}") for i in range(grid.SLOTS_PER_DAY)],
        "previous": grid.step(view, day, forward=False),
        "next": grid.step(view, day, forward=True),
        "mini_weeks": grid.weeks(grid.view_days("month", day, first)),
        "calendars": [
            {"info": c, "hidden": c.id in hidden, "color": grid.palette_index(c.color)}
            for c in calendars
        ],
        "colors": {c.id: grid.palette_index(c.color) for c in calendars},
        "palette": list(enumerate(grid.PALETTE)),
        "views": [(v, _view_label(v)) for v in grid.VIEWS],
        "zone": tz.key,
        "tasks": _task_order(tasks),
        "task_form": TaskForm(calendars=[c for c in shown if c.writable]),
    }
    template = "calendar_app/calendar.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "calendar-main":
        template = "calendar_app/partials/calendar_main.html"
    return render(request, template, context)


def _view_label(view: str) -> str:
    return {"month": _("Month"), "week": _("Week"), "day": _("Day"), "agenda": _("Agenda")}[view]


def _back_url(request, fallback_day: dt.date | None = None) -> str:
    back = request.POST.get("back") or request.GET.get("back") or ""
    if back.startswith("/calendar/") and "//" not in back:
        return back
    day = fallback_day or timezone.localdate()
    return reverse("calendar_app:view", kwargs={"view": "week", "date": day.isoformat()})


@login_required
def event_new(request):
    tz = user_zone(request)
    with dav.session_for(request.user.mail_account) as session:
        calendars = _calendars(session)
        writable = [c for c in calendars if c.writable]  # not a colleague's read-only one
        form = EventForm(request.POST or None, calendars=writable, default_zone=tz.key)
        if request.method == "POST" and form.is_valid():
            fields = form.event_fields()
            uid = f"{uuid.uuid4()}@webmail"
            data = events.new_event(fields, uid, timezone.now())
            data = invitations.with_attendees(
                request.user, data, uid, form.cleaned_data["attendees"]
            )
            try:
                session.create_event(form.cleaned_data["calendar"], uid, data)
            except CalendarNotFound as exc:
                raise Http404 from exc
            invitations.notify_attendees(request.user, uid, None, data)
            messages.success(request, _("Event created."))
            return redirect(_back_url(request, _date_of(fields.start)))
    if request.method == "GET":
        form.initial = _slot_initial(request, tz, calendars)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "calendar_app/event_form.html",
        {"form": form, "is_new": True, "back": _back_url(request)},
        status=status,
    )


def _slot_initial(request, tz, calendars) -> dict:
    """The form opened from a clicked slot: ?start=2026-03-10T09:00 or ?date=2026-03-10."""
    initial = {"busy": "busy", "ends": "never", "interval": 1, "calendar": calendars[0].id}
    if request.GET.get("calendar") in {c.id for c in calendars}:
        initial["calendar"] = request.GET["calendar"]
    try:
        start = dt.datetime.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = None
    if start is not None:
        end = _slot_end(request, start)
        initial.update(start_date=start.date(), start_time=start.time(), end_date=end.date())
        initial["end_time"] = end.time()
        return initial
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    initial.update(start_date=day, end_date=day, start_time=now.time())
    initial["end_time"] = (now + dt.timedelta(hours=1)).time()
    if request.GET.get("all_day"):
        initial["all_day"] = True
    return initial


def _slot_end(request, start: dt.datetime) -> dt.datetime:
    """Slots dragged over (calendar-drag.js) give ?end=; a click gives an hour."""
    try:
        end = dt.datetime.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = None
    if end is None or end.tzinfo is not None or end <= start:
        return start + dt.timedelta(hours=1)
    return end


def _date_of(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@login_required
def event_edit(request, calendar_id, uid):
    tz = user_zone(request)
    key = request.POST.get("occurrence") or request.GET.get("occurrence") or ""
    with dav.session_for(request.user.mail_account) as session:
        calendars = _calendars(session)
        stored = _stored(session, calendar_id, uid)
        targets = [c for c in calendars if c.writable or c.id == calendar_id]
        form = EventForm(request.POST or None, calendars=targets, default_zone=tz.key)
        form.fields["calendar"].initial = calendar_id
        # An invitation someone else sent: only its organiser changes the attendees.
        organiser = invitations.organises(request.user, stored.data, uid)
        form.fields["attendees"].disabled = not organiser
        form.fields["attendees"].initial = invitations.attendees_text(stored.data, uid)
        form.attendee_answers = invitations.answers(stored.data, uid)
        error = ""
        if request.method == "POST" and form.is_valid() and _movable(form, calendar_id):
            form_etag = form.cleaned_data["etag"] or stored.etag
            try:
                _save(session, dataclasses.replace(stored, etag=form_etag), form, tz, request.user)
                if form.cleaned_data["calendar"] != calendar_id:
                    session.move_event(
                        _stored(session, calendar_id, uid), form.cleaned_data["calendar"]
                    )
            except (EventChanged, CalendarReadOnly) as exc:
                error = exc.user_message
            except events.OccurrenceNotFound as exc:
                raise Http404 from exc
            else:
                messages.success(request, _("Event saved."))
                return redirect(_back_url(request, _date_of(form.event_fields().start)))
        if request.method == "GET":
            try:
                fields = events.fields_of(stored.data, uid, key, tz)
            except (events.InvalidCalendar, events.OccurrenceNotFound) as exc:
                raise Http404 from exc
            form.initial = initial_from(fields, tz.key) | {
                "attendees": form.fields["attendees"].initial,
                "calendar": calendar_id,
                "etag": stored.etag,
                "occurrence": key,
                "scope": "one" if key else "all",
            }
    context = {
        "form": form,
        "is_new": False,
        "calendar_id": calendar_id,
        "uid": uid,
        "occurrence": key,
        "etag": stored.etag,
        "conflict": error,
        "back": _back_url(request),
        "read_only": calendar_id in {c.id for c in calendars if not c.writable},
        "declinable": invitations.declinable(request.user, stored.data, uid),
    }
    status = 200 if request.method == "GET" else (409 if error else 422)
    return render(request, "calendar_app/event_form.html", context, status=status)


def _movable(form: EventForm, calendar_id: str) -> bool:
    """Another calendar takes the whole series, not one occurrence of it."""
    moved = form.cleaned_data["calendar"] != calendar_id
    if moved and form.cleaned_data["occurrence"] and form.cleaned_data["scope"] != "all":
        form.add_error(
            "calendar",
            _("Another calendar takes the whole series: choose “All events of the series”."),
        )
        return False
    return True


def _stored(session, calendar_id, uid) -> dav.StoredEvent:
    try:
        return session.get_event(calendar_id, uid)
    except (CalendarNotFound, EventNotFound) as exc:
        raise Http404 from exc


def _save(session, stored: dav.StoredEvent, form: EventForm, tz, user) -> None:
    """Write the edit with the scope the user chose, and tell the attendees.

    Raises EventChanged, OccurrenceNotFound."""
    fields = form.event_fields()
    key = form.cleaned_data["occurrence"]
    scope = form.cleaned_data["scope"] or "all"
    now = timezone.now()
    attendees = form.cleaned_data["attendees"]

    def organised(data: bytes, uid: str) -> bytes:
        data = invitations.with_attendees(user, data, uid, attendees)
        return invitations.ask_again_if_moved(user, stored.data, data, uid)

    if not key or scope == "all":
        master = events.fields_of(stored.data, stored.uid, "", tz)
        if key and master.recurrence is not None:
            fields = _keep_series_dates(
                fields, master, events.fields_of(stored.data, stored.uid, key, tz)
            )
        data = organised(events.update_event(stored.data, stored.uid, fields, now), stored.uid)
        session.save_event(stored, data)
        invitations.notify_attendees(user, stored.uid, stored.data, data)
    elif scope == "one":
        data = events.update_occurrence(stored.data, stored.uid, key, fields, tz, now)
        data = organised(data, stored.uid)
        session.save_event(stored, data)
        invitations.notify_attendees(user, stored.uid, stored.data, data)
    else:
        new_uid = f"{uuid.uuid4()}@webmail"
        old, new = events.split_series(stored.data, stored.uid, key, new_uid, tz)
        new = organised(events.update_event(new, new_uid, fields, now), new_uid)
        if old is None:
            session.delete_event(stored)
        else:
            session.save_event(stored, old)
        session.create_event(stored.calendar_id, new_uid, new)
        invitations.notify_attendees(user, stored.uid, stored.data, old)
        invitations.notify_attendees(user, new_uid, None, new)


def _keep_series_dates(fields, master, occurrence):
    """Editing "all events" from one occurrence: the time change applies to the series'
    first date, not to the occurrence's date."""
    shift = master.start - occurrence.start
    return dataclasses.replace(fields, start=fields.start + shift, end=fields.end + shift)


@require_POST
@login_required
def event_delete(request, calendar_id, uid):
    form = DeleteForm(request.POST)
    if not form.is_valid():
        raise Http404
    tz = user_zone(request)
    key, scope = form.cleaned_data["occurrence"], form.cleaned_data["scope"] or "all"
    with dav.session_for(request.user.mail_account) as session:
        stored = _stored(session, calendar_id, uid)
        stored = dataclasses.replace(stored, etag=form.cleaned_data["etag"] or stored.etag)
        try:
            remaining = None
            if not key or scope == "all":
                session.delete_event(stored)
            elif scope == "one":
                remaining = events.delete_occurrence(stored.data, uid, key, tz)
                session.save_event(stored, remaining)
            else:
                remaining = events.truncate_series(stored.data, uid, key, tz)
                if remaining is None:
                    session.delete_event(stored)
                else:
                    session.save_event(stored, remaining)
        except (EventChanged, CalendarReadOnly) as exc:
            messages.error(request, exc.user_message)
            return redirect(_back_url(request))
        except events.OccurrenceNotFound as exc:
            raise Http404 from exc
        invitations.notify_attendees(request.user, uid, stored.data, remaining)
        if remaining is None and form.cleaned_data["decline"]:
            invitations.decline_deleted(request.user, uid, stored.data)
    messages.success(request, _("Event deleted."))
    return redirect(_back_url(request))


@require_POST
@login_required
def calendar_visibility(request, calendar_id):
    form = VisibilityForm(request.POST)
    form.is_valid()
    with dav.session_for(request.user.mail_account) as session:
        if calendar_id not in {c.id for c in session.list_calendars()}:
            raise Http404
    set_hidden(request.user, calendar_id, form.cleaned_data.get("hidden", False))
    return redirect(_back_url(request))


@require_POST
@login_required
def calendar_color(request, calendar_id):
    form = ColorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the proposed colours."))
        return redirect(_back_url(request))
    with dav.session_for(request.user.mail_account) as session:
        try:
            session.set_color(calendar_id, form.cleaned_data["color"])
        except CalendarNotFound as exc:
            raise Http404 from exc
    return redirect(_back_url(request))


def _task_order(tasks: list[events.Task]) -> list[dict]:
    """Open tasks first, the soonest due and most urgent at the top; each with its colour."""
    far = dt.date.max
    ordered = sorted(tasks, key=lambda t: (t.done, t.due or far, t.priority or 10, t.summary))
    return [{"task": t, "color": grid.palette_index(t.color)} for t in ordered]


@require_POST
@login_required
def task_new(request):
    with dav.session_for(request.user.mail_account) as session:
        calendars = _calendars(session)
        form = TaskForm(request.POST, calendars=[c for c in calendars if c.writable])
        if not form.is_valid():
            messages.error(request, _("A task needs a title and a calendar of yours."))
            return redirect(_back_url(request))
        uid = f"{uuid.uuid4()}@webmail"
        data = events.new_task(
            form.cleaned_data["summary"],
            form.cleaned_data["due"],
            form.cleaned_data["priority"],
            uid,
            timezone.now(),
        )
        session.create_event(form.cleaned_data["calendar"], uid, data)
    return redirect(_back_url(request))


@require_POST
@login_required
def task_done(request, calendar_id, uid):
    form = TaskDoneForm(request.POST)
    form.is_valid()
    with dav.session_for(request.user.mail_account) as session:
        stored = _stored(session, calendar_id, uid)
        try:
            data = events.set_task_done(
                stored.data, uid, form.cleaned_data.get("done", False), timezone.now()
            )
            session.save_event(stored, data)
        except events.InvalidCalendar as exc:
            raise Http404 from exc
        except (EventChanged, CalendarReadOnly) as exc:
            messages.error(request, exc.user_message)
    return redirect(_back_url(request))


@require_POST
@login_required
def event_move(request, calendar_id, uid):
    """Drag and drop in the week and day grids (static/js/calendar.js): the event, or this
    one occurrence of a series, starts at `start` and keeps its length."""
    new_start = _posted_time(request, "start")
    return _retime(
        request,
        calendar_id,
        uid,
        lambda f: dataclasses.replace(f, start=new_start, end=f.end + (new_start - f.start)),
    )


@require_POST
@login_required
def event_resize(request, calendar_id, uid):
    """Dragging an event's bottom edge in the week and day grids (calendar-drag.js): the
    event, or this one occurrence of a series, ends at `end`; its start stays."""
    new_end = _posted_time(request, "end")
    return _retime(request, calendar_id, uid, lambda f: dataclasses.replace(f, end=new_end))


def _posted_time(request, name: str) -> dt.datetime:
    """A grid time ("2026-03-24T17:30") as posted, in the user's zone; else a 404."""
    try:
        return dt.datetime.fromisoformat(request.POST.get(name, "")).replace(
            tzinfo=user_zone(request)
        )
    except ValueError as exc:
        raise Http404 from exc


def _retime(request, calendar_id, uid, change):
    """Save the event (or the posted occurrence) with the times `change` gives it, if
    nobody changed it meanwhile (the ETag just read): 204, 409 with the reason, or 422
    when it would end before it starts."""
    tz = user_zone(request)
    key = request.POST.get("occurrence", "")
    with dav.session_for(request.user.mail_account) as session:
        stored = _stored(session, calendar_id, uid)
        try:
            fields = events.fields_of(stored.data, uid, key, tz)
            if fields.all_day:
                raise Http404
            changed = change(fields)
            if changed.end <= changed.start:
                message = _("The event must end after it starts.")
                return HttpResponse(message, status=422, content_type="text/plain")
            if key:
                data = events.update_occurrence(stored.data, uid, key, changed, tz, timezone.now())
            else:
                data = events.update_event(stored.data, uid, changed, timezone.now())
            data = invitations.ask_again_if_moved(request.user, stored.data, data, uid)
            session.save_event(stored, data)
            invitations.notify_attendees(request.user, uid, stored.data, data)
        except (events.InvalidCalendar, events.OccurrenceNotFound) as exc:
            raise Http404 from exc
        except (EventChanged, CalendarReadOnly) as exc:
            return HttpResponse(exc.user_message, status=409, content_type="text/plain")
    return HttpResponse(status=204)
