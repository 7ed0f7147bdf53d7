"""The contacts page finds people by any word (accents ignored) and by category, shows a
photo only as a JPEG we made, and "write an e-mail" opens compose addressed to them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from addressbook import contacts
from addressbook.models import ContactIndex
from addressbook.vcards import Contact


@pytest.fixture
def people(account):
    def add(name, email, categories=()):
        given, family = name.split(" ", 1)
        contact = Contact(
            formatted_name=name,
            given_name=given,
            family_name=family,
            emails=(("work", email),),
            categories=tuple(categories),
        )
        return contacts.save_contact(account, contact)

    add("Hélène Dubois", "helene.dubois@example.org", ["Parents"])
    add("Marc Lefèvre", "marc@example.org", ["Collègues", "Parents"])
    add("Zoé Martin", "zoe@example.org", ["Collègues"])
    return add


def names(response):
    return [entry.display_name for entry in response.context["contacts"]]


def test_search_ignores_accents_and_case(logged_in_client, people):
    response = logged_in_client.get(reverse("addressbook:contacts"), {"q": "helene"})
    assert names(response) == ["Hélène Dubois"]
    response = logged_in_client.get(reverse("addressbook:contacts"), {"q": "LEFEV"})
    assert names(response) == ["Marc Lefèvre"]
    response = logged_in_client.get(reverse("addressbook:contacts"), {"q": "nobody"})
    assert names(response) == []


def test_category_filter_shows_only_that_category(logged_in_client, people):
    response = logged_in_client.get(reverse("addressbook:contacts"), {"category": "Collègues"})
    assert names(response) == ["Marc Lefèvre", "Zoé Martin"]
    assert response.context["categories"] == ["Collègues", "Parents"]
    response = logged_in_client.get(reverse("addressbook:contacts"), {"category": "Parents"})
    assert names(response) == ["Hélène Dubois", "Marc Lefèvre"]


def test_contact_page_writes_an_email_to_them(logged_in_client, account, people):
    entry = ContactIndex.objects.get(user=account, display_name="Zoé Martin")
    page = logged_in_client.get(reverse("addressbook:contact-detail", args=[entry.pk]))
    link = reverse("mailbox:compose") + "?to=zoe%40example.org"
    assert link in page.content.decode()
    compose = logged_in_client.get(link)
    assert compose.status_code == 200
    assert "zoe@example.org" in compose.content.decode()


def test_contacts_are_offered_by_autocomplete(logged_in_client, people):
    response = logged_in_client.get(reverse("addressbook:autocomplete"), {"q": "helene"})
    results = response.json()["results"]
    assert {"name": "Hélène Dubois", "address": "helene.dubois@example.org"}.items() <= (
        results[0].items()
    )


def png_bytes(size=(800, 600)):
    out = io.BytesIO()
    Image.new("RGBA", size, (200, 30, 30, 128)).save(out, "PNG")
    return out.getvalue()


def test_uploaded_photo_is_resized_and_served_as_jpeg(logged_in_client, account):
    form = {"given_name": "Ana", "family_name": "Photo", "categories": ""}
    form["photo"] = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    response = logged_in_client.post(reverse("addressbook:contact-new"), form)
    entry = ContactIndex.objects.get(user=account)
    assert response.status_code == 302
    assert entry.has_photo
    photo = logged_in_client.get(reverse("addressbook:contact-photo", args=[entry.pk]))
    assert photo["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(photo.content))
    assert image.format == "JPEG"
    assert max(image.size) <= 256


def test_a_file_that_is_not_an_image_is_refused_and_the_form_kept(logged_in_client, account):
    form = {"given_name": "Ana", "family_name": "Photo", "categories": "Amis"}
    form["photo"] = SimpleUploadedFile("me.png", b"<script>alert(1)</script>")
    response = logged_in_client.post(reverse("addressbook:contact-new"), form)
    assert response.status_code == 422
    assert not ContactIndex.objects.filter(user=account).exists()
    assert 'value="Amis"' in response.content.decode()


def test_invalid_email_is_explained_and_nothing_lost(logged_in_client, account):
    form = {"given_name": "Bad", "family_name": "Address", "email_0_value": "not-an-address"}
    response = logged_in_client.post(reverse("addressbook:contact-new"), form)
    assert response.status_code == 422
    assert "This is not an e-mail address." in response.content.decode()
    assert 'value="not-an-address"' in response.content.decode()
