"""Create, deactivate, reactivate and delete accounts: the admin, the CSV import and the
helpdesk all go through these functions, and each act is written to the audit log.

Dovecot reads the accounts table directly, so what is written here takes effect on
IMAP, SMTP and CalDAV at once: is_active False refuses every login; an unusable
password refuses the user's own logins while the master user can still empty the
mailbox before the row goes.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import audit, web_sessions
from accounts.hashers import keyed_digest
from accounts.models import AppPassword, Establishment, User
from accounts.usernames import base_username, free_username

_NUMEN = re.compile(r"[A-Z0-9]{13}")
# Readable: no 0/O, 1/l/I; groups joined by hyphens, which count as the special character.
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_LOWER = "abcdefghijkmnopqrstuvwxyz"
_DIGITS = "23456789"


class ProvisioningError(ValueError):
    """A request that cannot be carried out; `user_message` says why, for the admin."""

    def __init__(self, user_message) -> None:
        super().__init__(str(user_message))
        self.user_message = user_message


def normalise_numen(value: str) -> str:
    """'07e 0123456abc' -> '07E0123456ABC'. Raises ProvisioningError unless 13 letters/digits."""
    numen = re.sub(r"[\s.-]", "", value).upper()
    if not _NUMEN.fullmatch(numen):
        raise ProvisioningError(_("A NUMEN has exactly 13 letters and digits."))
    return numen


def hash_numen(numen: str) -> str:
    """The stored form of a NUMEN: a keyed HMAC (accounts/hashers.py), checked with
    accounts.hashers.check_numen. Raises ProvisioningError for a malformed NUMEN."""
    return keyed_digest(normalise_numen(numen))


def generate_temporary_password() -> str:
    """A random password such as 'Kp7m-x3Qa-9dRt-Vh4e': 16 letters and digits in groups
    of four, readable aloud or on paper, meeting both password policies (12 characters
    with upper, lower, digit and special, or 15 characters)."""
    alphabet = _UPPER + _LOWER + _DIGITS
    while True:
        chars = "".join(secrets.choice(alphabet) for _ in range(16))
        if (
            any(c in _UPPER for c in chars)
            and any(c in _LOWER for c in chars)
            and any(c in _DIGITS for c in chars)
        ):
            return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def taken_usernames(base: str) -> set[str]:
    """The usernames that could clash with `base` (itself and base2, base3...)."""
    return set(User.objects.filter(username__startswith=base).values_list("username", flat=True))


def propose_username(first_name: str, last_name: str) -> str:
    """The username an account with these names would get now. Raises UsernameError."""
    base = base_username(first_name, last_name)
    return free_username(base, taken_usernames(base))


def temporary_password_expiry():
    """When an unused temporary password stops working."""
    return timezone.now() + timedelta(days=settings.TEMPORARY_PASSWORD_VALID_DAYS)


@transaction.atomic
def create_account(
    first_name: str,
    last_name: str,
    *,
    actor: User | None,
    ip_address: str | None = None,
    username: str | None = None,
    numen: str | None = None,
    temporary_password: str | None = None,
    birth_date: date | None = None,
    backup_email: str = "",
    establishment: Establishment | None = None,
    department: str = "",
    title: str = "",
    quota_mb: int | None = None,
) -> tuple[User, str]:
    """A new active account that must change its temporary password at first login.

    The username is generated from the names unless `username` (a proposal the admin
    confirmed) is given; a proposal taken in the meantime raises ProvisioningError, so the
    admin confirms the new one. The temporary password is `temporary_password`, else the
    NUMEN, else a generated one; it is returned, never stored in clear. Raises
    ProvisioningError or UsernameError.
    """
    first_name, last_name = first_name.strip(), last_name.strip()
    base = base_username(first_name, last_name)
    if username is None:
        username = free_username(base, taken_usernames(base))
    elif username in taken_usernames(username) or not username.startswith(base):
        raise ProvisioningError(
            _("The username %(username)s is no longer free.") % {"username": username}
        )
    clean_numen = normalise_numen(numen) if numen else None
    password = temporary_password or clean_numen or generate_temporary_password()
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=f"{username}@{settings.MAIL_DOMAIN}",
        birth_date=birth_date,
        backup_email=backup_email,
        establishment=establishment,
        department=department,
        title=title,
        must_change_password=True,
        temporary_password_expires_at=temporary_password_expiry(),
    )
    if quota_mb is not None:
        user.quota_mb = quota_mb
    if clean_numen:
        user.numen_hash = keyed_digest(clean_numen)
    if clean_numen and password == clean_numen:
        # The NUMEN as temporary password: its HMAC serves both fields (accounts/hashers.py).
        user.password = user.numen_hash
    else:
        user.set_password(password)
    user.save()
    audit.record(
        audit.Action.ACCOUNT_CREATED,
        actor=actor,
        target=user,
        ip_address=ip_address,
        numen_set=bool(clean_numen),
    )
    return user, password


def set_numen(user: User, numen: str, *, actor: User | None, ip_address: str | None = None) -> None:
    """Replace the stored NUMEN hash. Raises ProvisioningError for a malformed NUMEN."""
    user.numen_hash = hash_numen(numen)
    user.save(update_fields=["numen_hash"])
    audit.record(
        audit.Action.ACCOUNT_UPDATED,
        actor=actor,
        target=user,
        ip_address=ip_address,
        numen_set=True,
    )


def deactivate_account(user: User, *, actor: User | None, ip_address: str | None = None) -> None:
    """Refuse the account everywhere at once: Dovecot (IMAP, SMTP, and CalDAV through it)
    reads is_active on every login, and the web sessions end."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    web_sessions.end_sessions(user)
    audit.record(audit.Action.ACCOUNT_DEACTIVATED, actor=actor, target=user, ip_address=ip_address)


def reactivate_account(user: User, *, actor: User | None, ip_address: str | None = None) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit.record(audit.Action.ACCOUNT_REACTIVATED, actor=actor, target=user, ip_address=ip_address)


def delete_account(user: User, *, actor: User | None, ip_address: str | None = None) -> None:
    """Cut the account off now; a Celery task then empties its mailbox, removes its
    calendars and address books and deletes the row
    (accounts.provisioning_tasks.purge_deleted_account).

    Until the task has run, the row stays with deletion_requested_at set: the password
    is unusable and the app passwords are gone, so the user can open nothing, while the
    row keeps the account active for the master user that empties the mailbox (Dovecot
    refuses even the master user for an inactive account). Raises TaskQueueUnavailable.
    """
    from accounts.provisioning_tasks import purge_deleted_account
    from webmail.services.tasks_queue import enqueue

    with transaction.atomic():
        user.set_unusable_password()
        user.is_active = True
        user.must_change_password = False
        user.deletion_requested_at = timezone.now()
        user.save()
        AppPassword.objects.filter(user=user).delete()
        web_sessions.end_sessions(user)
        audit.record(audit.Action.ACCOUNT_DELETED, actor=actor, target=user, ip_address=ip_address)
    enqueue(purge_deleted_account, user.pk)


def purge_account(user: User) -> None:
    """Empty the mailbox and remove every calendar and address book (all the user's
    collections in Radicale) through the master user, then delete the row. Safe to run
    again after a failure. Raises MailServerUnavailable, MailLoginFailed or
    CalendarServerUnavailable (the task retries)."""
    from calendar_app.services import dav
    from mailbox.services import body_cache, imap, received_dates, row_cache

    with imap.session_for(user.mail_account) as session:
        session.empty_mailbox()
    row_cache.forget_account(user.username)
    body_cache.forget_account(user.username)
    received_dates.forget_account(user.username)
    with dav.session_for(user.mail_account) as session:
        session.delete_all_collections()
    user.delete()
