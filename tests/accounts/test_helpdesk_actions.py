"""Unlock, two-factor reset, welcome message and letter: each done and audited."""

import re
from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditLogEntry, TrustedBrowser
from tests.accounts import helpdesk_support
from tests.accounts.helpdesk_support import wait_for_captured_message
from tests.conftest import DEFAULT_TEST_PASSWORD

Action = AuditLogEntry.Action

# The shared fixtures, visible to pytest in this module.
agent = helpdesk_support.agent
agent_client = helpdesk_support.agent_client


def audited(action, agent, person) -> bool:
    return AuditLogEntry.objects.filter(
        action=action, actor=agent, target=person, ip_address="127.0.0.1"
    ).exists()


def status_of(agent_client, person, key) -> str:
    page = agent_client.get(reverse("accounts:helpdesk-account", args=[person.pk]))
    html = page.content.decode()
    start = html.index(f'data-status="{key}"')
    return html[start : html.index("</dd>", start)]


def test_unlock_lets_a_locked_out_person_sign_in_again(agent_client, agent, make_account, settings):
    settings.AXES_FAILURE_LIMIT = 3
    person = make_account("claire.locked")
    browser = Client()
    for _ in range(3):
        browser.post(reverse("accounts:login"), {"username": "claire.locked", "password": "faux"})
    refused = browser.post(
        reverse("accounts:login"), {"username": "claire.locked", "password": DEFAULT_TEST_PASSWORD}
    )
    assert refused.status_code != 302
    assert "Locked after failed sign-ins" in status_of(agent_client, person, "locked")

    agent_client.post(reverse("accounts:helpdesk-unlock", args=[person.pk]))

    assert "Not locked" in status_of(agent_client, person, "locked")
    accepted = browser.post(
        reverse("accounts:login"), {"username": "claire.locked", "password": DEFAULT_TEST_PASSWORD}
    )
    assert accepted.status_code == 302
    assert audited(Action.ACCOUNT_UNLOCKED, agent, person)


def test_reset_two_factor_removes_devices_and_trusted_browsers(agent_client, agent, make_account):
    person = make_account("deux.facteurs", two_factor_enabled=True)
    TOTPDevice.objects.create(user=person, name="phone")
    StaticDevice.objects.create(user=person, name="backup")
    TrustedBrowser.objects.create(
        user=person, token_hash="x" * 64, expires_at=timezone.now() + timedelta(days=30)
    )

    response = agent_client.post(reverse("accounts:helpdesk-reset-two-factor", args=[person.pk]))

    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.two_factor_enabled
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    assert not TrustedBrowser.objects.filter(user=person).exists()
    assert audited(Action.TWO_FACTOR_RESET, agent, person)
    assert "Off" in status_of(agent_client, person, "two-factor")


def test_welcome_message_goes_to_the_backup_address_without_a_password(
    agent_client, agent, make_account, stack
):
    person = make_account("nouveau.venu", backup_email="nouveau@laposte.example", language="en")

    response = agent_client.post(reverse("accounts:helpdesk-send-welcome", args=[person.pk]))

    assert response.status_code == 302
    body = wait_for_captured_message(stack, "nouveau@laposte.example").get_content()
    assert "nouveau.venu" in body
    assert person.mail_address in body
    assert "993" in body
    assert "password:" not in body.lower()
    assert audited(Action.WELCOME_SENT, agent, person)


def test_welcome_letter_asks_first_then_prints_a_new_temporary_password(
    agent_client, agent, make_account
):
    person = make_account("lettre.bienvenue", first_name="Anaïs", language="en")
    url = reverse("accounts:helpdesk-welcome-letter", args=[person.pk])

    confirm = agent_client.get(url)
    person.refresh_from_db()
    assert "new temporary password" in confirm.content.decode()
    assert person.check_password(DEFAULT_TEST_PASSWORD)

    response = agent_client.post(url)

    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert b"(lettre.bienvenue)" in pdf
    assert f"(mail.{settings.MAIL_DOMAIN})".encode() in pdf
    person.refresh_from_db()
    assert person.must_change_password
    assert not person.check_password(DEFAULT_TEST_PASSWORD)
    # The printed temporary password is the account's new one (streams are uncompressed).
    printed = [
        text.decode("latin-1")
        for text in re.findall(rb"\(([A-Za-z0-9]{4}(?:-[A-Za-z0-9]{4}){3})\) Tj", pdf)
    ]
    assert any(person.check_password(text) for text in printed)
    assert audited(Action.WELCOME_LETTER, agent, person)


def test_account_page_shows_its_recent_audit_entries(agent_client, agent, make_account):
    person = make_account("histoire.compte", backup_email="h.compte@gmail.example")
    agent_client.post(reverse("accounts:helpdesk-unlock", args=[person.pk]))

    page = agent_client.get(reverse("accounts:helpdesk-account", args=[person.pk]))

    html = page.content.decode()
    assert "account unlocked" in html
    assert "agent.support" in html
    assert "h***@gmail.example" in html
    assert "h.compte@gmail.example" not in html
