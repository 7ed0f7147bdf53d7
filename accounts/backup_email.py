"""Register a backup address: a six-digit code goes there, and comes back typed.

The code is stored as an HMAC keyed by SECRET_KEY (accounts.recovery_rules.code_digest),
not with make_password: a salted slow hash cannot protect a million possible codes
against someone holding the database, the server key can; and the HMAC is cheap to
compare in constant time. Guessing online is stopped by MAX_ATTEMPTS and the expiry.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import recovery_rules as rules
from accounts.audit import Action, record
from accounts.models import BackupEmailChallenge
from webmail.system_mail import queue_system_mail

CHALLENGE_LIFETIME = timedelta(minutes=30)
MAX_ATTEMPTS = 5
CHALLENGES_PER_HOUR = 5
CODE_PURPOSE = "backup-email"


class CodeRejected(Exception):
    """The code is wrong, expired or used up; `user_message` says which."""

    def __init__(self, user_message: str):
        super().__init__(user_message)
        self.user_message = user_message


def too_many_challenges(user) -> bool:
    """Each challenge mails an outside address: cap them so the page can't spam anyone."""
    since = timezone.now() - timedelta(hours=1)
    return user.backup_challenges.filter(created_at__gte=since).count() >= CHALLENGES_PER_HOUR


def start_challenge(user, email: str) -> BackupEmailChallenge:
    """Mail a fresh code to `email`; earlier codes of the user stop working."""
    code = rules.new_backup_code()
    now = timezone.now()
    user.backup_challenges.filter(expires_at__gt=now).update(expires_at=now)
    challenge = BackupEmailChallenge.objects.create(
        user=user,
        email=email,
        code_hash=_digest(code),
        expires_at=now + CHALLENGE_LIFETIME,
    )
    with translation.override(user.language):
        subject = _("Your backup address verification code")
        body = _(
            "%(code)s is the code that confirms this address as the backup address of the "
            "webmail account %(username)s. It works for 30 minutes.\n\n"
            "If you did not ask for this, ignore this message."
        ) % {"code": code, "username": user.username}
    queue_system_mail(email, subject, body)
    return challenge


def pending_challenge(user) -> BackupEmailChallenge | None:
    return user.backup_challenges.filter(expires_at__gt=timezone.now()).order_by("-pk").first()


def confirm_code(user, code: str, request=None) -> str:
    """Make the pending address the user's backup address; return it.

    Raises CodeRejected.
    """
    challenge = pending_challenge(user)
    if challenge is None:
        raise CodeRejected(_("This code has expired. Ask for a new one."))
    if challenge.attempts >= MAX_ATTEMPTS:
        raise CodeRejected(_("Too many wrong codes. Ask for a new one."))
    if not rules.digests_match(challenge.code_hash, _digest(code)):
        BackupEmailChallenge.objects.filter(pk=challenge.pk).update(attempts=F("attempts") + 1)
        raise CodeRejected(_("This code is not the one we sent. Check it and try again."))
    user.backup_email = challenge.email
    user.backup_email_verified_at = timezone.now()
    user.save(update_fields=["backup_email", "backup_email_verified_at"])
    user.backup_challenges.all().delete()
    record(Action.ACCOUNT_UPDATED, actor=user, target=user, request=request, field="backup_email")
    return challenge.email


def _digest(code: str) -> str:
    return rules.code_digest(settings.SECRET_KEY, CODE_PURPOSE, rules.normalize_code(code))
