import datetime as dt
import re
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from calendar_app import events
from calendar_app.grid import PALETTE
from calendar_app.invitation_forms import AttendeesMixin

SCOPES = (
    ("one", _("This event only")),
    ("following", _("This and following events")),
    ("all", _("All events of the series")),
)
REMINDERS = (
    ("", _("No reminder")),
    ("0", _("At the start")),
    ("5", _("5 minutes before")),
    ("10", _("10 minutes before")),
    ("15", _("15 minutes before")),
    ("30", _("30 minutes before")),
    ("60", _("1 hour before")),
    ("1440", _("1 day before")),
)
REPEATS = (
    ("", _("Does not repeat")),
    ("DAILY", _("Daily")),
    ("WEEKLY", _("Weekly")),
    ("MONTHLY", _("Monthly")),
    ("YEARLY", _("Yearly")),
)
WEEKDAY_CHOICES = tuple(
    zip(
        events.WEEKDAYS,
        (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")),
        strict=True,
    )
)
ENDS = (("never", _("Never")), ("until", _("On a date")), ("count", _("After a number of times")))
COMMON_ZONES = (
    "Europe/Paris",
    "UTC",
    "Europe/London",
    "Europe/Brussels",
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "Indian/Reunion",
    "Indian/Mayotte",
    "Pacific/Noumea",
    "Pacific/Tahiti",
    "America/Miquelon",
)
_KEY = re.compile(r"^(\d{8}|\d{8}T\d{6}Z)$")


class EventForm(AttendeesMixin, forms.Form):
    calendar = forms.ChoiceField(label=_("Calendar"))
    summary = forms.CharField(label=_("Title"), max_length=500)
    location = forms.CharField(label=_("Place"), max_length=500, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=10_000, required=False, widget=forms.Textarea
    )
    all_day = forms.BooleanField(label=_("All day"), required=False)
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Start time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end_date = forms.DateField(
        label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end_time = forms.TimeField(
        label=_("End time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"))
    busy = forms.ChoiceField(
        label=_("Show me as"), choices=(("busy", _("Busy")), ("free", _("Free")))
    )
    reminder = forms.ChoiceField(label=_("Reminder"), choices=REMINDERS, required=False)
    repeat = forms.ChoiceField(label=_("Repeat"), choices=REPEATS, required=False)
    interval = forms.IntegerField(label=_("Every"), min_value=1, max_value=99, initial=1)
    weekdays = forms.MultipleChoiceField(
        label=_("On"),
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    monthly_mode = forms.ChoiceField(
        label=_("Monthly on"),
        choices=(
            ("date", _("the same date")),
            ("weekday", _("the same weekday (e.g. 2nd Tuesday)")),
        ),
        required=False,
    )
    ends = forms.ChoiceField(label=_("Ends"), choices=ENDS, initial="never")
    until = forms.DateField(
        label=_("End date of the series"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    count = forms.IntegerField(
        label=_("Number of times"), min_value=1, max_value=999, required=False
    )
    # editing an existing event
    scope = forms.ChoiceField(
        label=_("Apply to"), choices=SCOPES, required=False, widget=forms.RadioSelect
    )
    etag = forms.CharField(required=False, widget=forms.HiddenInput)
    occurrence = forms.RegexField(regex=_KEY, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, calendars=(), default_zone="Europe/Paris", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calendar"].choices = [(c.id, c.name) for c in calendars]
        zones = list(COMMON_ZONES)
        if default_zone not in zones:
            zones.insert(0, default_zone)
        self.fields["time_zone"].choices = [(z, z.replace("_", " ")) for z in zones]
        self.fields["time_zone"].initial = default_zone

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"]
        try:
            return zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError(_("Unknown time zone.")) from exc

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not data.get("all_day"):
            for name in ("start_time", "end_time"):
                if data.get(name) is None:
                    self.add_error(name, _("Give a time, or tick “All day”."))
            if self.errors:
                return data
            zone = data["time_zone"]
            start = dt.datetime.combine(data["start_date"], data["start_time"], tzinfo=zone)
            end = dt.datetime.combine(data["end_date"], data["end_time"], tzinfo=zone)
            if end <= start:
                self.add_error("end_time", _("The event must end after it starts."))
        elif data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        if data.get("repeat"):
            if data.get("ends") == "until" and not data.get("until"):
                self.add_error("until", _("Give the date of the last occurrence."))
            elif data.get("ends") == "until" and data["until"] < data["start_date"]:
                self.add_error("until", _("The series cannot end before it starts."))
            if data.get("ends") == "count" and not data.get("count"):
                self.add_error("count", _("Give how many times the event happens."))
        return data

    def event_fields(self) -> events.EventFields:
        data = self.cleaned_data
        if data["all_day"]:
            start, end = data["start_date"], data["end_date"]
        else:
            zone = data["time_zone"]
            start = dt.datetime.combine(data["start_date"], data["start_time"], tzinfo=zone)
            end = dt.datetime.combine(data["end_date"], data["end_time"], tzinfo=zone)
        return events.EventFields(
            summary=data["summary"],
            location=data["location"],
            description=data["description"],
            start=start,
            end=end,
            all_day=data["all_day"],
            busy=data["busy"] == "busy",
            reminders=(int(data["reminder"]),) if data.get("reminder") else (),
            recurrence=self._recurrence(start),
        )

    def _recurrence(self, start) -> events.Recurrence | None:
        data = self.cleaned_data
        if not data.get("repeat"):
            return None
        weekdays = tuple(data.get("weekdays") or ())
        if data["repeat"] == "WEEKLY" and not weekdays:
            day = (
                start
                if isinstance(start, dt.date) and not isinstance(start, dt.datetime)
                else start.date()
            )
            weekdays = (events.WEEKDAYS[day.weekday()],)
        return events.Recurrence(
            freq=data["repeat"],
            interval=data.get("interval") or 1,
            weekdays=weekdays if data["repeat"] == "WEEKLY" else (),
            monthly_by_weekday=data["repeat"] == "MONTHLY"
            and data.get("monthly_mode") == "weekday",
            until=data["until"] if data.get("ends") == "until" else None,
            count=data["count"] if data.get("ends") == "count" else None,
        )


def initial_from(fields: events.EventFields, zone_name: str) -> dict:
    """The form's initial values for an event (or one occurrence) read from the server."""
    timed = not fields.all_day
    initial = {
        "summary": fields.summary,
        "location": fields.location,
        "description": fields.description,
        "all_day": fields.all_day,
        "start_date": fields.start.date() if timed else fields.start,
        "start_time": fields.start.time().replace(tzinfo=None) if timed else None,
        "end_date": fields.end.date() if timed else fields.end,
        "end_time": fields.end.time().replace(tzinfo=None) if timed else None,
        "time_zone": zone_name,
        "busy": "busy" if fields.busy else "free",
        "reminder": str(fields.reminders[0]) if fields.reminders else "",
        "ends": "never",
    }
    rule = fields.recurrence
    if rule is not None:
        initial.update(
            repeat=rule.freq,
            interval=rule.interval,
            weekdays=list(rule.weekdays),
            monthly_mode="weekday" if rule.monthly_by_weekday else "date",
            ends="count" if rule.count else ("until" if rule.until else "never"),
            until=rule.until,
            count=rule.count,
        )
    return initial


class VisibilityForm(forms.Form):
    hidden = forms.BooleanField(required=False)


class ColorForm(forms.Form):
    color = forms.ChoiceField(choices=[(c, c) for c in PALETTE])


class DeleteForm(forms.Form):
    scope = forms.ChoiceField(choices=SCOPES, required=False)
    etag = forms.CharField(required=False)
    occurrence = forms.RegexField(regex=_KEY, required=False)
    decline = forms.BooleanField(required=False)  # an invitation: tell its organiser


class TaskForm(forms.Form):
    calendar = forms.ChoiceField(label=_("Calendar"))
    summary = forms.CharField(label=_("New task"), max_length=500)
    due = forms.DateField(
        label=_("Due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        required=False,
        empty_value=0,
        choices=(("0", _("None")), ("1", _("High")), ("5", _("Medium")), ("9", _("Low"))),
    )

    def __init__(self, *args, calendars=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calendar"].choices = [(c.id, c.name) for c in calendars]


class TaskDoneForm(forms.Form):
    done = forms.BooleanField(required=False)
