"""Event reminders (VALARM) delivered by e-mail and in the open calendar page.

The alarms live in the users' CalDAV calendars, whoever wrote them (this app, Thunderbird,
a phone). Reading tens of thousands of calendars every minute would be far too costly, so
a small table (UpcomingReminder) holds the alarms that ring in the next two days:

- when the web app writes a calendar (dav.calendars_written), that calendar is read again
  at once, by a Celery task;
- Celery beat checks each watched user every REMINDER_SYNC_MINUTES with one PROPFIND of
  their calendar home, and reads a calendar again only when its sync token changed (an
  event made elsewhere) or its two days are running out;
- Celery beat sends what is due every minute; each reminder is claimed (`sent_at`) before
  its mail is queued, so it goes out once even if two beats overlap.

A user is watched from the first time they write a calendar here or open the calendar page.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import Q
from django.dispatch import receiver
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.time_zones import user_zone
from calendar_app.alarms import Alarm
from calendar_app.models import ReminderCalendar, UpcomingReminder
from calendar_app.services import dav

logger = logging.getLogger(__name__)

HORIZON = dt.timedelta(days=2)
# An alarm written a few minutes late (an event created 10 minutes before its start with a
# 15-minute reminder) still rings once; one later than this is not worth a mail.
GRACE = dt.timedelta(minutes=15)
KEEP_SENT = dt.timedelta(days=2)
BROWSER_BEFORE = dt.timedelta(minutes=15)  # what the page learns ahead of time
BROWSER_AFTER = dt.timedelta(minutes=15)  # and what it still shows if it opened late


def sync_user(user, now: dt.datetime, calendar_ids: frozenset[str] = frozenset()) -> int:
    """Bring the user's upcoming reminders in step with their calendars; `calendar_ids`
    are read again even if their sync token looks unchanged. Returns how many calendars
    were read. Raises CalendarServerUnavailable."""
    states = {s.calendar_id: s for s in ReminderCalendar.objects.filter(user=user)}
    read = 0
    with dav.session_for(user.mail_account) as session:
        tokens = session.sync_tokens()
        for calendar_id, token in tokens.items():
            state = states.get(calendar_id)
            fresh = state is not None and state.covered_until is not None
            fresh = fresh and state.covered_until >= now + HORIZON / 2
            if calendar_id not in calendar_ids and token and fresh and state.sync_token == token:
                continue
            found = session.alarms_between(calendar_id, now - GRACE, now + HORIZON, user_zone(user))
            _store(user, calendar_id, found, now - GRACE)
            # update_or_create: a sync queued by a write may run beside the beat's
            ReminderCalendar.objects.update_or_create(
                user=user,
                calendar_id=calendar_id,
                defaults={"sync_token": token, "covered_until": now + HORIZON},
            )
            read += 1
    gone = set(states) - set(tokens)
    UpcomingReminder.objects.filter(user=user, calendar_id__in=gone, sent_at=None).delete()
    ReminderCalendar.objects.filter(user=user, calendar_id__in=gone).delete()
    ReminderCalendar.objects.filter(user=user).update(checked_at=now)
    return read


def _store(user, calendar_id: str, found: list[Alarm], since: dt.datetime) -> None:
    """The calendar's unsent reminders from `since` on become `found`; sent ones stay, so
    that a later sync never sends them again."""
    wanted = {(a.uid, a.start, a.fires_at): a for a in found}
    rows = UpcomingReminder.objects.filter(user=user, calendar_id=calendar_id, fires_at__gte=since)
    for row in rows:
        alarm = wanted.pop((row.uid, row.starts_at, row.fires_at), None)
        if row.sent_at is not None:
            continue
        if alarm is None:
            row.delete()
        elif (row.summary, row.location) != (alarm.summary[:500], alarm.location[:500]):
            row.summary, row.location = alarm.summary[:500], alarm.location[:500]
            row.save(update_fields=["summary", "location"])
    UpcomingReminder.objects.bulk_create(
        [
            UpcomingReminder(
                user=user,
                calendar_id=calendar_id,
                uid=a.uid[:1000],
                fires_at=a.fires_at,
                starts_at=a.start,
                all_day=a.all_day,
                summary=a.summary[:500],
                location=a.location[:500],
            )
            for a in wanted.values()
        ],
        ignore_conflicts=True,
    )


def users_to_sync(now: dt.datetime) -> list[int]:
    """The active users whose calendars were not checked for REMINDER_SYNC_MINUTES (or
    were written meanwhile); they are marked checked, so the next beat skips them."""
    since = now - dt.timedelta(minutes=settings.REMINDER_SYNC_MINUTES)
    due = ReminderCalendar.objects.filter(Q(checked_at=None) | Q(checked_at__lt=since))
    user_ids = sorted(set(due.filter(user__is_active=True).values_list("user_id", flat=True)))
    ReminderCalendar.objects.filter(user_id__in=user_ids).update(checked_at=now)
    return user_ids


def is_watched(user) -> bool:
    return ReminderCalendar.objects.filter(user=user).exists()


@receiver(dav.calendars_written)
def _read_written_calendars(sender, username: str, calendar_ids: frozenset[str], **kwargs):
    """The web app changed these calendars: read their reminders again now (in a task),
    or at the next beat if Redis does not answer; the change itself is saved already."""
    from django.contrib.auth import get_user_model

    from calendar_app import tasks
    from webmail.errors import TaskQueueUnavailable
    from webmail.services.tasks_queue import enqueue

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return
    for calendar_id in calendar_ids:
        ReminderCalendar.objects.update_or_create(
            user=user, calendar_id=calendar_id, defaults={"sync_token": "", "checked_at": None}
        )
    try:
        enqueue(tasks.sync_reminders, user.pk, sorted(calendar_ids))
    except TaskQueueUnavailable:
        logger.warning("reminders of user %s wait for the next beat: no task queue", user.pk)


def claim_due(now: dt.datetime) -> list[UpcomingReminder]:
    """The reminders to send now, each claimed once (sent_at set) so that no other beat
    sends it; those too late to be useful are claimed and dropped. Old rows are deleted."""
    UpcomingReminder.objects.filter(fires_at__lt=now - KEEP_SENT).delete()
    claimed = []
    for row in UpcomingReminder.objects.filter(sent_at=None, fires_at__lte=now).select_related(
        "user"
    ):
        won = UpcomingReminder.objects.filter(pk=row.pk, sent_at=None).update(sent_at=now)
        if won and row.fires_at >= now - GRACE and row.user.is_active:
            claimed.append(row)
    return claimed


def mail_for(reminder: UpcomingReminder) -> tuple[str, str, str]:
    """(to, subject, body) of the reminder, in the user's language and time zone."""
    user = reminder.user
    with translation.override(user.language), timezone.override(user_zone(user)):
        when = _when(reminder)
        title = reminder.summary or _("(no title)")
        subject = _("Reminder: %(title)s, %(when)s") % {"title": title, "when": when}
        lines = [
            _("Reminder of your calendar:"),
            "",
            title,
            _("When: %(when)s") % {"when": when},
        ]
        if reminder.location:
            lines.append(_("Where: %(place)s") % {"place": reminder.location})
        lines += ["", _("This reminder was set on the event in your calendar.")]
    return user.mail_account.address, subject, "\n".join(lines)


def browser_reminders(user, now: dt.datetime) -> list[dict]:
    """What the open calendar page shows soon (or still shows, if it opened late)."""
    rows = UpcomingReminder.objects.filter(
        user=user, fires_at__gte=now - BROWSER_AFTER, fires_at__lte=now + BROWSER_BEFORE
    ).order_by("fires_at")
    with timezone.override(user_zone(user)):
        return [
            {
                "id": f"{row.pk}-{int(row.fires_at.timestamp())}",
                "at": row.fires_at.isoformat(),
                "title": row.summary or _("(no title)"),
                "text": ", ".join(filter(None, [_when(row), row.location])),
            }
            for row in rows
        ]


def _when(reminder: UpcomingReminder) -> str:
    local = timezone.localtime(reminder.starts_at)
    if reminder.all_day:
        return formats.date_format(local.date(), "DATE_FORMAT")
    return formats.date_format(local, "DATETIME_FORMAT")
