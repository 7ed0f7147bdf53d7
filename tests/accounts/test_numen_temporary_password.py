"""The NUMEN as temporary password of an imported account: stored as a keyed HMAC, it
opens the web's password-change page, never IMAP; the chosen password then opens both."""

import time
from io import StringIO

from django.contrib.auth.hashers import check_password, make_password
from django.core.management import call_command
from django.urls import reverse

from accounts.hashers import check_numen
from accounts.models import Establishment, User
from accounts.provisioning import hash_numen
from tests.accounts.provisioning_helpers import imap_accepts

NUMEN = "07E0123456ABC"
NEW_PASSWORD = "Goeland-sur-la-digue-7"  # noqa: S105 - test data


def import_one_account(stack, tmp_path) -> User:
    Establishment.objects.create(name="Collège Jean Moulin", uai="0340001A")
    path = tmp_path / "comptes.csv"
    path.write_text(
        f"prenom;nom;numen;date_naissance;uai\nMaëlle;Quéré;{NUMEN.lower()};17/05/1980;0340001A\n",
        encoding="utf-8",
    )
    call_command("import_accounts", str(path), stdout=StringIO())
    return User.objects.get(username="maelle.quere")


def test_the_numen_opens_the_web_change_page_not_imap(stack, transactional_db, client, tmp_path):
    user = import_one_account(stack, tmp_path)
    assert user.password == user.numen_hash
    assert user.numen_hash.startswith("hmac-sha256$")

    # Dovecot refuses an account that must change its password, whatever it is given.
    assert not imap_accepts("maelle.quere", NUMEN)

    signed_in = client.post(
        reverse("accounts:login"), {"username": "maelle.quere", "password": NUMEN}
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("mailbox:home"))["Location"].startswith(
        reverse("accounts:password-change-required")
    )
    changed = client.post(
        reverse("accounts:password-change-required"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302

    user.refresh_from_db()
    assert not user.must_change_password
    assert user.password.startswith("argon2$")  # what Dovecot verifies
    assert check_numen(NUMEN, user.numen_hash)  # the NUMEN itself is still known
    assert imap_accepts("maelle.quere", NEW_PASSWORD)
    assert not imap_accepts("maelle.quere", NUMEN)


def test_a_wrong_numen_does_not_sign_in(stack, transactional_db, client, tmp_path):
    import_one_account(stack, tmp_path)

    refused = client.post(
        reverse("accounts:login"), {"username": "maelle.quere", "password": "07E0123456ABD"}
    )

    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session


def test_numen_hashes_are_keyed_and_old_argon2_ones_still_verify(settings):
    settings.NUMEN_HASH_KEY = "first-key"
    stored = hash_numen("07e 0123456abc")
    assert check_numen(NUMEN, stored)
    assert not check_numen("07E0123456ABD", stored)
    assert not check_numen(NUMEN, "")

    # Another key gives another digest: the table alone does not allow testing guesses.
    settings.NUMEN_HASH_KEY = "second-key"
    assert hash_numen(NUMEN) != stored
    assert not check_numen(NUMEN, stored)

    legacy = make_password(NUMEN)  # how NUMENs were stored before the HMAC
    assert check_numen(NUMEN, legacy)
    assert not check_numen("07E0123456ABD", legacy)


def test_a_wrong_password_takes_as_long_on_a_numen_account_as_on_any_other():
    """Else the answer time would tell a guesser whose password is still the NUMEN."""

    def quickest_refusal(encoded):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            assert not check_password("pas-le-bon-NUMEN", encoded)
            times.append(time.perf_counter() - start)
        return min(times)

    numen_account = quickest_refusal(hash_numen(NUMEN))
    ordinary_account = quickest_refusal(make_password(NEW_PASSWORD))
    # Without the evening out: microseconds against a tenth of a second.
    assert numen_account > ordinary_account / 4, (numen_account, ordinary_account)
