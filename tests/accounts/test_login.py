"""Staff sign in with their username or their full address."""

from django.conf import settings
from django.urls import reverse

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
