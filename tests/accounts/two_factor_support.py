"""Helpers for the two-factor tests: enrol an account and compute its codes like a phone."""

from __future__ import annotations

import time

import pytest
from django.conf import settings as django_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from accounts import two_factor

SECOND_STEP_MIDDLEWARE = "accounts.middleware.TwoFactorRequiredMiddleware"


def totp_code(device, steps_ahead: int = 0) -> str:
    """The code the phone shows now (or `steps_ahead` periods later: django-otp refuses a
    code of a period already used, and accepts one period of drift)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(user, client=None):
    """Turn two-factor on as the enrolment page does; return the device and backup codes.

    With a signed-in test client, its session counts as having passed the second step,
    as the enrolment page leaves it."""
    device = two_factor.start_enrolment(user)
    codes = two_factor.confirm_enrolment(user, device, totp_code(device))
    assert codes is not None
    user.refresh_from_db()
    device.refresh_from_db()
    if client is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return device, codes


@pytest.fixture
def second_step(settings):
    """The second-step middleware is installed, as in production."""
    assert SECOND_STEP_MIDDLEWARE in settings.MIDDLEWARE


def imap_login_accepted(username: str, password: str) -> bool:
    """Log in to the real Dovecot; a refusal takes about 2 s (its auth penalty)."""
    try:
        with IMAPClient(
            django_settings.IMAP_HOST, port=django_settings.IMAP_PORT, ssl=False, timeout=30
        ) as client:
            client.login(username, password)
    except LoginError:
        return False
    return True
