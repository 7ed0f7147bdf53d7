"""Password rules as people meet them: exact messages, both policies, personal data."""

from datetime import date

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.provisioning import hash_numen


def messages_for(password, user=None):
    with translation.override("en"):
        try:
            validate_password(password, user)
        except ValidationError as error:
            return [str(message) for message in error.messages]
    return []


@pytest.fixture
def person(django_user_model, db):
    return django_user_model(
        username="helene.n-diaye",
        first_name="Hélène",
        last_name="N'Diaye",
        birth_date=date(1979, 3, 2),
        numen_hash=hash_numen("12E1234567ABC"),
    )


def test_a_strong_password_passes(person):
    assert messages_for("Tournesol-violet-42", person) == []


def test_the_message_names_exactly_what_is_missing(person):
    assert messages_for("tournesol", person) == [
        "It must have at least 12 characters (it has 9).",
        "It still needs: an upper-case letter, a digit, "
        "a special character (such as ! ? - _ * or a space)",
    ]


def test_the_same_in_french(person):
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        validate_password("tournesol", person)
    text = " ".join(error.value.messages)
    assert "au moins 12 caractères" in text
    assert "une majuscule" in text


@pytest.mark.parametrize(
    "password", ["Helene-2026-x!", "NDiaye-2026-x!", "Soleil-02031979!", "Abc-12E1234567ABC!"]
)
def test_personal_data_and_numen_are_refused(person, password):
    assert messages_for(password, person), password


def test_a_numen_hashed_with_argon2_before_the_hmac_is_refused_too(person):
    person.numen_hash = make_password("12E1234567ABC")

    assert messages_for("Abc-12E1234567ABC!", person) == ["It must not contain your NUMEN."]


def test_common_passwords_are_refused(person):
    assert "This password is too common." in messages_for("motdepasse", person)


def test_long_passphrases_with_any_character_are_welcome(person):
    assert messages_for("Le chat 🐈 dort sur le canapé bleu, 42 fois !" * 2, person) == []


def test_the_nist_policy_asks_for_length_only(settings, person):
    settings.PASSWORD_POLICY = "nist"
    assert messages_for("tournesol violet mauve", person) == []
    assert messages_for("Tournesol-42!", person) == [
        "It must have at least 15 characters (it has 13)."
    ]
