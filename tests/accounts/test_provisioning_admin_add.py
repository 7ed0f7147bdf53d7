"""Admins create an account in two steps: the generated username is confirmed first."""

from datetime import timedelta

from django.contrib.auth.hashers import check_password
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditLogEntry, Establishment, User
from tests.accounts.provisioning_helpers import admin_client, imap_accepts

FORM = {
    "first_name": "Aurélie",
    "last_name": "Lefèbvre",
    "department": "Lettres",
    "title": "Professeure",
    "birth_date": "1980-05-17",
    "backup_email": "aurelie@example.net",
    "numen": "07e 0123456abc",
    "quota_mb": "2048",
}


def test_the_username_is_confirmed_then_the_account_is_created(make_account):
    browser = admin_client(make_account)
    make_account("aurelie.lefebvre")  # a namesake: the new account gets the digit
    establishment = Establishment.objects.create(name="Collège Jean Moulin", uai="0340001A")

    shown = browser.post(
        reverse("admin:accounts_user_add"), {**FORM, "establishment": establishment.pk}
    )

    assert shown.status_code == 200
    assert "The account will be <strong>aurelie.lefebvre2</strong>" in shown.content.decode()
    assert not User.objects.filter(username="aurelie.lefebvre2").exists()

    created = browser.post(
        reverse("admin:accounts_user_add_confirm"), {"username": "aurelie.lefebvre2"}
    )

    assert created.status_code == 200
    assert '<code id="temporary-password">07E0123456ABC</code>' in created.content.decode()
    user = User.objects.get(username="aurelie.lefebvre2")
    assert (user.first_name, user.last_name, user.establishment, user.title) == (
        "Aurélie",
        "Lefèbvre",
        establishment,
        "Professeure",
    )
    assert user.must_change_password
    assert user.temporary_password_expires_at is not None
    assert check_password("07E0123456ABC", user.numen_hash)
    entry = AuditLogEntry.objects.get(action="account_created", target=user)
    assert entry.actor == browser.admin_user
    assert entry.ip_address == "127.0.0.1"
    # The temporary password opens no mail client; the person's own password does.
    assert not imap_accepts("aurelie.lefebvre2", "07E0123456ABC")
    user.set_password("Mon-Nouveau-Mot-2026")
    user.must_change_password = False
    user.save()
    assert imap_accepts("aurelie.lefebvre2", "Mon-Nouveau-Mot-2026")
    web = browser.__class__()
    login = web.post(
        reverse("accounts:login"),
        {"username": "aurelie.lefebvre2", "password": "Mon-Nouveau-Mot-2026"},
    )
    assert login.status_code == 302
    assert login["Location"] == reverse("mailbox:home")


def test_without_numen_a_strong_password_is_generated(make_account, settings):
    settings.TEMPORARY_PASSWORD_VALID_DAYS = 3
    browser = admin_client(make_account)
    browser.post(
        reverse("admin:accounts_user_add"), {**FORM, "last_name": "Sans Numen", "numen": ""}
    )

    page = browser.post(
        reverse("admin:accounts_user_add_confirm"), {"username": "aurelie.sans-numen"}
    )

    user = User.objects.get(username="aurelie.sans-numen")
    password = page.content.decode().split('<code id="temporary-password">')[1].split("</code>")[0]
    assert len(password) >= 15
    assert user.check_password(password)
    assert user.numen_hash == ""
    expires_in = user.temporary_password_expires_at - timezone.now()
    assert timedelta(days=2, hours=23) < expires_in <= timedelta(days=3)


def test_a_name_taken_between_the_two_steps_asks_again(make_account):
    browser = admin_client(make_account)
    browser.post(
        reverse("admin:accounts_user_add"), {**FORM, "first_name": "Paul", "last_name": "Durand"}
    )
    make_account("paul.durand")

    page = browser.post(reverse("admin:accounts_user_add_confirm"), {"username": "paul.durand"})

    assert "The account will be <strong>paul.durand2</strong>" in page.content.decode()
    assert "no longer free" in page.content.decode()
    assert not User.objects.filter(username="paul.durand2").exists()


def test_form_errors_are_explained_and_the_numen_is_not_shown_back(make_account):
    browser = admin_client(make_account)

    page = browser.post(
        reverse("admin:accounts_user_add"), {**FORM, "first_name": "'-'", "numen": "12345"}
    )

    assert page.status_code == 422
    text = page.content.decode()
    assert "The first name needs at least one letter" in text
    assert "A NUMEN has exactly 13 letters and digits." in text
    assert 'value="12345"' not in text
    assert 'value="Lefèbvre"' in text


def test_the_change_form_never_shows_the_numen(make_account):
    browser = admin_client(make_account)
    browser.post(reverse("admin:accounts_user_add"), {**FORM, "first_name": "Inès"})
    browser.post(reverse("admin:accounts_user_add_confirm"), {"username": "ines.lefebvre"})
    user = User.objects.get(username="ines.lefebvre")

    page = browser.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()

    assert user.numen_hash not in page
    assert "07E0123456ABC" not in page
    assert 'name="new_numen"' in page
