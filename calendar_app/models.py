from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarPreference(models.Model):
    """What the user chose for one of their calendars in this app (shown or hidden).

    The calendar itself, its name and its colour live on the CalDAV server, so phones
    and Thunderbird see the same; only this view preference is ours.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_preferences"
    )
    calendar_id = models.CharField(_("calendar"), max_length=200)
    hidden = models.BooleanField(_("hidden"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "calendar_id"], name="one_preference_per_calendar"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.calendar_id}"


def hidden_calendar_ids(user) -> set[str]:
    return set(
        CalendarPreference.objects.filter(user=user, hidden=True).values_list(
            "calendar_id", flat=True
        )
    )


def set_hidden(user, calendar_id: str, hidden: bool) -> None:
    CalendarPreference.objects.update_or_create(
        user=user, calendar_id=calendar_id, defaults={"hidden": hidden}
    )


class IcsFeed(models.Model):
    """An external iCalendar URL, fetched once for all its subscribers.

    85,000 staff may subscribe to the same school-holiday calendar: the feed is stored once,
    refreshed by Celery beat with a conditional GET (ETag, Last-Modified). A failed refresh
    keeps the last good content and records the error.
    """

    url = models.URLField(_("address"), max_length=2000, unique=True)
    content = models.BinaryField(_("content"), default=b"", editable=False)
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_fetched = models.DateTimeField(_("last refresh"), null=True, blank=True, editable=False)
    last_changed = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    class Meta:
        verbose_name = _("subscribed calendar feed")
        verbose_name_plural = _("subscribed calendar feeds")
        ordering = ["url"]

    def __str__(self) -> str:
        return self.url


class CalendarSubscription(models.Model):
    """A read-only calendar shown from a feed: a person's own subscription, or one an
    admin provides to everyone, to a group or to an establishment's staff."""

    feed = models.ForeignKey(
        IcsFeed, verbose_name=_("feed"), on_delete=models.CASCADE, related_name="subscriptions"
    )
    name = models.CharField(_("name"), max_length=200)
    color = models.CharField(_("colour"), max_length=7, default="#2f7d4a")
    visible = models.BooleanField(_("shown"), default=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_subscriptions",
    )
    for_everyone = models.BooleanField(_("everyone"), default=False)
    group = models.ForeignKey(
        "auth.Group", verbose_name=_("group"), null=True, blank=True, on_delete=models.CASCADE
    )
    establishment = models.ForeignKey(
        "accounts.Establishment",
        verbose_name=_("establishment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(for_everyone=True, user=None, group=None, establishment=None)
                    | models.Q(for_everyone=False, group=None, establishment=None)
                    & ~models.Q(user=None)
                    | models.Q(for_everyone=False, user=None, establishment=None)
                    & ~models.Q(group=None)
                    | models.Q(for_everyone=False, user=None, group=None)
                    & ~models.Q(establishment=None)
                ),
                name="subscription_has_one_target",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def calendar_id(self) -> str:
        """How the calendar views name this read-only calendar (never a CalDAV id)."""
        return f"feed-{self.pk}"

    @property
    def provisioned(self) -> bool:
        return self.user_id is None


class ReminderCalendar(models.Model):
    """One of a user's CalDAV calendars as the reminder sync last saw it.

    Celery beat compares `sync_token` with the server's (one PROPFIND for all the user's
    calendars) and reads a calendar's alarms again only when it changed or when
    `covered_until` comes near, so events made on a phone or in Thunderbird ring too
    without reading every calendar every few minutes.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_calendars"
    )
    calendar_id = models.CharField(max_length=200)
    sync_token = models.CharField(max_length=500, blank=True)
    covered_until = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "calendar_id"], name="one_reminder_state_per_calendar"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.calendar_id}"


class UpcomingReminder(models.Model):
    """A reminder (VALARM) of one occurrence that rings soon, copied from the CalDAV server.

    The e-mail goes out once: `sent_at` is set when the task claims it, and a later sync
    never recreates a row it already has (one row per event, occurrence time and alarm time).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="upcoming_reminders"
    )
    calendar_id = models.CharField(max_length=200)
    uid = models.CharField(max_length=1000)
    fires_at = models.DateTimeField(db_index=True)
    starts_at = models.DateTimeField()
    all_day = models.BooleanField(default=False)
    summary = models.CharField(max_length=500, blank=True)
    location = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "calendar_id", "uid", "starts_at", "fires_at"],
                name="one_row_per_reminder",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.summary} · {self.fires_at:%Y-%m-%d %H:%M}"


class InvitationAnswer(models.Model):
    """The user's last answer to an invitation (by its UID), and the version (SEQUENCE) it
    answered. Declining removes the event from the calendar, so the calendar cannot say
    "you declined" on a later visit to the message; this row can, without a search in Sent.
    A later version of the invitation asks again unless it carries the answer itself.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitation_answers"
    )
    uid = models.CharField(max_length=1000)
    sequence = models.PositiveIntegerField(default=0)
    partstat = models.CharField(max_length=20)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "uid"], name="one_answer_per_invitation")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.uid} · {self.partstat}"


def record_answer(user, uid: str, sequence: int, partstat: str) -> None:
    InvitationAnswer.objects.update_or_create(
        user=user, uid=uid, defaults={"sequence": sequence, "partstat": partstat}
    )


def answer_to(user, uid: str, sequence: int) -> str:
    """The user's answer to this version of the invitation or a later one, '' if none."""
    found = InvitationAnswer.objects.filter(user=user, uid=uid, sequence__gte=sequence).first()
    return found.partstat if found else ""
