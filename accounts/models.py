"""Accounts: the staff member, their establishment, and the security records around them.

Dovecot reads the user table directly (deploy/*/dovecot-sql.conf*): the password hash,
is_active, must_change_password, two_factor_enabled, quota_mb and the app passwords.
Renaming one of those columns means changing those queries too.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.mail_account import MailAccount
from accounts.time_zones import default_time_zone


class Establishment(models.Model):
    """A school or office (collège, lycée, rectorat...), identified by its UAI code."""

    name = models.CharField(_("name"), max_length=200)
    uai = models.CharField(
        _("UAI code"), max_length=8, unique=True, help_text=_("8 characters, e.g. 0340001A")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.uai})"


class User(AbstractUser):
    """A staff member. The username (prenom.nom) is also the mail, calendar and contacts login.

    Dovecot verifies the password hash stored here, so one password works in the browser
    and in mail clients; it also honours must_change_password (a temporary password opens
    nothing but the web page that changes it) and two_factor_enabled (then only app
    passwords open IMAP, SMTP and CalDAV).
    """

    numen_hash = models.CharField(
        _("NUMEN (hashed)"),
        max_length=128,
        blank=True,
        help_text=_("The staff number is stored hashed and never displayed."),
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    backup_email = models.EmailField(_("backup e-mail address"), blank=True)
    backup_email_verified_at = models.DateTimeField(
        _("backup address verified at"), null=True, blank=True
    )
    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("establishment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    department = models.CharField(_("department"), max_length=150, blank=True)
    title = models.CharField(_("role or title"), max_length=150, blank=True)
    quota_mb = models.PositiveIntegerField(_("mail quota (MB)"), default=2048)
    must_change_password = models.BooleanField(_("must change password"), default=False)
    temporary_password_expires_at = models.DateTimeField(
        _("temporary password expires at"), null=True, blank=True
    )
    two_factor_enabled = models.BooleanField(_("two-factor authentication"), default=False)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    # Checked against the tz database by the profile form, not by choices: the list
    # changes with tzdata and would otherwise land in migrations.
    time_zone = models.CharField(_("time zone"), max_length=64, default=default_time_zone)
    deletion_requested_at = models.DateTimeField(_("deletion requested at"), null=True, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
        ]
        permissions = [
            # Given to the "Helpdesk" group (migration 0002); see accounts/helpdesk.py.
            (
                "act_as_helpdesk",
                _("Can act as helpdesk: search accounts, reset passwords and two-factor, unlock"),
            ),
        ]

    @property
    def mail_address(self) -> str:
        return f"{self.username}@{settings.MAIL_DOMAIN}"

    @property
    def mail_account(self) -> MailAccount:
        return MailAccount(username=self.username, address=self.mail_address)

    @property
    def temporary_password_expired(self) -> bool:
        expires = self.temporary_password_expires_at
        return self.must_change_password and expires is not None and expires <= timezone.now()


class GroupPolicy(models.Model):
    """Rules an admin sets for every member of a group (e.g. two-factor required)."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="policy")
    require_two_factor = models.BooleanField(_("require two-factor authentication"), default=False)

    class Meta:
        verbose_name = _("group policy")
        verbose_name_plural = _("group policies")

    def __str__(self) -> str:
        return str(self.group)


class AuditLogEntry(models.Model):
    """One admin, helpdesk or security act: who, what, on whom, when, from where.

    Written once, never changed: save() refuses updates and the admin is read-only.
    """

    class Action(models.TextChoices):
        ACCOUNT_CREATED = "account_created", _("account created")
        ACCOUNT_UPDATED = "account_updated", _("account updated")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("account deactivated")
        ACCOUNT_REACTIVATED = "account_reactivated", _("account reactivated")
        ACCOUNT_DELETED = "account_deleted", _("account deleted")
        ACCOUNTS_IMPORTED = "accounts_imported", _("accounts imported")
        PASSWORD_RESET = "password_reset", _("password reset by helpdesk")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        ACCOUNT_UNLOCKED = "account_unlocked", _("account unlocked")
        ACCOUNT_LOCKED = "account_locked", _("account locked after failed sign-ins")
        TWO_FACTOR_RESET = "two_factor_reset", _("two-factor reset")
        TWO_FACTOR_ENABLED = "two_factor_enabled", _("two-factor enabled")
        TWO_FACTOR_DISABLED = "two_factor_disabled", _("two-factor disabled")
        WELCOME_SENT = "welcome_sent", _("welcome message sent")
        WELCOME_LETTER = "welcome_letter", _("welcome letter printed")
        RECOVERY_REQUESTED = "recovery_requested", _("password recovery requested")
        RECOVERY_COMPLETED = "recovery_completed", _("password recovered")
        APP_PASSWORD_CREATED = "app_password_created", _("app password created")
        APP_PASSWORD_REVOKED = "app_password_revoked", _("app password revoked")
        SESSIONS_REVOKED = "sessions_revoked", _("sessions revoked")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_username = models.CharField(_("by (username)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_username = models.CharField(_("account (username)"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("audit log entries are never changed")
        super().save(*args, **kwargs)


class AppPassword(models.Model):
    """A named password for one mail client, when two-factor protects the account.

    The password is shown once: "<prefix>-<secret>". Dovecot finds the row by the
    public prefix (its passdb query reads the typed password's first characters) and
    verifies the stored hash, so several app passwords work side by side.
    """

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="app_passwords"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True)
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("app password")
        verbose_name_plural = _("app passwords")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class RecoveryToken(models.Model):
    """A single-use proof sent to the backup address: a link token and a short code."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_tokens"
    )
    token_hash = models.CharField(max_length=128, unique=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"recovery for {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"

    @property
    def usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class BackupEmailChallenge(models.Model):
    """A code sent to a new backup address; the address counts once the code comes back."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="backup_challenges"
    )
    email = models.EmailField()
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return self.email


class TrustedBrowser(models.Model):
    """A browser where two-factor is not asked again until expires_at."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trusted_browsers"
    )
    token_hash = models.CharField(max_length=128, unique=True)
    label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.label or f"browser of {self.user_id}"


class UserSession(models.Model):
    """A signed-in browser session, so people can list theirs and revoke them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="web_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_activity_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.user_agent[:40]}"
