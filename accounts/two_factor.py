"""Two-factor authentication: TOTP enrolment, backup codes, group policies, trusted browsers.

Devices are django-otp's: one TOTPDevice (the phone app) and one StaticDevice holding the
single-use backup codes. `user.two_factor_enabled` is the switch Dovecot reads: while it
is on, only app passwords open IMAP, SMTP and CalDAV.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from base64 import b32encode
from datetime import timedelta

import segno
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import GroupPolicy, TrustedBrowser, User

BACKUP_CODE_COUNT = 10
TRUSTED_BROWSER_DAYS = 30
# Names given to our devices, so that a device another tool adds is never mistaken for ours.
TOTP_DEVICE_NAME = "authenticator"
STATIC_DEVICE_NAME = "backup-codes"


class TwoFactorRequiredByPolicy(Exception):
    """Two-factor cannot be turned off: a group of the user requires it."""


class CodeThrottled(Exception):
    """Too many wrong codes: the device refuses every code for a while (django-otp's
    throttling doubles the wait after each failure)."""


def _ensure_not_throttled(devices) -> None:
    if devices and not any(device.verify_is_allowed()[0] for device in devices):
        raise CodeThrottled


# Stands for the user's id in the policy query's parameters, until the query runs.
_ANY_USER = -7_230_181


@functools.cache
def _policy_query() -> tuple[str, tuple]:
    """The SQL of required_by_policy(), as the ORM writes it, built once a process."""
    policies = GroupPolicy.objects.filter(group__user=_ANY_USER, require_two_factor=True)
    return policies.values("pk")[:1].query.sql_with_params()


def required_by_policy(user: User) -> bool:
    """True when one of the user's groups requires two-factor authentication.

    The second-step middleware asks at every request: the query is the ORM's, but built
    once (building it cost ten times more than running it), and read afresh each time.
    """
    sql, params = _policy_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, tuple(user.pk if p == _ANY_USER else p for p in params))
        return cursor.fetchone() is not None


def start_enrolment(user: User) -> TOTPDevice:
    """A fresh, unconfirmed TOTP device; an earlier unfinished enrolment is discarded."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def pending_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI as an SVG data: URI, for an <img> (CSP img-src allows data:).

    As an image the SVG carries no style the page's CSP would have to allow.
    """
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for apps that cannot scan a code."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise_code(code: str) -> str:
    """People type codes with spaces or hyphens, and backup codes in any case."""
    return "".join(code.split()).replace("-", "").lower()


def confirm_enrolment(user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Turn two-factor on if `code` comes from the new device; return the backup codes.

    Returns None (and changes nothing) when the code is wrong; raises CodeThrottled.
    """
    _ensure_not_throttled([device])
    if not device.verify_token(normalise_code(code)):
        return None
    with transaction.atomic():
        # Only one authenticator: a re-enrolment replaces the previous phone.
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = regenerate_backup_codes(user)
        user.two_factor_enabled = True
        user.save(update_fields=["two_factor_enabled"])
    return codes


def regenerate_backup_codes(user: User) -> list[str]:
    """Replace every backup code with ten new single-use ones (shown once to the user)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=STATIC_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=STATIC_DEVICE_NAME).count()


def verify_code(user: User, code: str):
    """The confirmed device that accepts `code` (6 digits: the app; else a backup code).

    Each device throttles its own failures (django-otp's ThrottlingMixin), so guessing
    gets slower after every wrong code: raises CodeThrottled while it must wait.
    Returns None when nothing matches.
    """
    code = normalise_code(code)
    if not code:
        return None
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    devices = list(model.objects.filter(user=user, confirmed=True))
    _ensure_not_throttled(devices)
    for device in devices:
        if device.verify_token(code):
            return device
    return None


def disable(user: User) -> None:
    """Remove every device and trusted browser and turn two-factor off.

    Raises TwoFactorRequiredByPolicy when a group of the user requires it.
    App passwords are kept but Dovecot ignores them while two-factor is off.
    """
    if required_by_policy(user):
        raise TwoFactorRequiredByPolicy
    remove_two_factor(user)


def remove_two_factor(user: User) -> None:
    """Remove every device and trusted browser and turn two-factor off, whatever the
    policies say (the helpdesk's "reset two-factor" is this too)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        TrustedBrowser.objects.filter(user=user).delete()
        user.two_factor_enabled = False
        user.save(update_fields=["two_factor_enabled"])


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def trust_browser(user: User, label: str) -> tuple[TrustedBrowser, str]:
    """Remember a browser for 30 days; return it and the token for its cookie.

    Only the token's sha256 is stored: the database alone cannot forge the cookie.
    """
    token = secrets.token_urlsafe(32)
    browser = TrustedBrowser.objects.create(
        user=user,
        token_hash=_token_hash(token),
        label=label[:200],
        expires_at=timezone.now() + timedelta(days=TRUSTED_BROWSER_DAYS),
    )
    return browser, token


def trusted_browser_for(user: User, token: str | None) -> TrustedBrowser | None:
    """The unexpired TrustedBrowser of `user` matching the cookie's token, if any.

    The lookup is by the token's sha256, so no comparison of secrets happens in Python.
    """
    if not token:
        return None
    return TrustedBrowser.objects.filter(
        user=user, token_hash=_token_hash(token), expires_at__gt=timezone.now()
    ).first()


def list_trusted_browsers(user: User):
    return TrustedBrowser.objects.filter(user=user, expires_at__gt=timezone.now()).order_by(
        "-created_at"
    )
