"""The mail preferences page and the order control above the list: saved per user."""

from django.urls import reverse

from mailbox.models import MailPreferences
from tests.mailbox.list_helpers import append, raw_message, subjects

FOLDER_URL = reverse("mailbox:folder-detail", args=["INBOX"])


def test_saved_preferences_persist_and_go_back_to_the_list(logged_in_client, account):
    response = logged_in_client.post(
        reverse("mailbox:preferences"),
        {
            "page_size": "100",
            "sort_key": "subject",
            "direction": "asc",
            "conversations": "on",
            "next": FOLDER_URL,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == FOLDER_URL
    saved = MailPreferences.objects.get(user=account)
    assert (saved.page_size, saved.sort_key, saved.sort_descending, saved.conversations) == (
        100,
        "subject",
        False,
        True,
    )
    page = logged_in_client.get(reverse("mailbox:preferences")).content.decode()
    assert '<option value="100" selected>' in page


def test_a_bad_choice_is_refused_and_nothing_is_saved(logged_in_client, account):
    response = logged_in_client.post(
        reverse("mailbox:preferences"),
        {"page_size": "7", "sort_key": "date", "direction": "desc"},
    )

    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not MailPreferences.objects.filter(user=account).exists()


def test_an_outside_next_address_is_not_followed(logged_in_client):
    response = logged_in_client.post(
        reverse("mailbox:preferences"),
        {
            "page_size": "25",
            "sort_key": "date",
            "direction": "desc",
            "next": "https://evil.example/",
        },
    )

    assert response["Location"] == reverse("mailbox:preferences")


def test_the_folder_page_links_to_the_preferences(logged_in_client):
    page = logged_in_client.get(FOLDER_URL).content.decode()

    assert reverse("mailbox:preferences") in page
    assert reverse("mailbox:list-order", args=["INBOX"]) in page


def test_the_order_control_sorts_with_and_without_javascript(client, make_account):
    owner, other = make_account(), make_account()
    append(owner, raw_message("Bravo", day=1), raw_message("Alpha", day=2))
    client.force_login(owner)
    url = reverse("mailbox:list-order", args=["INBOX"])

    plain = client.post(url, {"sort_key": "subject", "direction": "asc"})
    htmx = client.post(
        url, {"sort_key": "subject", "direction": "desc"}, headers={"HX-Request": "true"}
    )

    assert plain.status_code == 302
    assert plain["Location"] == FOLDER_URL
    assert subjects(htmx) == ["Bravo", "Alpha"]
    assert b"<html" not in htmx.content
    assert MailPreferences.objects.get(user=owner).sort_descending is True
    assert not MailPreferences.objects.filter(user=other).exists()  # only the user's own


def test_page_size_applies_to_a_sorted_list(client, make_account):
    owner = make_account()
    append(owner, *(raw_message(f"Message {n:02d}", day=n) for n in range(30)))
    MailPreferences.objects.create(user=owner, page_size=25, sort_key="date")
    client.force_login(owner)

    response = client.get(FOLDER_URL)

    assert len(subjects(response)) == 25
    assert subjects(response)[0] == "Message 29"
    assert "1–25 of 30" in response.content.decode()
