"""Forgotten password: the same answer for everyone, limits, and a form that explains."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from accounts.models import AuditLogEntry
from tests.accounts.recovery_support import (
    NUMEN,
    captured_messages,
    recoverable_account,
    solve_captcha,
    submit_recovery,
    wait_for_captured,
    without_csrf,
)


@pytest.fixture
def user(make_account):
    return recoverable_account(make_account)


def test_wrong_answers_get_the_same_page_and_nothing_is_sent(
    client, user, stack, django_user_model
):
    right = submit_recovery(client.__class__(), user)
    wrong_numen = submit_recovery(client.__class__(), user, numen="99Z9999999999")
    wrong_birth = submit_recovery(client.__class__(), user, birth_date="1981-04-23")

    assert right.status_code == wrong_numen.status_code == wrong_birth.status_code == 200
    assert without_csrf(right.content) == without_csrf(wrong_numen.content)
    assert without_csrf(right.content) == without_csrf(wrong_birth.content)
    wait_for_captured(stack, user.backup_email)
    time.sleep(2)  # the two no-op tasks ran in the meantime; nothing more may arrive
    assert len(captured_messages(stack, user.backup_email)) == 1
    matched = AuditLogEntry.objects.filter(action="recovery_requested").values_list(
        "details__matched", flat=True
    )
    assert sorted(matched) == [False, False, True]
    for entry in AuditLogEntry.objects.filter(action="recovery_requested"):
        assert NUMEN not in str(entry.details).upper()


def test_unknown_account_gets_the_same_page_too(client, user, stack):
    known = submit_recovery(client.__class__(), user)
    unknown = submit_recovery(client.__class__(), user, login="nobody.here")

    assert known.status_code == unknown.status_code == 200
    assert without_csrf(known.content) == without_csrf(unknown.content)


def test_sixth_attempt_for_an_account_is_throttled_from_any_address(client, user, stack):
    for number in range(5):
        browser = client.__class__(REMOTE_ADDR=f"192.0.2.{number}")
        assert submit_recovery(browser, user, numen="99Z9999999999").status_code == 200

    browser = client.__class__(REMOTE_ADDR="192.0.2.99")
    browser.cookies["django_language"] = "en"
    throttled = submit_recovery(browser, user, login=f"{user.username.upper()}@example.org")

    assert throttled.status_code == 429
    assert "Too many attempts" in throttled.content.decode()
    assert f'value="{user.username.upper()}@example.org"' in throttled.content.decode()
    time.sleep(2)
    assert captured_messages(stack, user.backup_email) == []


def test_sixth_attempt_from_one_address_is_throttled_whatever_the_account(client, user, stack):
    for number in range(5):
        submit_recovery(client, user, login=f"nobody{number}")

    assert submit_recovery(client, user, login="nobody5").status_code == 429
    other_address = client.__class__(REMOTE_ADDR="192.0.2.7")
    assert submit_recovery(other_address, user, login="nobody6").status_code == 200


def test_form_keeps_what_was_typed_except_secrets_and_explains(client, user, stack):
    client.cookies["django_language"] = "en"
    data = {
        "login": user.username,
        "last_name": "Durand-Émile",
        "numen": "ABC",
        "birth_date": "23/04/1980x",
        **solve_captcha(client),
    }
    data["captcha_1"] = "wrong"

    response = client.post(reverse("accounts:recovery"), data)
    page = response.content.decode()

    assert response.status_code == 422
    assert f'value="{user.username}"' in page
    assert 'value="Durand-Émile"' in page
    assert 'value="ABC"' not in page
    assert "A NUMEN has exactly 13 letters and digits; you typed 3." in page
    assert "Enter the day, month and year of your birth, e.g. 23/04/1980." in page
    assert "The letters do not match the image" in page
    assert not AuditLogEntry.objects.filter(action="recovery_requested").exists()


def test_pages_render_under_the_strict_csp(client, db):
    page = client.get(reverse("accounts:recovery"))
    html = page.content.decode()

    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert " style=" not in html
    assert "<script>" not in html
    assert " onclick=" not in html
    assert (
        client.get(reverse("accounts:login")).content.decode().count(reverse("accounts:recovery"))
    )
