"""The profile page: language, two-factor status, links to the other account pages."""

from django.urls import NoReverseMatch, reverse

from tests.accounts.two_factor_support import enrol


def test_choosing_a_language_saves_it_and_switches_the_interface(logged_in_client, account):
    response = logged_in_client.post(reverse("accounts:profile-language"), {"language": "en"})

    assert response.cookies["django_language"].value == "en"
    account.refresh_from_db()
    assert account.language == "en"
    page = logged_in_client.get(reverse("accounts:profile"))
    assert '<html lang="en">' in page.content.decode()
    assert "Your profile" in page.content.decode()


def test_an_unknown_language_is_refused(logged_in_client, account):
    response = logged_in_client.post(reverse("accounts:profile-language"), {"language": "xx"})

    assert response.status_code == 422
    account.refresh_from_db()
    assert account.language == "fr"


def test_the_page_shows_the_two_factor_state_and_offers_app_passwords_once_on(
    logged_in_client, account
):
    logged_in_client.cookies["django_language"] = "en"
    page = logged_in_client.get(reverse("accounts:profile")).content.decode()
    assert "Only your password protects your account" in page
    assert reverse("accounts:app-password-create") not in page

    enrol(account, logged_in_client)
    page = logged_in_client.get(reverse("accounts:profile")).content.decode()

    assert "A code from your phone is asked at sign-in" in page
    assert reverse("accounts:app-password-create") in page
    assert reverse("accounts:two-factor") in page


def test_links_to_other_account_pages_appear_when_they_exist(logged_in_client):
    page = logged_in_client.get(reverse("accounts:profile")).content.decode()

    for name in ("accounts:sessions", "accounts:backup-email"):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        assert f'href="{url}"' in page


def test_the_profile_needs_a_login(client, db):
    response = client.get(reverse("accounts:profile"))

    assert response["Location"].startswith(reverse("accounts:login"))
