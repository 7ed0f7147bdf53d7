"""Changing one's password on the profile page changes it for the mail programs too."""

from django.urls import reverse

from accounts.models import AuditLogEntry
from tests.accounts.two_factor_support import imap_login_accepted
from tests.conftest import DEFAULT_TEST_PASSWORD

NEW_PASSWORD = "Nouveau-Secret-2026!x"  # noqa: S105 - test data


def change(client, old: str, new: str, confirmation: str | None = None):
    client.cookies["django_language"] = "en"
    return client.post(
        reverse("accounts:profile-password"),
        {"old_password": old, "new_password1": new, "new_password2": confirmation or new},
    )


def test_the_new_password_works_in_the_web_and_in_imap(logged_in_client, account):
    response = change(logged_in_client, DEFAULT_TEST_PASSWORD, NEW_PASSWORD)

    assert response["Location"] == reverse("accounts:profile")
    # The session survives its own password change.
    assert logged_in_client.get(reverse("accounts:profile")).status_code == 200
    assert imap_login_accepted(account.username, NEW_PASSWORD)
    assert not imap_login_accepted(account.username, DEFAULT_TEST_PASSWORD)
    entry = AuditLogEntry.objects.get(action=AuditLogEntry.Action.PASSWORD_CHANGED)
    assert entry.target == account
    assert NEW_PASSWORD not in str(entry.details)


def test_the_current_password_is_required(logged_in_client, account):
    response = change(logged_in_client, "Pas-le-bon-2026!", NEW_PASSWORD)

    assert response.status_code == 422
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "old password was entered incorrectly" in page
    assert NEW_PASSWORD not in page  # secrets are never echoed back
    account.refresh_from_db()
    assert account.check_password(DEFAULT_TEST_PASSWORD)


def test_the_password_rules_and_the_confirmation_are_explained(logged_in_client, account):
    short = change(logged_in_client, DEFAULT_TEST_PASSWORD, "court")
    mismatch = change(logged_in_client, DEFAULT_TEST_PASSWORD, NEW_PASSWORD, "Autre-Secret-2026!")

    assert short.status_code == 422
    assert mismatch.status_code == 422
    assert "didn’t match" in mismatch.content.decode()
    account.refresh_from_db()
    assert account.check_password(DEFAULT_TEST_PASSWORD)
