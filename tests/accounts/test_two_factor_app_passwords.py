"""With two-factor on, only app passwords open the real Dovecot; the web still takes the
account password plus a code."""

import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse
from django.utils import formats, timezone

from accounts import app_passwords
from accounts.models import AppPassword, AuditLogEntry
from tests.accounts.two_factor_support import enrol, imap_login_accepted, second_step, totp_code
from tests.conftest import DEFAULT_TEST_PASSWORD

__all__ = ["second_step"]
Action = AuditLogEntry.Action


@pytest.fixture
def verified_client(client, account):
    """Signed in through the login page and the second step, like a person."""
    device, _codes = enrol(account)
    client.cookies["django_language"] = "en"
    client.post(
        reverse("accounts:login"),
        {"username": account.username, "password": DEFAULT_TEST_PASSWORD},
    )
    response = client.post(
        reverse("accounts:two-factor-verify"), {"code": totp_code(device, steps_ahead=1)}
    )
    assert response.status_code == 302
    return client


def create_through_profile(client, name: str) -> str:
    response = client.post(reverse("accounts:app-password-create"), {"name": name})
    assert response.status_code == 200
    return re.search(r'id="app-password">([^<]+)<', response.content.decode()).group(1)


@pytest.mark.usefixtures("second_step")
def test_two_factor_accounts_open_imap_with_app_passwords_only(verified_client, account):
    assert verified_client.get(reverse("accounts:profile")).status_code == 200
    thunderbird = create_through_profile(verified_client, "Thunderbird")
    phone = create_through_profile(verified_client, "Phone")

    assert not imap_login_accepted(account.username, DEFAULT_TEST_PASSWORD)
    assert imap_login_accepted(account.username, thunderbird)
    assert imap_login_accepted(account.mail_address, phone)

    row = AppPassword.objects.get(user=account, name="Thunderbird")
    assert thunderbird.startswith(f"{row.prefix}-")
    assert identify_hasher(row.password).algorithm == "argon2"
    assert thunderbird not in row.password
    page = verified_client.get(reverse("accounts:profile")).content.decode()
    assert "Thunderbird" in page
    assert thunderbird not in page  # shown once, at creation only
    assert AuditLogEntry.objects.filter(action=Action.APP_PASSWORD_CREATED).count() == 2


@pytest.mark.usefixtures("second_step")
def test_a_revoked_app_password_is_refused_and_the_others_still_work(verified_client, account):
    thunderbird = create_through_profile(verified_client, "Thunderbird")
    phone = create_through_profile(verified_client, "Phone")
    row = AppPassword.objects.get(user=account, name="Thunderbird")

    verified_client.post(reverse("accounts:app-password-revoke", args=[row.pk]))

    assert not imap_login_accepted(account.username, thunderbird)
    assert imap_login_accepted(account.username, phone)
    assert AuditLogEntry.objects.filter(action=Action.APP_PASSWORD_REVOKED, target=account).exists()


def test_app_passwords_are_only_offered_with_two_factor(logged_in_client, account):
    logged_in_client.cookies["django_language"] = "en"

    response = logged_in_client.post(reverse("accounts:app-password-create"), {"name": "Phone"})

    assert response.status_code == 302
    assert not AppPassword.objects.filter(user=account).exists()
    assert imap_login_accepted(account.username, DEFAULT_TEST_PASSWORD)


def test_someone_elses_app_password_cannot_be_revoked(logged_in_client, make_account):
    other = make_account()
    enrol(other)
    row, _password = app_passwords.create_app_password(other, "Phone")

    response = logged_in_client.post(reverse("accounts:app-password-revoke", args=[row.pk]))

    assert response.status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_app_password_shape_suits_dovecot():
    prefix = app_passwords.generate_prefix()
    secret = app_passwords.generate_secret()

    assert re.fullmatch(r"[a-z0-9]{8}", prefix)
    assert re.fullmatch(r"([a-hjkmnp-z2-9]{5}-){3}[a-hjkmnp-z2-9]{5}", secret)


@pytest.mark.usefixtures("second_step")
def test_dovecot_records_when_an_app_password_was_last_used(verified_client, account):
    thunderbird = create_through_profile(verified_client, "Thunderbird")
    row = AppPassword.objects.get(user=account, name="Thunderbird")
    assert row.last_used_at is None
    assert "Not recorded" in verified_client.get(reverse("accounts:profile")).content.decode()

    # A wrong secret behind the right prefix is refused and records nothing.
    assert not imap_login_accepted(account.username, f"{row.prefix}-wrong-secret")
    row.refresh_from_db()
    assert row.last_used_at is None

    before = timezone.now().replace(microsecond=0)
    assert imap_login_accepted(account.username, thunderbird)

    row.refresh_from_db()
    assert before <= row.last_used_at <= timezone.now()
    page = verified_client.get(reverse("accounts:profile")).content.decode()
    assert "Not recorded" not in page
    assert (
        formats.date_format(timezone.localtime(row.last_used_at), "SHORT_DATETIME_FORMAT") in page
    )
