"""Turning two-factor on and off from the two-factor page."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditLogEntry, GroupPolicy
from tests.accounts.two_factor_support import enrol, totp_code

Action = AuditLogEntry.Action


@pytest.fixture
def english_client(logged_in_client):
    logged_in_client.cookies["django_language"] = "en"
    return logged_in_client


def test_enrolment_shows_a_qr_code_and_turns_on_with_a_code_from_the_app(english_client, account):
    response = english_client.post(reverse("accounts:two-factor-start"))
    assert response["Location"] == reverse("accounts:two-factor-confirm")

    page = english_client.get(reverse("accounts:two-factor-confirm")).content.decode()
    device = TOTPDevice.objects.get(user=account, confirmed=False)
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'id="manual-secret">([A-Z2-7 ]+)<', page).group(1)
    assert len(secret.replace(" ", "")) >= 32

    wrong = english_client.post(reverse("accounts:two-factor-confirm"), {"code": "000000"})
    assert wrong.status_code == 422
    assert "not the one your app shows" in wrong.content.decode()
    # A wrong code makes the device wait before the next try; pretend that time passed.
    device.refresh_from_db()
    device.throttle_reset()

    response = english_client.post(
        reverse("accounts:two-factor-confirm"), {"code": totp_code(device)}
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(set(codes)) == 10
    account.refresh_from_db()
    assert account.two_factor_enabled
    assert AuditLogEntry.objects.filter(action=Action.TWO_FACTOR_ENABLED, target=account).exists()


def test_backup_codes_can_be_made_again_and_the_old_ones_stop_working(english_client, account):
    _device, old_codes = enrol(account, english_client)

    response = english_client.post(reverse("accounts:two-factor-backup-codes"))

    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    disable = english_client.post(reverse("accounts:two-factor-disable"), {"code": old_codes[0]})
    assert disable.status_code == 422


def test_turning_off_needs_a_current_code(english_client, account):
    device, _codes = enrol(account, english_client)

    refused = english_client.post(reverse("accounts:two-factor-disable"), {"code": "123456"})
    assert refused.status_code == 422
    assert "wrong or was already used" in refused.content.decode()
    account.refresh_from_db()
    assert account.two_factor_enabled
    throttled = english_client.post(
        reverse("accounts:two-factor-disable"), {"code": totp_code(device, steps_ahead=1)}
    )
    assert "Too many wrong codes" in throttled.content.decode()
    device.refresh_from_db()
    device.throttle_reset()

    response = english_client.post(
        reverse("accounts:two-factor-disable"), {"code": totp_code(device, steps_ahead=1)}
    )

    assert response.status_code == 302
    account.refresh_from_db()
    assert not account.two_factor_enabled
    assert not TOTPDevice.objects.filter(user=account).exists()
    assert AuditLogEntry.objects.filter(action=Action.TWO_FACTOR_DISABLED, target=account).exists()


def test_a_group_policy_keeps_two_factor_on(english_client, account):
    device, _codes = enrol(account, english_client)
    group = Group.objects.create(name="Direction")
    GroupPolicy.objects.create(group=group, require_two_factor=True)
    account.groups.add(group)

    page = english_client.get(reverse("accounts:two-factor")).content.decode()
    assert "cannot be turned off" in page
    english_client.post(
        reverse("accounts:two-factor-disable"), {"code": totp_code(device, steps_ahead=1)}
    )

    account.refresh_from_db()
    assert account.two_factor_enabled
    assert not AuditLogEntry.objects.filter(action=Action.TWO_FACTOR_DISABLED).exists()
