"""Calendars follow the same rule as mail: with two-factor on, CalDAV clients (Thunderbird,
phones) need an app password; the account password alone is refused by Radicale."""

import caldav
import pytest
from caldav.lib.error import AuthorizationError
from django.conf import settings

from accounts.app_passwords import create_app_password
from tests.accounts.two_factor_support import enrol
from tests.conftest import DEFAULT_TEST_PASSWORD


def calendars_seen_by(username: str, password: str) -> list:
    with caldav.DAVClient(
        url=settings.CALDAV_URL, username=username, password=password, timeout=30
    ) as client:
        return client.principal().calendars()


def test_caldav_accepts_the_account_password_without_two_factor(make_account):
    user = make_account()

    assert calendars_seen_by(user.username, DEFAULT_TEST_PASSWORD) == []


def test_with_two_factor_caldav_takes_app_passwords_only(make_account):
    user = make_account()
    enrol(user)
    row, app_password = create_app_password(user, "Agenda du téléphone")

    assert calendars_seen_by(user.username, app_password) == []
    with pytest.raises(AuthorizationError):
        calendars_seen_by(user.username, DEFAULT_TEST_PASSWORD)
    row.refresh_from_db()
    assert row.last_used_at is not None  # Radicale asked Dovecot, which recorded the use
