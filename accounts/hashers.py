"""The NUMEN's stored form: a keyed HMAC-SHA256 "blind index", and the password hasher
that lets the NUMEN serve as the temporary password at first sign-in.

Why not Argon2, as for passwords? The NUMEN is not a secret the person chose: it is an
identifier printed on payslips and staff records, 13 characters with a known structure.
A slow salted hash protects weak secrets against someone who stole the table; here the
protection is the key (settings.NUMEN_HASH_KEY), kept outside the database, without
which the stored digests cannot be tested against guesses. A keyed HMAC costs
microseconds instead of ~150 ms, which is what lets a 10,000-row import carrying NUMENs
finish in seconds (bench/import_accounts.py).

The key is its own setting, never derived from SECRET_KEY: rotating SECRET_KEY (which
signs sessions) must not break every stored NUMEN. Changing NUMEN_HASH_KEY does: the
NUMENs must then be imported again.

Stored form: "hmac-sha256$<hex digest>". NUMEN hashes written before this change are
Argon2 password hashes ("argon2..."); check_numen still accepts them.

The temporary password: an account created with its NUMEN as temporary password stores
the same "hmac-sha256$..." string in `password`. NumenHmacPasswordHasher, listed last
in PASSWORD_HASHERS, verifies it, so Django accepts the NUMEN at sign-in; new passwords
are still hashed with the first hasher (Argon2), and the forced password change replaces
it. Dovecot never needs to verify it: its passdb refuses an account that must change its
password (deploy/local/dovecot-sql.conf.ext.in), and knows no such scheme anyway.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.hashers import (
    BasePasswordHasher,
    check_password,
    make_password,
    mask_hash,
)
from django.utils.translation import gettext_noop

ALGORITHM = "hmac-sha256"
PREFIX = f"{ALGORITHM}$"


def keyed_digest(value: str) -> str:
    """The stored form of `value`: 'hmac-sha256$' and the hex HMAC under NUMEN_HASH_KEY."""
    mac = hmac.new(settings.NUMEN_HASH_KEY.encode(), value.encode(), hashlib.sha256)
    return PREFIX + mac.hexdigest()


def is_legacy_numen_hash(stored: str) -> bool:
    """An Argon2 NUMEN hash, written before NUMENs were stored as HMACs."""
    return stored.startswith("argon2")


def check_numen(numen: str, stored: str) -> bool:
    """Whether `numen` (already normalised) is the NUMEN `stored` was made from.

    Constant-time for HMAC digests; an old Argon2 hash is verified with Argon2. An empty
    or unknown `stored` never matches.
    """
    if is_legacy_numen_hash(stored):
        return check_password(numen, stored)
    return hmac.compare_digest(keyed_digest(numen).encode(), stored.encode())


class NumenHmacPasswordHasher(BasePasswordHasher):
    """Verifies a temporary password that is the NUMEN (see the module docstring).

    Listed last in PASSWORD_HASHERS: it is never chosen to hash a new password. There is
    no salt on purpose: the digest is a blind index, the key does the salt's work.
    """

    algorithm = ALGORITHM

    def salt(self) -> str:
        return ""

    def encode(self, password: str, salt: str) -> str:
        if password is None:
            raise TypeError("password must be provided.")
        return keyed_digest(password)

    def decode(self, encoded: str) -> dict:
        algorithm, digest = encoded.split("$", 1)
        assert algorithm == self.algorithm  # noqa: S101 - Django's own hashers do the same
        return {"algorithm": algorithm, "hash": digest, "salt": ""}

    def verify(self, password: str, encoded: str) -> bool:
        matches = hmac.compare_digest(keyed_digest(password).encode(), encoded.encode())
        # Take as long as a real password check: a quick "wrong password" would tell a
        # guesser which accounts still have their NUMEN as password (Django evens out the
        # time only between hashes of one algorithm, in harden_runtime).
        make_password(password)
        return matches

    def safe_summary(self, encoded: str) -> dict:
        decoded = self.decode(encoded)
        return {
            gettext_noop("algorithm"): decoded["algorithm"],
            gettext_noop("hash"): mask_hash(decoded["hash"]),
        }

    def must_update(self, encoded: str) -> bool:
        return False

    def harden_runtime(self, password: str, encoded: str) -> None:
        pass
