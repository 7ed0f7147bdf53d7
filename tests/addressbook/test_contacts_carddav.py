"""Contacts live in the user's CardDAV address book on Radicale: what the pages write is
there over plain HTTP, and what a phone writes there shows up after a sync."""

from datetime import timedelta

import niquests
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from addressbook import contacts, tasks
from addressbook.models import ContactBook, ContactIndex
from addressbook.vcards import Contact
from tests.conftest import DEFAULT_TEST_PASSWORD


def radicale(user, method, path, body=None, headers=None):
    """Raw HTTP to Radicale as the user with their own password, as a phone would."""
    return niquests.request(
        method,
        settings.CALDAV_URL.rstrip("/") + path,
        data=body,
        headers=headers or {},
        auth=(user.username, DEFAULT_TEST_PASSWORD),
        timeout=10,
    )


def book_path(user):
    return f"/{user.username}/contacts/"


@pytest.fixture
def contact_form():
    return {
        "given_name": "Hélène",
        "family_name": "Martin",
        "formatted_name": "",
        "email_0_type": "work",
        "email_0_value": "helene.martin@example.org",
        "email_1_type": "home",
        "email_1_value": "lene@example.net",
        "phone_0_type": "cell",
        "phone_0_value": "+33 6 12 34 56 78",
        "organisation": "Collège Jean Moulin",
        "title": "Professeure de lettres",
        "street": "3 rue des Écoles",
        "postcode": "34000",
        "city": "Montpellier",
        "region": "",
        "country": "France",
        "note": "Salle 12",
        "categories": "Collègues, Lettres",
    }


def test_created_contact_is_a_vcard_in_radicale(logged_in_client, account, contact_form):
    response = logged_in_client.post(reverse("addressbook:contact-new"), contact_form)
    entry = ContactIndex.objects.get(user=account)
    assert response.status_code == 302
    assert response.url == reverse("addressbook:contact-detail", args=[entry.pk])

    card = radicale(account, "GET", entry.href)
    assert card.status_code == 200
    text = card.text
    assert "FN:Hélène Martin" in text
    assert "helene.martin@example.org" in text
    assert "lene@example.net" in text
    assert "CATEGORIES:Collègues,Lettres" in text
    assert "ORG:Collège Jean Moulin" in text
    page = logged_in_client.get(response.url)
    assert "Hélène Martin" in page.content.decode()
    compose = reverse("mailbox:compose") + "?to=helene.martin%40example.org"
    assert compose in page.content.decode()


def test_edited_contact_keeps_what_the_page_does_not_show(logged_in_client, account, contact_form):
    logged_in_client.post(reverse("addressbook:contact-new"), contact_form)
    entry = ContactIndex.objects.get(user=account)
    # A phone added a birthday the page has no field for.
    text = radicale(account, "GET", entry.href).text.replace(
        "END:VCARD", "BDAY:1980-05-21\r\nEND:VCARD"
    )
    radicale(account, "PUT", entry.href, text.encode(), {"Content-Type": "text/vcard"})
    logged_in_client.get(reverse("addressbook:contacts"))  # sync picks up the new etag

    edited = {**contact_form, "family_name": "Martin-Durand", "email_1_value": ""}
    response = logged_in_client.post(reverse("addressbook:contact-edit", args=[entry.pk]), edited)
    assert response.status_code == 302
    text = radicale(account, "GET", entry.href).text
    assert "Martin-Durand" in text
    assert "lene@example.net" not in text
    assert "BDAY:1980-05-21" in text


def test_deleted_contact_is_gone_from_radicale(logged_in_client, account, contact_form):
    logged_in_client.post(reverse("addressbook:contact-new"), contact_form)
    entry = ContactIndex.objects.get(user=account)
    response = logged_in_client.post(reverse("addressbook:contact-delete", args=[entry.pk]))
    assert response.status_code == 302
    assert radicale(account, "GET", entry.href).status_code == 404
    assert not ContactIndex.objects.filter(user=account).exists()


def test_contact_written_by_a_phone_appears_after_sync(logged_in_client, account):
    logged_in_client.get(reverse("addressbook:contacts"))  # creates the address book
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-1\r\nFN:Zoé Phone\r\n"
        "N:Phone;Zoé;;;\r\nEMAIL;TYPE=INTERNET:zoe@example.org\r\nEND:VCARD\r\n"
    )
    put = radicale(
        account, "PUT", book_path(account) + "phone-1.vcf", card.encode(),
        {"Content-Type": "text/vcard"},
    )  # fmt: skip
    assert put.status_code == 201

    page = logged_in_client.get(reverse("addressbook:contacts"))
    assert "Zoé Phone" in page.content.decode()

    radicale(account, "DELETE", book_path(account) + "phone-1.vcf")
    page = logged_in_client.get(reverse("addressbook:contacts"))
    assert "Zoé Phone" not in page.content.decode()


def test_a_sync_with_nothing_changed_leaves_the_index_unread(account):
    contacts.save_contact(account, Contact(formatted_name="Zoé Martin"))
    contacts.sync(account)
    with CaptureQueriesContext(connection) as queries:
        book = contacts.sync(account)
    assert book.synced_at is not None
    assert not [q["sql"] for q in queries if "addressbook_contactindex" in q["sql"]]
    assert ContactIndex.objects.get(user=account).display_name == "Zoé Martin"


def test_another_users_contact_is_not_found(logged_in_client, account, make_account):
    other = make_account(first_name="Paul", last_name="Autre")
    contacts.save_contact(other, contacts.vcards.Contact(formatted_name="Secret Person"))
    theirs = ContactIndex.objects.get(user=other)
    mine = contacts.save_contact(account, contacts.vcards.Contact(formatted_name="Mine"))
    for name in ("contact-detail", "contact-edit", "contact-photo", "contact-export"):
        url = reverse(f"addressbook:{name}", args=[theirs.pk])
        assert logged_in_client.get(url).status_code == 404, name
    delete = reverse("addressbook:contact-delete", args=[theirs.pk])
    assert logged_in_client.post(delete).status_code == 404
    merge = reverse("addressbook:contact-merge")
    assert logged_in_client.get(merge, {"id": [mine.pk, theirs.pk]}).status_code == 404
    assert (
        "Secret Person"
        not in logged_in_client.get(reverse("addressbook:contact-export-all")).content.decode()
    )
    assert ContactIndex.objects.filter(pk=theirs.pk).exists()


def test_saving_over_a_change_made_on_a_phone_is_refused_and_the_form_kept(
    logged_in_client, account, contact_form
):
    logged_in_client.post(reverse("addressbook:contact-new"), contact_form)
    entry = ContactIndex.objects.get(user=account)
    edit_url = reverse("addressbook:contact-edit", args=[entry.pk])
    etag = logged_in_client.get(edit_url).context["form"]["etag"].value()
    assert etag
    # Meanwhile the phone edits the card, and another tab syncs the index.
    text = radicale(account, "GET", entry.href).text.replace("Salle 12", "Salle 14")
    radicale(account, "PUT", entry.href, text.encode(), {"Content-Type": "text/vcard"})
    logged_in_client.get(reverse("addressbook:contacts"))

    mine = {**contact_form, "note": "Salle 20", "etag": etag}
    response = logged_in_client.post(edit_url, mine)
    assert response.status_code == 422
    assert "changed on another device" in response.content.decode()
    assert "Salle 20" in response.content.decode()
    assert "Salle 14" in radicale(account, "GET", entry.href).text


def test_merging_cards_a_phone_changed_meanwhile_merges_nothing(logged_in_client, account):
    first = contacts.save_contact(
        account, Contact(formatted_name="Jean Martin", emails=(("work", "jean@example.org"),))
    )
    second = contacts.save_contact(
        account, Contact(formatted_name="Jean Martin", emails=(("home", "jeannot@example.net"),))
    )
    merge_url = reverse("addressbook:contact-merge")
    # The phone renames the first card; the index has not synced yet.
    text = radicale(account, "GET", first.href).text.replace(
        "FN:Jean Martin", "FN:Jean-Paul Martin"
    )
    radicale(account, "PUT", first.href, text.encode(), {"Content-Type": "text/vcard"})

    response = logged_in_client.post(
        merge_url, {"id": [first.pk, second.pk], "name": 0}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("addressbook:contact-duplicates")
    assert "so nothing was merged" in response.content.decode()
    assert "FN:Jean-Paul Martin" in radicale(account, "GET", first.href).text
    assert radicale(account, "GET", second.href).status_code == 200

    # The phone deletes the second card: the merge page says so instead of failing.
    radicale(account, "DELETE", second.href)
    response = logged_in_client.get(merge_url, {"id": [first.pk, second.pk]}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("addressbook:contact-duplicates")
    assert "so nothing was merged" in response.content.decode()
    assert "FN:Jean-Paul Martin" in radicale(account, "GET", first.href).text


def test_with_the_contacts_server_down_the_list_still_shows(logged_in_client, account, settings):
    contacts.save_contact(account, contacts.vcards.Contact(formatted_name="Known Person"))
    entry = ContactIndex.objects.get(user=account)
    settings.CALDAV_URL = "http://127.0.0.1:9/"  # nothing listens on the discard port

    response = logged_in_client.get(reverse("addressbook:contacts"))
    assert response.status_code == 200
    assert "Known Person" in response.content.decode()
    assert "The contacts server did not answer" in response.content.decode()

    response = logged_in_client.get(reverse("addressbook:contact-detail", args=[entry.pk]))
    assert response.status_code == 503
    assert "The contacts server did not answer." in response.content.decode()


def test_beat_sync_brings_a_phone_contact_to_autocomplete(logged_in_client, account):
    logged_in_client.get(reverse("addressbook:contacts"))  # creates the address book
    ContactBook.objects.filter(user=account).update(synced_at=timezone.now() - timedelta(hours=1))
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-2\r\nFN:Noémie Mobile\r\n"
        "EMAIL:noemie@example.org\r\nEND:VCARD\r\n"
    )
    path = book_path(account) + "phone-2.vcf"
    radicale(account, "PUT", path, card.encode(), {"Content-Type": "text/vcard"})

    # As beat would an hour from now (the stack's own beat may sync it first: as good).
    assert tasks.sync_stale_books(timezone.now() + timedelta(hours=1)) == 1
    response = logged_in_client.get(reverse("addressbook:autocomplete"), {"q": "noemie"})
    assert [r["address"] for r in response.json()["results"]] == ["noemie@example.org"]
    assert tasks.sync_contact_books() == 0  # just synced: not stale


def test_address_book_deleted_from_thunderbird_is_recreated_empty(
    logged_in_client, account, contact_form
):
    logged_in_client.post(reverse("addressbook:contact-new"), contact_form)
    assert radicale(account, "DELETE", book_path(account)).status_code in (200, 204)

    page = logged_in_client.get(reverse("addressbook:contacts"))
    assert page.status_code == 200
    assert list(page.context["contacts"]) == []
    propfind = radicale(account, "PROPFIND", book_path(account), None, {"Depth": "0"})
    assert propfind.status_code == 207
