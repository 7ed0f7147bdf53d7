"""Django owns the accounts; Dovecot verifies the very hash Django stores."""

import pytest
from django.conf import settings
from imapclient import IMAPClient
from imapclient.exceptions import LoginError


def imap_login(username: str, password: str) -> None:
    with IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False, timeout=30) as client:
        client.login(username, password)


def imap_login_refused(username: str, password: str) -> bool:
    try:
        imap_login(username, password)
    except LoginError:
        return True
    return False


def test_account_created_in_django_logs_in_to_dovecot(make_account):
    make_account("claire.bernard", password="Un-mot-de-passe-2026")

    imap_login("claire.bernard", "Un-mot-de-passe-2026")
    imap_login(f"claire.bernard@{settings.MAIL_DOMAIN}", "Un-mot-de-passe-2026")


def test_wrong_password_and_unknown_user_are_refused(make_account):
    make_account("paul.girard", password="Un-mot-de-passe-2026")

    assert imap_login_refused("paul.girard", "Un-mot-de-passe-2025")
    assert imap_login_refused("personne.inconnue", "Un-mot-de-passe-2026")
    assert imap_login_refused("paul.girard@autre-domaine.fr", "Un-mot-de-passe-2026")


def test_changing_the_password_in_django_changes_it_in_dovecot(make_account):
    user = make_account("lucie.moreau", password="Ancien-mot-de-passe-1")
    imap_login("lucie.moreau", "Ancien-mot-de-passe-1")

    user.set_password("Nouveau-mot-de-passe-2")
    user.save()

    assert imap_login_refused("lucie.moreau", "Ancien-mot-de-passe-1")
    imap_login("lucie.moreau", "Nouveau-mot-de-passe-2")


def test_a_disabled_account_is_refused_even_through_the_master_user(make_account):
    user = make_account("marc.petit", password="Un-mot-de-passe-2026")
    user.is_active = False
    user.save()

    assert imap_login_refused("marc.petit", "Un-mot-de-passe-2026")
    master_login = f"marc.petit*{settings.MAIL_MASTER_USER}"
    assert imap_login_refused(master_login, settings.MAIL_MASTER_PASSWORD)


def test_the_master_user_opens_the_mailbox_of_an_active_account(make_account):
    make_account("nina.roux")

    imap_login(f"nina.roux*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD)
    assert imap_login_refused(f"nina.roux*{settings.MAIL_MASTER_USER}", "not-the-secret")


@pytest.mark.parametrize(
    "hasher",
    [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.BCryptPasswordHasher",
    ],
)
def test_both_stored_hash_formats_verify_in_dovecot(make_account, settings, hasher):
    settings.PASSWORD_HASHERS = [hasher]
    user = make_account("hash.check", password="Un-mot-de-passe-2026")
    assert user.password.split("$", 1)[0] in {"argon2", "bcrypt"}

    imap_login("hash.check", "Un-mot-de-passe-2026")


def test_a_temporary_password_opens_no_mail_client_until_changed(make_account):
    user = make_account("temp.password", password="Temporaire-2026-x")
    user.must_change_password = True
    user.save()

    assert imap_login_refused("temp.password", "Temporaire-2026-x")
    # The web app still reaches the mailbox (to deliver the welcome, for instance).
    imap_login(f"temp.password*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD)

    user.set_password("Definitif-2026-xyz")
    user.must_change_password = False
    user.save()
    imap_login("temp.password", "Definitif-2026-xyz")


def test_the_quota_set_in_django_is_the_one_dovecot_applies(make_account):
    make_account("quota.check", password="Un-mot-de-passe-2026", quota_mb=300)

    with IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False, timeout=30) as client:
        client.login("quota.check", "Un-mot-de-passe-2026")
        quotas = client.get_quota_root("INBOX")[1]

    storage = next(quota for quota in quotas if quota.resource == "STORAGE")
    assert storage.limit == 300 * 1024  # IMAP counts in KiB
