"""Bad searches are refused with a reason in the user's language, before anything is
sent to the mail server, and the form keeps what the user typed."""

import pytest
from django.urls import reverse

from mailbox.models import Label


def advanced(client, **params):
    return client.get(reverse("mailbox:search-advanced", args=["INBOX"]), params)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"subject": "ab"},
            "subject",
            "Search words need at least 3 characters: “ab” is too short.",
        ),
        ({"sender": "x" * 201}, "sender", "Search for at most 200 characters (this has 201)."),
        ({"body": "conseil\r\nA1 LOGOUT"}, "body", "Search words cannot hold control characters"),
        ({"since": "2026-02-01", "until": "2026-01-01"}, "until", "The end date is before"),
        ({"since": "31/02/2026"}, "since", "Enter a valid date."),
        ({"larger_than_kb": "50", "smaller_than_kb": "10"}, "smaller_than_kb", "both larger"),
        ({"larger_than_kb": "-1"}, "larger_than_kb", "greater than or equal to 0"),
    ],
)
def test_the_advanced_form_says_what_is_wrong_and_keeps_the_input(
    logged_in_client, params, field, message
):
    response = advanced(logged_in_client, **params)
    assert response.status_code == 422
    form = response.context["search_form"]
    assert any(message in error for error in form.errors[field])
    for value in params.values():
        if "\n" not in value:
            assert f'value="{value}"' in response.content.decode()


def test_a_search_with_no_condition_asks_for_one(logged_in_client):
    response = advanced(logged_in_client, scope="all")
    assert response.status_code == 422
    assert "Fill in at least one condition to search." in response.content.decode()


def test_someone_elses_label_is_not_a_choice(logged_in_client, make_account):
    other = make_account()
    label = Label.objects.create(user=other, name="Privé", keyword="$privé")
    response = advanced(logged_in_client, label=label.pk)
    assert response.status_code == 422
    assert "This label does not exist." in response.content.decode()


def test_the_quick_search_refuses_an_empty_box(logged_in_client):
    response = logged_in_client.get(reverse("mailbox:search", args=["INBOX"]), {"q": "  "})
    assert response.status_code == 422
    assert "Type the words to search for." in response.content.decode()


def test_errors_come_in_french_for_a_french_reader(logged_in_client, settings):
    settings.LANGUAGE_CODE = "fr"
    logged_in_client.cookies["django_language"] = "fr"
    response = advanced(logged_in_client, since="31/02/2026")
    assert response.status_code == 422
    assert "Saisissez une date valide." in response.content.decode()
    assert '<html lang="fr"' in response.content.decode()
