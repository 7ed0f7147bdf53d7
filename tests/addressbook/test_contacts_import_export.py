"""vCard import (every file of the shared corpus, with a report) and export (3.0 and 4.0),
and merging duplicates, against the real Radicale."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from addressbook import contacts
from addressbook.models import ContactImport, ContactIndex
from addressbook.services import carddav
from addressbook.vcards import Contact, read_cards
from tests.conftest import CORPUS_DIR
from webmail.errors import ContactsServerUnavailable

VCARD_DIR = CORPUS_DIR / "vcard"
CORPUS = sorted(p for p in VCARD_DIR.rglob("*") if p.is_file()) if VCARD_DIR.is_dir() else []


def import_bytes(client, data, name="contacts.vcf"):
    """Upload through the page, let the stack's Celery worker import it, and return the
    report page."""
    upload = SimpleUploadedFile(name, data, content_type="text/vcard")
    response = client.post(reverse("addressbook:contact-import"), {"file": upload})
    assert response.status_code == 302
    job = ContactImport.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))
    deadline = time.monotonic() + 60
    while ContactImport.objects.get(pk=job.pk).status != ContactImport.Status.DONE:
        assert time.monotonic() < deadline, "the import task did not finish"
        time.sleep(0.1)
    return client.get(response.url)


@pytest.mark.skipif(
    not CORPUS, reason=f"vCard corpus absent: {VCARD_DIR} (shared/ beside the checkout)"
)
def test_every_corpus_file_imports_with_a_report(logged_in_client, account):
    total_read = 0
    for path in CORPUS:
        data = path.read_bytes()
        expected = read_cards(data)
        response = import_bytes(logged_in_client, data, path.name)
        assert response.status_code == 200, path
        assert len(response.context["imported"]) == len(expected.cards), path
        assert len(response.context["skipped_rows"]) == len(expected.skipped), path
        total_read += len(expected.cards)
    # Cards with the same UID in several files replace each other, so compare with the
    # distinct UIDs the corpus holds.
    uids = {card.contact.uid for path in CORPUS for card in read_cards(path.read_bytes()).cards}
    assert total_read > 50
    assert ContactIndex.objects.filter(user=account).count() == len(uids)
    page = logged_in_client.get(reverse("addressbook:contacts"))
    assert page.status_code == 200


def test_import_report_names_what_was_skipped_and_why(logged_in_client, account):
    data = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Claire Import\r\nEMAIL:claire@example.org\r\n"
        b"END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nobody\r\nEND:VCARD\r\n"
    )
    response = import_bytes(logged_in_client, data)
    page = response.content.decode()
    assert "1 contact imported." in page
    assert "Card 2: no name, e-mail address or phone number" in page
    assert list(
        ContactIndex.objects.filter(user=account).values_list("display_name", flat=True)
    ) == ["Claire Import"]


def test_a_file_that_is_not_a_vcard_is_reported(logged_in_client, account):
    response = import_bytes(logged_in_client, b"\x89PNG\r\n\x1a\n not a card")
    assert "not a vCard" in response.content.decode()
    assert not ContactIndex.objects.filter(user=account).exists()


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_export_then_import_gives_the_same_contacts(logged_in_client, account, version):
    contacts.save_contact(
        account,
        Contact(
            formatted_name="Élise Export",
            given_name="Élise",
            family_name="Export",
            emails=(("work", "elise@example.org"), ("home", "elise@example.net")),
            phones=(("cell", "+33 6 00 00 00 01"),),
            organisation="Lycée Curie",
            categories=("Collègues",),
        ),
    )
    response = logged_in_client.get(reverse("addressbook:contact-export-all"), {"version": version})
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    text = response.content.decode()
    assert f"VERSION:{version}" in text

    for entry in ContactIndex.objects.filter(user=account):
        contacts.delete_contact(account, entry)
    report = import_bytes(logged_in_client, response.content)
    assert report.context["imported"] == ["Élise Export"]
    again, _stored = contacts.read_contact(account, ContactIndex.objects.get(user=account))
    assert again.display_name == "Élise Export"
    assert again.email_addresses == ["elise@example.org", "elise@example.net"]
    assert again.phones == (("cell", "+33 6 00 00 00 01"),)
    assert again.organisation == "Lycée Curie"
    assert again.categories == ("Collègues",)


def test_one_contact_exports_alone(logged_in_client, account):
    kept = contacts.save_contact(account, Contact(formatted_name="Only Me"))
    contacts.save_contact(account, Contact(formatted_name="Someone Else"))
    response = logged_in_client.get(reverse("addressbook:contact-export", args=[kept.pk]))
    assert response.content.decode().count("BEGIN:VCARD") == 1
    assert "FN:Only Me" in response.content.decode()


def test_duplicates_are_found_and_merged_keeping_every_address(logged_in_client, account):
    first = contacts.save_contact(
        account,
        Contact(
            formatted_name="Jean Martin",
            given_name="Jean",
            family_name="Martin",
            emails=(("work", "jean.martin@example.org"),),
            phones=(("work", "04 67 00 00 00"),),
            organisation="Collège Jean Moulin",
        ),
    )
    second = contacts.save_contact(
        account,
        Contact(
            formatted_name="Martin Jean",
            emails=(("home", "jeannot@example.net"),),
            phones=(("cell", "06 11 22 33 44"),),
            organisation="Mairie",
            categories=("Parents",),
        ),
    )
    contacts.save_contact(account, Contact(formatted_name="Other Person"))

    page = logged_in_client.get(reverse("addressbook:contact-duplicates"))
    groups = page.context["groups"]
    assert [[entry.pk for entry in group] for group in groups] == [[first.pk, second.pk]]

    merge_url = reverse("addressbook:contact-merge")
    form = logged_in_client.get(merge_url, {"id": [first.pk, second.pk]})
    assert form.status_code == 200
    response = logged_in_client.post(
        merge_url, {"id": [first.pk, second.pk], "name": 0, "organisation": 1}
    )
    assert response.status_code == 302
    assert not ContactIndex.objects.filter(pk=second.pk).exists()
    merged, _stored = contacts.read_contact(account, ContactIndex.objects.get(pk=first.pk))
    assert merged.display_name == "Jean Martin"
    assert merged.organisation == "Mairie"
    assert merged.email_addresses == ["jean.martin@example.org", "jeannot@example.net"]
    assert [number for _kind, number in merged.phones] == ["04 67 00 00 00", "06 11 22 33 44"]
    assert merged.categories == ("Parents",)
    assert contacts.duplicate_groups(account) == []


def test_importing_a_card_a_phone_already_has_replaces_it(logged_in_client, account):
    contacts.sync(account)
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:same-uid\r\nFN:{name}\r\nEND:VCARD\r\n"
    with carddav.session_for(account.mail_account) as session:
        session.put("phone-named", card.format(name="Old Name"), href=session.book + "x.vcf")

    response = import_bytes(logged_in_client, card.format(name="New Name").encode())
    assert response.context["imported"] == ["New Name"]
    assert list(ContactIndex.objects.filter(user=account).values_list("display_name", "href")) == [
        ("New Name", f"/{account.username}/contacts/x.vcf")
    ]


def test_someone_elses_import_report_is_not_found(logged_in_client, make_account):
    other = make_account()
    job = ContactImport.objects.create(user=other, file_name="x.vcf", data=b"")
    url = reverse("addressbook:contact-import-detail", args=[job.pk])
    assert logged_in_client.get(url).status_code == 404


def test_import_waits_for_radicale_and_finishes_when_it_is_back(account, settings):
    job = ContactImport.objects.create(
        user=account, data=b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Later\r\nEND:VCARD\r\n"
    )
    working_url = settings.CALDAV_URL
    settings.CALDAV_URL = "http://127.0.0.1:9/"
    with pytest.raises(ContactsServerUnavailable):
        contacts.run_import(job.pk)  # the task retries on this error
    assert ContactImport.objects.get(pk=job.pk).status != ContactImport.Status.DONE

    settings.CALDAV_URL = working_url
    contacts.run_import(job.pk)
    job.refresh_from_db()
    assert job.status == ContactImport.Status.DONE
    assert job.report["imported"] == ["Later"]
    assert bytes(job.data) == b""
