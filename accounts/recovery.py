"""Forgotten password: match the identity, send proof to the backup address, reset.

How the answer avoids telling who has an account
-------------------------------------------------
The identity data (username, last name, NUMEN, date of birth) only filters requests;
the proof is control of the backup address. The web request does the same work whether
or not anything matched: one account lookup, exactly one keyed HMAC and one Argon2 run
(the NUMEN is checked against the account's NUMEN hash, or a dummy one when there is no
account or no NUMEN; an Argon2 hash from before NUMENs were HMACs still verifies, and the
other check runs against a dummy so both kinds of account take the same time), one
audit entry and exactly one Celery task. The task gets the account id, or None; it
creates the token and mails it, or returns at once. The slow, variable parts (token
rows, SMTP) therefore run in the worker, after the response has left.

We match in the web process rather than in the task so that the NUMEN and the date of
birth never travel through Redis, and so that the audit entry (which the rate limit
counts) exists before the response: a burst of requests cannot outrun the limit.

A non-empty backup_email counts as registered, verified by its owner
(backup_email_verified_at set) or set by an admin (verified_at may be empty): admins
take it from the staff records, which is the organisation's own proof.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import recovery_rules as rules
from accounts import time_zones, web_sessions
from accounts.audit import Action, record
from accounts.backends import username_from_login
from accounts.hashers import check_numen, is_legacy_numen_hash, keyed_digest
from accounts.models import AuditLogEntry, RecoveryToken
from webmail.system_mail import queue_system_mail

RECOVERY_LIFETIME = timedelta(minutes=30)
ATTEMPT_WINDOW = timedelta(minutes=15)
ATTEMPT_LIMIT = 5
MAX_CODE_ATTEMPTS = 5
CODE_PURPOSE = "recovery"


def _dummy_numen_hash() -> str:
    """A NUMEN hash no typed NUMEN matches, made like a real one (a keyed HMAC)."""
    return keyed_digest(rules.new_link_token())


@functools.cache
def _dummy_argon2_hash() -> str:
    """Hashed once per process with Argon2, like a NUMEN hash from before the HMAC."""
    return make_password(rules.new_link_token())


def _numen_matches(numen: str, stored: str) -> bool:
    """check_numen on `stored`, plus the other kind of check on a dummy: one HMAC and one
    Argon2 run whatever `stored` is, in constant time."""
    matches = check_numen(numen, stored)
    other_kind = _dummy_numen_hash() if is_legacy_numen_hash(stored) else _dummy_argon2_hash()
    check_numen(numen, other_kind)
    return matches


def _recent_attempts():
    since = timezone.now() - ATTEMPT_WINDOW
    return AuditLogEntry.objects.filter(
        action=Action.RECOVERY_REQUESTED, created_at__gte=since, details__throttled=False
    )


def recovery_throttled(ip_address: str | None, login: str) -> bool:
    """True when this address or this account already made ATTEMPT_LIMIT requests in
    the window. Counted from the audit log, so it holds across web processes."""
    recent = _recent_attempts()
    if ip_address and recent.filter(ip_address=ip_address).count() >= ATTEMPT_LIMIT:
        return True
    username = username_from_login(login, settings.MAIL_DOMAIN)
    return bool(username) and recent.filter(details__login=username).count() >= ATTEMPT_LIMIT


def record_throttled_attempt(request: HttpRequest, login: str) -> None:
    username = username_from_login(login, settings.MAIL_DOMAIN)
    record(Action.RECOVERY_REQUESTED, request=request, login=username, throttled=True)


def match_account(username: str, last_name: str, numen: str, birth_date: date):
    """The active account these answers describe, if it has a backup address, else None.

    Always runs one HMAC and one Argon2 check (see the module docstring).
    """
    user = (
        get_user_model()
        .objects.filter(username=username, is_active=True, deletion_requested_at__isnull=True)
        .first()
    )
    stored = (user.numen_hash if user else "") or _dummy_numen_hash()
    numen_matches = _numen_matches(rules.normalize_numen(numen), stored)
    if user is None or not numen_matches:
        return None
    if rules.fold_name(user.last_name) != rules.fold_name(last_name):
        return None
    if user.birth_date != birth_date or not user.backup_email:
        return None
    return user


def request_recovery(
    request: HttpRequest, *, login: str, last_name: str, numen: str, birth_date: date
) -> None:
    """Audit the attempt and queue the task that mails the proof (or does nothing).

    Raises TaskQueueUnavailable (the middleware shows the retry page), the same way
    whether or not anything matched.
    """
    from accounts.tasks import send_recovery_proof
    from webmail.services.tasks_queue import enqueue

    username = username_from_login(login, settings.MAIL_DOMAIN)
    user = match_account(username, last_name, numen, birth_date)
    record(
        Action.RECOVERY_REQUESTED,
        target=user,
        request=request,
        login=username,
        matched=user is not None,
        throttled=False,
    )
    enqueue(send_recovery_proof, user.pk if user else None, request.build_absolute_uri("/"))


def send_recovery_proof(user_id: int | None, site_root: str) -> None:
    """Create a token and mail the link and the code to the backup address (worker side)."""
    if user_id is None:
        return
    user = (
        get_user_model()
        .objects.filter(pk=user_id, is_active=True, deletion_requested_at__isnull=True)
        .first()
    )
    if user is None or not user.backup_email:
        return
    token, code = rules.new_link_token(), rules.new_recovery_code()
    RecoveryToken.objects.create(
        user=user,
        token_hash=rules.token_digest(token),
        code_hash=_code_digest(code),
        expires_at=timezone.now() + RECOVERY_LIFETIME,
    )
    link = site_root.rstrip("/") + reverse("accounts:recovery-link", args=[token])
    with translation.override(user.language):
        subject = _("Reset your webmail password")
        body = _(
            "Someone (hopefully you) asked to reset the password of the webmail account "
            "%(username)s.\n\nTo choose a new password, open this link within 30 minutes:\n"
            "%(link)s\n\nOr enter this code with your username on the recovery page:\n"
            "%(code)s\n\nThe link and the code work once. If you did not ask for this, "
            "ignore this message: your password stays as it is."
        ) % {"username": user.username, "link": link, "code": code}
        queue_system_mail(user.backup_email, subject, body)


def _code_digest(code: str) -> str:
    return rules.code_digest(settings.SECRET_KEY, CODE_PURPOSE, rules.normalize_code(code))


def token_from_link(token: str) -> RecoveryToken | None:
    """The usable token behind a link, or None (unknown, used or expired)."""
    found = (
        RecoveryToken.objects.select_related("user")
        .filter(token_hash=rules.token_digest(token))
        .first()
    )
    return found if found and found.usable and found.user.is_active else None


def token_from_code(login: str, code: str) -> RecoveryToken | None:
    """The usable token of this account whose code this is, or None.

    Each wrong code counts against every live token of the account; a token dies after
    MAX_CODE_ATTEMPTS, so six characters from 31 letters cannot be guessed.
    """
    username = username_from_login(login, settings.MAIL_DOMAIN)
    live = RecoveryToken.objects.select_related("user").filter(
        user__username=username,
        user__is_active=True,
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
        attempts__lt=MAX_CODE_ATTEMPTS,
    )
    digest = _code_digest(code)
    for candidate in live:
        if rules.digests_match(candidate.code_hash, digest):
            return candidate
    live.update(attempts=F("attempts") + 1)
    return None


def get_live_token(token_id: int | None) -> RecoveryToken | None:
    """The token a browser proved it holds (kept in its session), if still usable."""
    if token_id is None:
        return None
    found = RecoveryToken.objects.select_related("user").filter(pk=token_id).first()
    return found if found and found.usable and found.user.is_active else None


def verify_second_factor(user, otp_token: str) -> bool:
    """A TOTP or backup code from one of the user's confirmed django-otp devices."""
    from django_otp import devices_for_user

    otp_token = otp_token.strip().replace(" ", "")
    return bool(otp_token) and any(
        device.verify_token(otp_token) for device in devices_for_user(user, confirmed=True)
    )


class TokenAlreadyUsed(Exception):
    """Another request used this token first."""


def complete_recovery(token: RecoveryToken, request: HttpRequest) -> None:
    """Save the new password already set on token.user, kill every token and session,
    audit, and tell the user at their mailbox and backup address.

    Raises TokenAlreadyUsed when a concurrent request won.
    """
    user = token.user
    now = timezone.now()
    with transaction.atomic():
        claimed = RecoveryToken.objects.filter(pk=token.pk, used_at__isnull=True).update(
            used_at=now
        )
        if not claimed:
            raise TokenAlreadyUsed
        revoke_recovery_tokens(user)
        user.must_change_password = False
        user.temporary_password_expires_at = None
        user.save(
            update_fields=["password", "must_change_password", "temporary_password_expires_at"]
        )
    web_sessions.end_sessions(user)
    record(Action.RECOVERY_COMPLETED, actor=user, target=user, request=request)
    _notify_password_reset(user)


def revoke_recovery_tokens(user) -> None:
    RecoveryToken.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())


def _notify_password_reset(user) -> None:
    with translation.override(user.language):
        subject = _("Your webmail password was changed")
        body = _(
            "The password of the webmail account %(username)s was reset with the "
            "forgotten-password procedure on %(when)s. Every open session was closed.\n\n"
            "If you did not do this, contact the helpdesk at once."
        ) % {"username": user.username, "when": _now_for(user).strftime("%Y-%m-%d %H:%M")}
        queue_system_mail(user.mail_address, subject, body)
        if user.backup_email:
            queue_system_mail(user.backup_email, subject, body)


def _now_for(user):
    # The person is signed out: no request activated their zone.
    return timezone.localtime(timezone=time_zones.user_zone(user))


class RevokeRecoveryTokensOnPasswordChange:
    """A password "validator" that validates nothing: Django calls password_changed()
    after every password change (profile, helpdesk, admin), so recovery links die once
    the password changes, wherever it changed."""

    def validate(self, password, user=None) -> None:
        return None

    def password_changed(self, password, user=None) -> None:
        if user is not None and user.pk is not None:
            revoke_recovery_tokens(user)

    def get_help_text(self) -> str:
        return _("Changing it ends any password-recovery link sent before.")
