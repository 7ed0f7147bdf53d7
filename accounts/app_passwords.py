"""App passwords: named passwords for mail clients once two-factor protects the account.

The password is shown once as "<prefix>-<secret>". Dovecot (deploy/local/
dovecot-sql-app-passwords.conf.ext.in) finds the row by the first 8 characters of the
typed password and verifies the stored hash of the whole password, so the prefix must
come first, unchanged, and the hash must use a hasher Dovecot reads (the first one of
PASSWORD_HASHERS: Argon2).
"""

from __future__ import annotations

import secrets
import string

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AppPassword, User

PREFIX_ALPHABET = string.ascii_lowercase + string.digits
# No 0/o, 1/l/i: people copy these by hand onto phones.
SECRET_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - an alphabet, not a secret
SECRET_GROUPS = 4
SECRET_GROUP_LENGTH = 5


def generate_prefix() -> str:
    return "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(AppPassword.PREFIX_LENGTH))


def generate_secret() -> str:
    """20 random characters (about 99 bits), in groups of five for reading aloud."""
    groups = (
        "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_GROUP_LENGTH))
        for _ in range(SECRET_GROUPS)
    )
    return "-".join(groups)


def create_app_password(user: User, name: str) -> tuple[AppPassword, str]:
    """Store a new app password for `user`; return it with the clear password (shown once)."""
    for _attempt in range(5):
        prefix = generate_prefix()
        password = f"{prefix}-{generate_secret()}"
        try:
            with transaction.atomic():
                app_password = AppPassword.objects.create(
                    user=user, name=name, prefix=prefix, password=make_password(password)
                )
        except IntegrityError:
            continue  # the prefix is taken (1 chance in 10^12): draw another
        return app_password, password
    raise RuntimeError("could not draw a free app-password prefix")


def active_app_passwords(user: User):
    return AppPassword.objects.filter(user=user, revoked_at__isnull=True)


def get_app_password_for_user(user: User, pk: int) -> AppPassword | None:
    return active_app_passwords(user).filter(pk=pk).first()


def revoke(app_password: AppPassword) -> None:
    """Dovecot refuses the password from the next login (it keeps no auth cache)."""
    app_password.revoked_at = timezone.now()
    app_password.save(update_fields=["revoked_at"])
