"""A temporary password opens one page: the one that replaces it; then everything works."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from imapclient import IMAPClient

TEMPORARY = "Temporaire-Jmd-2026!"


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_a_temporary_password_leads_to_the_change_page_only(client, make_account):
    make_account(
        "anne.durand",
        password=TEMPORARY,
        must_change_password=True,
        temporary_password_expires_at=timezone.now() + timedelta(days=3),
    )
    sign_in(client, "anne.durand", TEMPORARY)

    for url in (reverse("mailbox:home"), reverse("addressbook:directory"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:password-change-required"))


def test_choosing_a_password_opens_the_web_and_imap(client, make_account):
    user = make_account("bruno.faure", password=TEMPORARY, must_change_password=True)
    sign_in(client, "bruno.faure", TEMPORARY)

    weak = client.post(
        reverse("accounts:password-change-required"),
        {"new_password1": "faure", "new_password2": "faure"},
    )
    assert weak.status_code == 200
    assert weak.context["form"].errors["new_password2"]

    response = client.post(
        reverse("accounts:password-change-required"),
        {"new_password1": "Cerisier-en-fleur-7", "new_password2": "Cerisier-en-fleur-7"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("addressbook:directory")).status_code == 200  # still signed in
    with IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False, timeout=30) as imap:
        imap.login("bruno.faure", "Cerisier-en-fleur-7")


def test_an_expired_temporary_password_is_refused_with_a_reason(client, make_account):
    make_account(
        "chloe.roux",
        password=TEMPORARY,
        must_change_password=True,
        temporary_password_expires_at=timezone.now() - timedelta(minutes=1),
    )
    client.cookies["django_language"] = "en"

    response = sign_in(client, "chloe.roux", TEMPORARY)

    assert response.status_code == 200
    assert "Your temporary password has expired" in response.content.decode()
