"""After the password, a two-factor account must give a code before any page opens."""

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.middleware import TRUSTED_COOKIE
from accounts.models import GroupPolicy, TrustedBrowser
from tests.accounts.two_factor_support import enrol, second_step, totp_code
from tests.conftest import DEFAULT_TEST_PASSWORD

pytestmark = pytest.mark.usefixtures("second_step")
__all__ = ["second_step"]

PROFILE = "/accounts/profile/"


def sign_in(client, user):
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": DEFAULT_TEST_PASSWORD}
    )
    assert response.status_code == 302


def verify_page_for(next_url: str) -> str:
    return f"{reverse('accounts:two-factor-verify')}?{urlencode({'next': next_url})}"


def test_the_password_alone_opens_no_page_and_a_code_from_the_app_does(client, account):
    device, _codes = enrol(account)
    sign_in(client, account)

    response = client.get(PROFILE)
    assert response["Location"] == verify_page_for(PROFILE)
    wrong = client.post(verify_page_for(PROFILE), {"code": "000000", "next": PROFILE})
    assert wrong.status_code == 422
    assert "wrong or was already used" in wrong.content.decode()
    assert client.get(PROFILE).status_code == 302

    device.refresh_from_db()
    device.throttle_reset()  # as if the short wait after a wrong code had passed
    response = client.post(
        verify_page_for(PROFILE), {"code": totp_code(device, steps_ahead=1), "next": PROFILE}
    )

    assert response["Location"] == PROFILE
    assert client.get(PROFILE).status_code == 200


def test_a_backup_code_works_once(client, account):
    _device, codes = enrol(account)
    sign_in(client, account)
    response = client.post(verify_page_for(PROFILE), {"code": codes[0].upper(), "next": PROFILE})
    assert response["Location"] == PROFILE
    client.logout()

    sign_in(client, account)
    response = client.post(verify_page_for(PROFILE), {"code": codes[0], "next": PROFILE})

    assert response.status_code == 422
    assert client.get(PROFILE).status_code == 302


def test_an_outside_next_address_is_not_followed(client, account):
    device, _codes = enrol(account)
    sign_in(client, account)

    response = client.post(
        reverse("accounts:two-factor-verify"),
        {"code": totp_code(device, steps_ahead=1), "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("mailbox:home")


def test_a_trusted_browser_skips_the_code_until_revoked(client, account):
    device, _codes = enrol(account)
    sign_in(client, account)
    response = client.post(
        verify_page_for(PROFILE),
        {"code": totp_code(device, steps_ahead=1), "next": PROFILE, "trust_browser": "on"},
    )
    cookie = response.cookies[TRUSTED_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    browser = TrustedBrowser.objects.get(user=account)
    assert cookie.value.split(":")[0] not in browser.token_hash  # only a hash is stored
    client.post(reverse("accounts:logout"))  # keeps the browser's cookies

    sign_in(client, account)
    assert client.get(PROFILE).status_code == 200
    assert "Stop trusting" in client.get(PROFILE).content.decode()

    client.post(reverse("accounts:trusted-browser-revoke", args=[browser.pk]))
    assert client.get(PROFILE).status_code == 302
    client.post(reverse("accounts:logout"))  # keeps the browser's cookies
    sign_in(client, account)
    assert client.get(PROFILE).status_code == 302


def test_a_forged_trust_cookie_is_ignored(client, account):
    enrol(account)
    client.cookies[TRUSTED_COOKIE] = "made-up:value"
    sign_in(client, account)

    assert client.get(PROFILE).status_code == 302


def test_a_group_policy_sends_members_without_two_factor_to_enrolment(client, account):
    group = Group.objects.create(name="Inspection")
    GroupPolicy.objects.create(group=group, require_two_factor=True)
    account.groups.add(group)
    sign_in(client, account)

    response = client.get(PROFILE)

    assert (
        response["Location"] == f"{reverse('accounts:two-factor')}?{urlencode({'next': PROFILE})}"
    )
    page = client.get(reverse("accounts:two-factor")).content.decode()
    assert "Your organisation requires two-factor authentication" in page
    assert client.post(reverse("accounts:two-factor-start")).status_code == 302
    assert client.get(reverse("accounts:two-factor-confirm")).status_code == 200


def test_a_policy_set_while_signed_in_applies_at_the_next_page(client, account):
    sign_in(client, account)
    assert client.get(PROFILE).status_code == 200
    group = Group.objects.create(name="Inspection")
    account.groups.add(group)
    assert client.get(PROFILE).status_code == 200  # a group without the policy
    GroupPolicy.objects.create(group=group, require_two_factor=True)

    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor"))


def test_accounts_without_two_factor_are_not_stopped(client, account):
    sign_in(client, account)

    assert client.get(PROFILE).status_code == 200
    assert client.get(reverse("accounts:two-factor-verify"))["Location"] == reverse("mailbox:home")
