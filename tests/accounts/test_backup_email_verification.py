"""A backup address counts once the code sent there comes back."""

from __future__ import annotations

import re

from django.urls import reverse

from accounts.models import BackupEmailChallenge
from tests.accounts.recovery_support import wait_for_captured


def code_sent_to(stack, address: str) -> str:
    body = wait_for_captured(stack, address)[-1].get_content()
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_code_sent_to_the_new_address_confirms_it(logged_in_client, account, stack):
    address = f"{account.username}@home.test"
    response = logged_in_client.post(reverse("accounts:backup-email"), {"email": address})
    assert response["Location"] == reverse("accounts:backup-email-confirm")

    code = code_sent_to(stack, address)
    response = logged_in_client.post(reverse("accounts:backup-email-confirm"), {"code": code})

    assert response["Location"] == reverse("accounts:backup-email")
    account.refresh_from_db()
    assert account.backup_email == address
    assert account.backup_email_verified_at is not None
    assert address in logged_in_client.get(reverse("accounts:backup-email")).content.decode()


def test_own_domain_is_refused_and_the_address_kept(logged_in_client, account, settings):
    logged_in_client.cookies["django_language"] = "en"
    address = f"other@{settings.MAIL_DOMAIN}"
    response = logged_in_client.post(reverse("accounts:backup-email"), {"email": address})

    assert response.status_code == 422
    page = response.content.decode()
    assert f'value="{address}"' in page
    assert "Choose an address outside" in page
    assert not BackupEmailChallenge.objects.exists()


def test_five_wrong_codes_use_up_the_challenge(logged_in_client, account, stack):
    logged_in_client.cookies["django_language"] = "en"
    address = f"{account.username}@home.test"
    logged_in_client.post(reverse("accounts:backup-email"), {"email": address})
    code = code_sent_to(stack, address)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        response = logged_in_client.post(reverse("accounts:backup-email-confirm"), {"code": wrong})
        assert "not the one we sent" in response.content.decode()

    response = logged_in_client.post(reverse("accounts:backup-email-confirm"), {"code": code})

    assert "Too many wrong codes" in response.content.decode()
    account.refresh_from_db()
    assert account.backup_email == ""
