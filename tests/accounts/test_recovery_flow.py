"""Forgotten password: the proof goes to the backup address and sets a new password."""

from __future__ import annotations

import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from accounts.models import AuditLogEntry, RecoveryToken
from tests.accounts.recovery_support import (
    NUMEN,
    imap_login_works,
    recoverable_account,
    recovery_link_and_code,
    submit_recovery,
    wait_for_captured,
    wait_for_inbox_subject,
)
from tests.conftest import DEFAULT_TEST_PASSWORD

NEW_PASSWORD = "Nouveau-Mot2passe!"  # noqa: S105 - test data


@pytest.fixture
def user(make_account):
    return recoverable_account(make_account)


def set_new_password(client, path: str, **extra):
    opened = client.get(path)
    assert opened.status_code == 302
    assert opened["Location"] == reverse("accounts:recovery-set-password")
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, **extra}
    return client.post(reverse("accounts:recovery-set-password"), data)


def test_link_sent_to_backup_address_sets_the_password_everywhere(client, user, stack):
    other_browser = client.__class__()
    other_browser.force_login(user)

    assert submit_recovery(client, user).status_code == 200
    path, _code = recovery_link_and_code(stack, user)
    response = set_new_password(client, path)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:recovery-done")
    assert imap_login_works(user.username, NEW_PASSWORD)
    assert not imap_login_works(user.username, DEFAULT_TEST_PASSWORD)
    assert other_browser.get(reverse("mailbox:home")).status_code == 302  # signed out
    assert client.get(path).status_code == 410  # the link died once used
    user.refresh_from_db()
    assert not user.must_change_password
    actions = list(AuditLogEntry.objects.filter(target=user).values_list("action", "details"))
    assert ("recovery_completed", {}) in actions
    assert any(a == "recovery_requested" and d["matched"] is True for a, d in actions)
    # Told at the mailbox (the real INBOX) and at the backup address.
    assert wait_for_inbox_subject(user, "Your webmail password was changed")
    captured = wait_for_captured(stack, user.backup_email, count=2)
    # Captured files are named to the second: two messages of one second may sort either way.
    assert "Your webmail password was changed" in [message["Subject"] for message in captured]


def test_code_from_the_message_works_like_the_link(client, user, stack):
    submit_recovery(client, user)
    _path, code = recovery_link_and_code(stack, user)

    response = client.post(
        reverse("accounts:recovery-code"),
        {"login": f"{user.username}@example.org", "code": code.lower()},
    )
    assert response["Location"] == reverse("accounts:recovery-set-password")
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post(reverse("accounts:recovery-set-password"), data)

    assert response["Location"] == reverse("accounts:recovery-done")
    assert imap_login_works(user.username, NEW_PASSWORD)
    assert not RecoveryToken.objects.filter(user=user, used_at__isnull=True).exists()


def test_a_numen_stored_with_argon2_before_the_hmac_still_matches(client, make_account, stack):
    legacy = recoverable_account(make_account, numen_hash=make_password(NUMEN))

    submit_recovery(client, legacy)

    path, _code = recovery_link_and_code(stack, legacy)
    assert set_new_password(client, path)["Location"] == reverse("accounts:recovery-done")


def test_the_date_of_birth_may_be_typed_day_first(client, user, stack):
    # What people type where the browser shows a text box instead of a date picker.
    submit_recovery(client, user, birth_date="23/04/1980")

    path, _code = recovery_link_and_code(stack, user)
    assert path.startswith("/accounts/recovery/link/")


def test_wrong_codes_use_up_the_token(client, user, stack):
    submit_recovery(client, user)
    _path, code = recovery_link_and_code(stack, user)
    wrong = "AAAAAA" if code != "AAAAAA" else "BBBBBB"
    for _ in range(5):
        response = client.post(
            reverse("accounts:recovery-code"), {"login": user.username, "code": wrong}
        )
        assert response.status_code == 422

    response = client.post(
        reverse("accounts:recovery-code"), {"login": user.username, "code": code}
    )
    assert response.status_code == 422


def test_link_dies_after_30_minutes(client, user, stack):
    submit_recovery(client, user)
    path, _code = recovery_link_and_code(stack, user)
    RecoveryToken.objects.filter(user=user).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get(path).status_code == 410


def test_link_dies_when_the_page_stays_open_past_expiry(client, user, stack):
    submit_recovery(client, user)
    path, _code = recovery_link_and_code(stack, user)
    client.get(path)
    RecoveryToken.objects.filter(user=user).update(expires_at=timezone.now())

    response = set_new_password_form_post(client)
    assert response.status_code == 410


def set_new_password_form_post(client):
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    return client.post(reverse("accounts:recovery-set-password"), data)


def test_two_factor_account_also_needs_its_code(client, user, stack):
    user.two_factor_enabled = True
    user.save(update_fields=["two_factor_enabled"])
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    StaticToken.objects.create(device=device, token="k3y5t0ne")
    client.cookies["django_language"] = "en"
    submit_recovery(client, user)
    path, _code = recovery_link_and_code(stack, user)

    refused = set_new_password(client, path, otp_token="00000000")
    assert refused.status_code == 422
    assert "This code is not valid" in refused.content.decode()
    time.sleep(1.5)  # django-otp refuses any code for 1 s after a failure
    accepted = set_new_password(client, path, otp_token="k3y5t0ne")

    assert accepted["Location"] == reverse("accounts:recovery-done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not StaticToken.objects.filter(device=device).exists()  # single-use


def test_the_password_changed_notice_gives_the_time_in_the_users_zone(make_account, client, stack):
    user = recoverable_account(make_account, time_zone="Pacific/Noumea")
    submit_recovery(client, user)
    path, _code = recovery_link_and_code(stack, user)

    set_new_password(client, path)

    captured = wait_for_captured(stack, user.backup_email, count=2)
    notice = next(m for m in captured if m["Subject"] == "Your webmail password was changed")
    noumea = ZoneInfo("Pacific/Noumea")  # UTC+11 all year, far from Paris
    now = timezone.localtime(timezone=noumea)
    nearby = {(now - timedelta(minutes=m)).strftime("%Y-%m-%d %H:%M") for m in (0, 1)}
    assert any(f"procedure on {when}." in notice.get_content() for when in nearby)
