"""Django password validators for the organisation's rule (see accounts/password_rules.py).

They are listed in AUTH_PASSWORD_VALIDATORS; every message says exactly what is missing,
in the user's language.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import password_rules
from accounts.hashers import check_numen

CLASS_NAMES = {
    password_rules.LOWER: _("a lower-case letter"),
    password_rules.UPPER: _("an upper-case letter"),
    password_rules.DIGIT: _("a digit"),
    password_rules.SPECIAL: _("a special character (such as ! ? - _ * or a space)"),
}


def _nist() -> bool:
    return settings.PASSWORD_POLICY == "nist"  # noqa: S105 - a policy name, not a password


def _minimum_length() -> int:
    if _nist():
        return password_rules.NIST_MIN_LENGTH
    return password_rules.ORGANISATION_MIN_LENGTH


class PolicyValidator:
    """Length and, for the organisation's rule, the four character classes."""

    def validate(self, password: str, user=None) -> None:
        errors = []
        minimum = _minimum_length()
        if len(password) < minimum:
            errors.append(
                ValidationError(
                    ngettext(
                        "It must have at least %(minimum)d character (it has %(length)d).",
                        "It must have at least %(minimum)d characters (it has %(length)d).",
                        minimum,
                    ),
                    code="password_too_short",
                    params={"minimum": minimum, "length": len(password)},
                )
            )
        if len(password) > password_rules.MAX_LENGTH:
            errors.append(
                ValidationError(
                    _("It must have at most %(maximum)d characters."),
                    code="password_too_long",
                    params={"maximum": password_rules.MAX_LENGTH},
                )
            )
        if not _nist():
            missing = password_rules.missing_classes(password)
            if missing:
                names = ", ".join(str(CLASS_NAMES[name]) for name in missing)
                errors.append(
                    ValidationError(
                        format_lazy("{}{}", _("It still needs: "), names),
                        code="password_missing_classes",
                    )
                )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        if _nist():
            return _("At least %(minimum)d characters; any characters, spaces included.") % {
                "minimum": password_rules.NIST_MIN_LENGTH
            }
        return _(
            "At least %(minimum)d characters, with an upper-case letter, a lower-case "
            "letter, a digit and a special character."
        ) % {"minimum": password_rules.ORGANISATION_MIN_LENGTH}


class PersonalDataValidator:
    """Not the person's names, username, birth date or NUMEN."""

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        if password_rules.contains_personal_data(
            password,
            user.username or "",
            user.first_name or "",
            user.last_name or "",
            getattr(user, "birth_date", None),
        ):
            raise ValidationError(
                _("It must not contain your name, your username or your date of birth."),
                code="password_personal_data",
            )
        numen_hash = getattr(user, "numen_hash", "")
        if numen_hash and any(
            check_numen(candidate, numen_hash)
            for candidate in password_rules.numen_candidates(password)
        ):
            raise ValidationError(
                _("It must not contain your NUMEN."), code="password_contains_numen"
            )

    def get_help_text(self) -> str:
        return _("Not your name, username, date of birth or NUMEN.")
