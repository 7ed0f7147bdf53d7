"""Bulk import of accounts from a CSV file (admin page and `manage.py import_accounts`).

The file: one account a row, a header naming the columns in French or English
(prenom/first_name, nom/last_name, numen, date_naissance/birth_date,
email_secours/backup_email, uai, service/department, fonction/title), UTF-8 (with or
without BOM) or Windows-1252 as Excel writes it, separated by ';' or ','.

Re-importing a file changes nothing: a row whose first name, last name, date of birth
and establishment match an existing account is counted as "already there". (The NUMEN
does not serve as the key: an account created by hand may have none.)

Speed: a NUMEN is stored as a keyed HMAC (accounts/hashers.py), which also serves as
the temporary password: microseconds a row instead of an Argon2 hash (bench/
import_accounts.py). A row without NUMEN gets an unusable password; the helpdesk gives
it a temporary password later (reset or welcome letter).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import audit
from accounts.hashers import keyed_digest
from accounts.models import AuditLogEntry, Establishment, User
from accounts.provisioning import ProvisioningError, normalise_numen, temporary_password_expiry
from accounts.usernames import UsernameError, base_username, free_username
from addressbook.directory import index_people

# Our column name for each accepted header (accents, case, spaces and hyphens ignored).
HEADER_ALIASES = {
    "prenom": "first_name",
    "first_name": "first_name",
    "firstname": "first_name",
    "nom": "last_name",
    "last_name": "last_name",
    "lastname": "last_name",
    "numen": "numen",
    "date_naissance": "birth_date",
    "date_de_naissance": "birth_date",
    "birth_date": "birth_date",
    "date_of_birth": "birth_date",
    "email_secours": "backup_email",
    "mail_secours": "backup_email",
    "backup_email": "backup_email",
    "uai": "uai",
    "service": "department",
    "department": "department",
    "fonction": "title",
    "title": "title",
}
REQUIRED_COLUMNS = ("first_name", "last_name", "uai")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
BATCH_SIZE = 500


class ImportFileError(ValueError):
    """The whole file is unusable (no header, missing column); `user_message` says why."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


@dataclass
class ImportRow:
    line: int
    first_name: str = ""
    last_name: str = ""
    numen: str = ""
    birth_date: date | None = None
    backup_email: str = ""
    establishment: Establishment | None = None
    department: str = ""
    title: str = ""
    username: str = ""


@dataclass
class RowError:
    line: int
    reason: str


@dataclass
class ImportPlan:
    """What an import does (preview) or did: rows to create, rows already there, errors."""

    to_create: list[ImportRow] = field(default_factory=list)
    existing: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""


def decode(content: bytes) -> str:
    """UTF-8 (a BOM is dropped) or, failing that, Windows-1252 as Excel exports it."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _header_key(name: str) -> str:
    bare = unicodedata.normalize("NFKD", name.strip().lower())
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    return bare.replace(" ", "_").replace("-", "_")


def read_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(columns, [(line number, {column: value})]). Raises ImportFileError."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise ImportFileError(_("The file is empty."))
    columns = [HEADER_ALIASES.get(_header_key(name), "") for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ImportFileError(
            _("The header line lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    rows = []
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        row = {
            column: value.strip() for column, value in zip(columns, values, strict=False) if column
        }
        rows.append((reader.line_num, row))
    return columns, rows


def _parse_date(value: str) -> date:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValueError(value)


def _validate(
    line: int, values: dict[str, str], establishments: dict[str, Establishment]
) -> ImportRow:
    """One row, checked. Raises ValueError with the reason, in the user's language."""
    row = ImportRow(
        line=line,
        first_name=values.get("first_name", ""),
        last_name=values.get("last_name", ""),
        department=values.get("department", ""),
        title=values.get("title", ""),
    )
    try:
        base_username(row.first_name, row.last_name)
    except UsernameError as exc:
        raise ValueError(
            _("The first name has no letter.")
            if exc.code == "first_name"
            else _("The last name has no letter.")
        ) from exc
    uai = values.get("uai", "").upper()
    row.establishment = establishments.get(uai)
    if row.establishment is None:
        raise ValueError(_("Unknown establishment (UAI %(uai)s).") % {"uai": uai or "-"})
    if values.get("numen"):
        try:
            row.numen = normalise_numen(values["numen"])
        except ProvisioningError as exc:
            raise ValueError(str(exc.user_message)) from exc
    if values.get("birth_date"):
        try:
            row.birth_date = _parse_date(values["birth_date"])
        except ValueError as exc:
            raise ValueError(
                _("The date of birth %(date)s is not a date like 31/12/1980.")
                % {"date": values["birth_date"]}
            ) from exc
    if values.get("backup_email"):
        try:
            validate_email(values["backup_email"])
        except ValidationError as exc:
            raise ValueError(
                _("The backup address %(email)s is not an e-mail address.")
                % {"email": values["backup_email"]}
            ) from exc
        row.backup_email = values["backup_email"]
    for name, limit in (
        ("first_name", 150),
        ("last_name", 150),
        ("department", 150),
        ("title", 150),
    ):
        if len(getattr(row, name)) > limit:
            raise ValueError(_("A value is longer than %(limit)d characters.") % {"limit": limit})
    return row


def _identity(first_name: str, last_name: str, birth_date: date | None, establishment_id) -> tuple:
    return (first_name.casefold(), last_name.casefold(), birth_date, establishment_id)


def plan_import(content: bytes) -> ImportPlan:
    """Read and check the file, and say what importing it would do. Writes nothing."""
    plan = ImportPlan()
    try:
        _columns, rows = read_rows(decode(content))
    except ImportFileError as exc:
        plan.file_error = exc.user_message
        return plan
    uais = {values.get("uai", "").upper() for _line, values in rows}
    establishments = {e.uai.upper(): e for e in Establishment.objects.filter(uai__in=uais)}
    known = {
        _identity(*fields)
        for fields in User.objects.filter(establishment__in=establishments.values()).values_list(
            "first_name", "last_name", "birth_date", "establishment_id"
        )
    }
    taken = set(User.objects.values_list("username", flat=True))
    for line, values in rows:
        try:
            row = _validate(line, values, establishments)
        except ValueError as exc:
            plan.errors.append(RowError(line, str(exc)))
            continue
        key = _identity(row.first_name, row.last_name, row.birth_date, row.establishment.pk)
        if key in known:
            plan.existing.append(row)
            continue
        known.add(key)
        row.username = free_username(base_username(row.first_name, row.last_name), taken)
        taken.add(row.username)
        plan.to_create.append(row)
    return plan


def _new_user(row: ImportRow, expires) -> User:
    user = User(
        username=row.username,
        first_name=row.first_name,
        last_name=row.last_name,
        email=f"{row.username}@{settings.MAIL_DOMAIN}",
        birth_date=row.birth_date,
        backup_email=row.backup_email,
        establishment=row.establishment,
        department=row.department,
        title=row.title,
        must_change_password=True,
    )
    if row.numen:
        # The NUMEN is the temporary password: one keyed HMAC for both fields.
        user.password = user.numen_hash = keyed_digest(row.numen)
        user.temporary_password_expires_at = expires
    else:
        user.set_unusable_password()
    return user


def import_accounts(
    content: bytes, *, actor: User | None, ip_address: str | None = None, dry_run: bool = False
) -> ImportPlan:
    """Create the accounts of the good rows, in batches; report every row.

    Each created account and the import itself go to the audit log.
    """
    plan = plan_import(content)
    if dry_run or plan.file_error:
        return plan
    expires = temporary_password_expiry()
    for start in range(0, len(plan.to_create), BATCH_SIZE):
        batch = plan.to_create[start : start + BATCH_SIZE]
        users = [_new_user(row, expires) for row in batch]
        with transaction.atomic():
            created = User.objects.bulk_create(users)
            # bulk_create sends no post_save: index the new names for the directory.
            index_people(created)
            AuditLogEntry.objects.bulk_create(
                AuditLogEntry(
                    action=audit.Action.ACCOUNT_CREATED,
                    actor=actor,
                    actor_username=getattr(actor, "username", ""),
                    target_username=user.username,
                    target=user if user.pk else None,
                    ip_address=ip_address,
                    details={"source": "csv", "numen_set": bool(user.numen_hash)},
                )
                for user in created
            )
    audit.record(
        audit.Action.ACCOUNTS_IMPORTED,
        actor=actor,
        ip_address=ip_address,
        created=len(plan.to_create),
        already_there=len(plan.existing),
        errors=len(plan.errors),
    )
    return plan
