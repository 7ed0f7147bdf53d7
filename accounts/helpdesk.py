"""What a helpdesk agent may do to an account: find it, read its state, reset and unlock it.

Helpdesk agents are the users with the permission accounts.act_as_helpdesk: the members
of the "Helpdesk" group, which holds it (created by migration 0002), anyone an admin
gives it to directly or through another group, and superusers. They act on ordinary
staff only: an agent who could reset an administrator's or another agent's password
could make themselves administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts import web_sessions
from accounts.client_setup import ClientSettings
from accounts.models import User
from accounts.provisioning import generate_temporary_password

HELPDESK_GROUP = "Helpdesk"
HELPDESK_PERMISSION = "accounts.act_as_helpdesk"
_APP_LABEL, _CODENAME = HELPDESK_PERMISSION.split(".")

SEARCH_FIELDS = (
    "id",
    "username",
    "first_name",
    "last_name",
    "is_active",
    "last_login",
    "establishment__name",
    "establishment__uai",
)


def is_helpdesk(user) -> bool:
    """Holds accounts.act_as_helpdesk (superusers hold every permission). Read afresh at
    each request; the menu's link keeps its answer a minute in the session
    (accounts/context_processors.py)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(HELPDESK_PERMISSION)


def helpdesk_group() -> Group:
    """The "Helpdesk" group, holding the permission (made again if it was deleted)."""
    group, _created = Group.objects.get_or_create(name=HELPDESK_GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label=_APP_LABEL, codename=_CODENAME)
    )
    return group


def accounts_for_agent(agent) -> QuerySet[User]:
    """The accounts this agent may see and act on (404 for the others)."""
    accounts = User.objects.filter(deletion_requested_at__isnull=True)  # being emptied
    if agent.is_superuser:
        return accounts
    helpdesk = Permission.objects.filter(content_type__app_label=_APP_LABEL, codename=_CODENAME)
    return (
        accounts.filter(is_superuser=False, is_staff=False)
        .exclude(user_permissions__in=helpdesk)
        .exclude(groups__permissions__in=helpdesk)
    )


def search_accounts(agent, query: str) -> QuerySet[User]:
    """Every word must start the username, a name or the establishment, or be its UAI."""
    accounts = accounts_for_agent(agent).select_related("establishment").only(*SEARCH_FIELDS)
    for word in query.split():
        accounts = accounts.filter(
            Q(username__istartswith=word)
            | Q(last_name__istartswith=word)
            | Q(first_name__istartswith=word)
            | Q(establishment__name__istartswith=word)
            | Q(establishment__uai__iexact=word)
        )
    return accounts.order_by("last_name", "first_name", "username")


def mask_email(address: str) -> str:
    """'jean.dupont@gmail.com' -> 'j***@gmail.com': enough for the caller to recognise it."""
    local, at, domain = address.rpartition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def is_locked_out(username: str) -> bool:
    """django-axes' own rule: failures within the cool-off reach the limit."""
    attempts = AccessAttempt.objects.filter(username=username)
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    return failures >= get_failure_limit(None, {"username": username})


@dataclass(frozen=True)
class AccountStatus:
    active: bool
    locked: bool
    last_login: datetime | None
    two_factor: bool
    must_change_password: bool
    temporary_password_expired: bool
    backup_email_masked: str
    backup_email_verified: bool


def account_status(account: User) -> AccountStatus:
    return AccountStatus(
        active=account.is_active,
        locked=is_locked_out(account.username),
        last_login=account.last_login,
        two_factor=account.two_factor_enabled,
        must_change_password=account.must_change_password,
        temporary_password_expired=account.temporary_password_expired,
        backup_email_masked=mask_email(account.backup_email) if account.backup_email else "",
        backup_email_verified=account.backup_email_verified_at is not None,
    )


def reset_password(account: User) -> str:
    """Give the account a new temporary password and return it (the caller shows it once).

    Dovecot refuses a password that must be changed, so the temporary one opens only
    the web page that replaces it; the old one stops working everywhere at once.
    """
    password = generate_temporary_password()  # one generator for admin, import, helpdesk
    with transaction.atomic():
        account.set_password(password)
        account.must_change_password = True
        account.temporary_password_expires_at = timezone.now() + timedelta(
            days=settings.TEMPORARY_PASSWORD_VALID_DAYS
        )
        account.save(
            update_fields=["password", "must_change_password", "temporary_password_expires_at"]
        )
        web_sessions.end_sessions(account)
    return password


def unlock(account: User) -> int:
    """Forget the failed logins that lock the account; returns how many were cleared."""
    return axes_reset(username=account.username)


def client_settings_lines(client: ClientSettings, username: str) -> list[tuple[str, str]]:
    """The settings to type into a mail client, as (label, value) in the active language."""
    return [
        (_("User name"), username),
        (_("Incoming mail (IMAP) server"), client.imap_host),
        (_("IMAP port and security"), f"{client.imap_port} – {client.imap_security}"),
        (_("Outgoing mail (SMTP) server"), client.smtp_host),
        (_("SMTP port and security"), f"{client.smtp_port} – {client.smtp_security}"),
        (_("Calendars (CalDAV) and contacts (CardDAV)"), client.dav_principal_url(username)),
    ]


def welcome_message(account: User, client: ClientSettings, login_url: str) -> tuple[str, str]:
    """Subject and body of the welcome message, in the account's language; no password."""
    with override(account.language):
        subject = _("Your webmail account")
        intro = _(
            "Hello,\n\nYour webmail account is ready.\n\nAddress: %(address)s\n"
            "Sign in at: %(url)s\n\nTo read your mail in Thunderbird, Outlook or on a phone:"
        ) % {"address": account.mail_address, "url": login_url}
        lines = [
            f"  {label}: {value}"
            for label, value in client_settings_lines(client, account.username)
        ]
        outro = _(
            "Your password is the one given by your helpdesk or administrator; "
            "you will choose your own at the first sign-in."
        )
        return subject, "\n".join([intro, "", *lines, "", outro, ""])


def temporary_password_message(account: User, password: str, login_url: str) -> tuple[str, str]:
    """Subject and body of the message carrying a temporary password to the backup address."""
    with override(account.language):
        subject = _("Your new temporary webmail password")
        body = _(
            "Hello,\n\nThe helpdesk has reset the password of %(username)s.\n\n"
            "Temporary password: %(password)s\n\nSign in at %(url)s within %(days)s days: "
            "you will be asked to choose a new password at once. Until then the temporary "
            "password does not open mail clients.\n\nIf you did not ask for this, "
            "call your helpdesk.\n"
        ) % {
            "username": account.username,
            "password": password,
            "url": login_url,
            "days": settings.TEMPORARY_PASSWORD_VALID_DAYS,
        }
        return subject, body
