"""Staff sign in with their username or their full address."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, load_backend
from django.urls import reverse

from accounts.backends import UsernameOrAddressBackend
from mailbox.models import MailPreferences
from tests.conftest import DEFAULT_TEST_PASSWORD


def test_login_with_username_or_full_address(client, account):
    for login in (account.username, f"{account.username.upper()}@{settings.MAIL_DOMAIN}"):
        response = client.post(
            reverse("accounts:login"), {"username": login, "password": DEFAULT_TEST_PASSWORD}
        )
        assert response.status_code == 302, login
        assert response["Location"] == reverse("mailbox:home")
        client.logout()


def test_wrong_password_explains_in_french_and_keeps_the_username(client, account):
    response = client.post(
        reverse("accounts:login"), {"username": account.username, "password": "faux"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Identifiant ou mot de passe incorrect" in page
    assert f'value="{account.username}"' in page


def test_pages_need_a_login(client, db):
    for name in ("mailbox:home", "calendar_app:home", "addressbook:directory"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_each_request_reads_the_user_and_their_mail_preferences_in_one_query(
    client, account, django_assert_num_queries
):
    MailPreferences.objects.create(user=account, page_size=25)
    client.post(
        reverse("accounts:login"),
        {"username": account.username, "password": DEFAULT_TEST_PASSWORD},
    )
    session = client.session

    user = load_backend(session[BACKEND_SESSION_KEY]).get_user(session[SESSION_KEY])

    with django_assert_num_queries(0):
        assert MailPreferences.for_user(user).page_size == 25


def test_a_user_who_never_chose_mail_preferences_gets_the_defaults_without_a_query(
    account, django_assert_num_queries
):
    user = UsernameOrAddressBackend().get_user(account.pk)

    with django_assert_num_queries(0):
        assert MailPreferences.for_user(user).page_size == 50
