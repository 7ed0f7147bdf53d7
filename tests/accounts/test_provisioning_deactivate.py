"""Deactivating an account refuses it at once, by IMAP and on the web; reactivating undoes it."""

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.models import AuditLogEntry, UserSession
from tests.accounts.provisioning_helpers import admin_change_data, admin_client, imap_accepts
from tests.conftest import DEFAULT_TEST_PASSWORD


def _signed_in_browser(user) -> Client:
    web = Client()
    web.force_login(user)
    # The sessions area may already record it on login; make sure it is there.
    UserSession.objects.get_or_create(user=user, session_key=web.session.session_key)
    return web


def _signed_in(web: Client) -> bool:
    response = web.get(reverse("mailbox:home"))
    return not response.get("Location", "").startswith(reverse("accounts:login"))


def _run_action(browser, action: str, user):
    return browser.post(
        reverse("admin:accounts_user_changelist"),
        {"action": action, "_selected_action": [user.pk]},
    )


def test_deactivated_account_is_refused_by_imap_and_the_web(make_account):
    browser = admin_client(make_account)
    user = make_account("odile.marchand")
    web = _signed_in_browser(user)
    assert imap_accepts("odile.marchand", DEFAULT_TEST_PASSWORD)
    assert _signed_in(web)

    response = _run_action(browser, "deactivate_accounts", user)

    assert response.status_code == 302
    assert not imap_accepts("odile.marchand", DEFAULT_TEST_PASSWORD)
    assert not _signed_in(web)
    assert not UserSession.objects.filter(user=user).exists()
    assert not Session.objects.filter(session_key=web.session.session_key).exists()
    fresh = Client().post(
        reverse("accounts:login"), {"username": "odile.marchand", "password": DEFAULT_TEST_PASSWORD}
    )
    assert fresh.status_code == 200  # the login form again, no session
    entry = AuditLogEntry.objects.get(action="account_deactivated", target=user)
    assert entry.actor == browser.admin_user


def test_reactivated_account_opens_again(make_account):
    browser = admin_client(make_account)
    user = make_account("rose.barbier")
    _run_action(browser, "deactivate_accounts", user)

    _run_action(browser, "reactivate_accounts", user)

    assert imap_accepts("rose.barbier", DEFAULT_TEST_PASSWORD)
    assert AuditLogEntry.objects.filter(action="account_reactivated", target=user).exists()


def test_unticking_active_in_the_change_form_also_ends_sessions(make_account):
    browser = admin_client(make_account)
    user = make_account("yves.colin", first_name="Yves", last_name="Colin")
    web = _signed_in_browser(user)
    data = admin_change_data(browser, user) | {"is_active": ""}

    response = browser.post(reverse("admin:accounts_user_change", args=[user.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not imap_accepts("yves.colin", DEFAULT_TEST_PASSWORD)
    assert not _signed_in(web)
    assert AuditLogEntry.objects.filter(action="account_deactivated", target=user).exists()
