"""French by default; the user menu switches to English and back."""

from django.urls import reverse


def test_the_language_switch_changes_the_page_language(client, db):
    login_url = reverse("accounts:login")
    assert 'lang="fr"' in client.get(login_url).content.decode()

    response = client.post(reverse("set_language"), {"language": "en", "next": login_url})

    assert response.status_code == 302
    page = client.get(login_url).content.decode()
    assert 'lang="en"' in page
    assert "Sign in" in page
