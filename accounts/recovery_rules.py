"""Pure rules of password recovery: codes, digests and how typed identity data compares.

No Django, no network: the caller passes the key (settings.SECRET_KEY).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

# No 0/O, 1/I/L: the code is read in one mail and typed into another window.
RECOVERY_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECOVERY_CODE_LENGTH = 6
BACKUP_CODE_LENGTH = 6


def new_link_token() -> str:
    """256 random bits, URL-safe: the secret part of the recovery link."""
    return secrets.token_urlsafe(32)


def new_recovery_code() -> str:
    return "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))


def new_backup_code() -> str:
    """Six digits, zero-padded: easy to type on a phone."""
    return f"{secrets.randbelow(10**BACKUP_CODE_LENGTH):0{BACKUP_CODE_LENGTH}d}"


def token_digest(token: str) -> str:
    """SHA-256 is enough for a 256-bit random token: nothing to brute-force, and the
    digest can be looked up directly (no salt)."""
    return hashlib.sha256(token.encode()).hexdigest()


def code_digest(key: str, purpose: str, code: str) -> str:
    """HMAC-SHA256 of a short code, keyed by the server's secret.

    A six-character code has too little entropy for any salted hash to resist an offline
    search, so the protection is the key: a copy of the database alone is useless.
    `purpose` keeps the recovery and backup-address codes apart.
    """
    message = f"{purpose}:{code}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def digests_match(expected: str, actual: str) -> bool:
    return hmac.compare_digest(expected.encode(), actual.encode())


def normalize_code(typed: str) -> str:
    """'ab3 k-7q' -> 'AB3K7Q': spaces and hyphens are what people add when copying."""
    return re.sub(r"[\s-]", "", typed).upper()


def normalize_numen(typed: str) -> str:
    """The NUMEN as stored (hashed): letters and digits only, upper case."""
    return re.sub(r"[^0-9A-Za-z]", "", typed).upper()


def is_numen(value: str) -> bool:
    return re.fullmatch(r"[0-9A-Z]{13}", value) is not None


def fold_name(name: str) -> str:
    """'N’Diaye ', 'ndiaye', 'N-DIAYE' all compare equal: accents, case, spaces,
    hyphens and apostrophes are how the same name gets typed differently."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-'’‘`.]", "", letters).casefold()


def is_outside_domain(address: str, mail_domain: str) -> bool:
    """A backup address must reach another mail system than ours."""
    domain = address.rpartition("@")[2].strip().lower()
    own = mail_domain.lower()
    return domain != own and not domain.endswith("." + own)
