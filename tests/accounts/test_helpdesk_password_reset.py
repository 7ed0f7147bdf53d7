"""A helpdesk reset: the old password dies everywhere, the temporary one opens only the web."""

import re

from django.test import Client
from django.urls import reverse

from accounts.models import AuditLogEntry
from tests.accounts import helpdesk_support
from tests.accounts.helpdesk_support import imap_login_refused, wait_for_captured_message
from tests.conftest import DEFAULT_TEST_PASSWORD

# The shared fixtures, visible to pytest in this module.
agent = helpdesk_support.agent
agent_client = helpdesk_support.agent_client


def test_reset_replaces_the_password_in_dovecot_and_forces_a_change(
    agent_client, agent, make_account
):
    person = make_account("lea.fontaine", first_name="Léa", last_name="Fontaine")
    assert not imap_login_refused("lea.fontaine", DEFAULT_TEST_PASSWORD)
    their_browser = Client()
    their_browser.force_login(person)

    response = agent_client.post(
        reverse("accounts:helpdesk-reset-password", args=[person.pk]), {"show_on_screen": "on"}
    )

    assert response.status_code == 200
    temporary = response.context["password"]
    assert len(temporary) >= 12
    assert temporary in response.content.decode()
    assert response["Cache-Control"].count("no-store")
    person.refresh_from_db()
    assert person.must_change_password
    assert person.temporary_password_expires_at is not None
    assert imap_login_refused("lea.fontaine", DEFAULT_TEST_PASSWORD)
    # A temporary password opens nothing but the web page that replaces it.
    assert imap_login_refused("lea.fontaine", temporary)
    web = Client()
    login = web.post(reverse("accounts:login"), {"username": "lea.fontaine", "password": temporary})
    assert login.status_code == 302
    assert web.session["_auth_user_id"] == str(person.pk)
    # Their open browser session has ended.
    assert their_browser.get(reverse("client-setup")).status_code == 302
    entry = AuditLogEntry.objects.get(action=AuditLogEntry.Action.PASSWORD_RESET)
    assert (entry.actor, entry.target, entry.ip_address) == (agent, person, "127.0.0.1")
    assert temporary not in str(entry.details)
    # Shown once: the account page never shows it again.
    page = agent_client.get(reverse("accounts:helpdesk-account", args=[person.pk]))
    assert temporary not in page.content.decode()


def test_reset_can_send_the_password_to_the_backup_address_only(agent_client, make_account, stack):
    person = make_account(
        "paul.blanc", backup_email="paul.blanc.perso@gmail.example", language="en"
    )

    response = agent_client.post(
        reverse("accounts:helpdesk-reset-password", args=[person.pk]),
        {"send_to_backup": "on", "to": "pirate@evil.example"},
    )

    assert response.status_code == 200
    assert response.context["password"] == ""
    assert "p***@gmail.example" in response.content.decode()
    message = wait_for_captured_message(stack, "paul.blanc.perso@gmail.example")
    body = message.get_content()
    assert "paul.blanc" in body
    temporary = re.search(r"Temporary password: (\S+)", body).group(1)
    person.refresh_from_db()
    assert person.check_password(temporary)
    assert not any("evil.example" in p.read_text() for p in stack.capture_dir.glob("*.json"))


def test_reset_form_explains_what_is_missing(agent_client, make_account):
    person = make_account("sans.secours")

    nothing = agent_client.post(reverse("accounts:helpdesk-reset-password", args=[person.pk]), {})
    no_backup = agent_client.post(
        reverse("accounts:helpdesk-reset-password", args=[person.pk]), {"send_to_backup": "on"}
    )

    assert nothing.status_code == 422
    assert "Choose how the person will get the password" in nothing.content.decode()
    assert no_backup.status_code == 422
    assert "no backup address" in no_backup.content.decode()
    person.refresh_from_db()
    assert not person.must_change_password
    assert not AuditLogEntry.objects.filter(action=AuditLogEntry.Action.PASSWORD_RESET).exists()
