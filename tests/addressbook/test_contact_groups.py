"""Personal groups made from contacts: a group card in the user's CardDAV address book
(real Radicale) that phones and Thunderbird read, written to as one recipient in compose
and sent to each member (real Dovecot and the relay)."""

import json

import pytest
from django.urls import reverse

from addressbook import contacts, groups
from addressbook.models import ContactIndex
from addressbook.vcards import Contact
from mailbox.models import OutboxItem
from tests.addressbook.test_contacts_carddav import book_path, radicale
from tests.mailbox.compose_helpers import compose_data, send, wait_for_messages, wait_for_outbox


@pytest.fixture(autouse=True)
def no_undo_delay(settings):
    settings.UNDO_SEND_SECONDS = 0


def add_contact(user, name, address, categories=()):
    return contacts.save_contact(
        user,
        Contact(formatted_name=name, emails=(("work", address),), categories=tuple(categories)),
    )


def test_a_group_made_from_contacts_is_a_group_card_in_radicale(logged_in_client, account):
    helene = add_contact(account, "Hélène Martin", "helene.martin@example.net", ["Lettres"])
    paul = add_contact(account, "Paul Roux", "paul.roux@example.net", ["Lettres"])
    add_contact(account, "Zoé Autre", "zoe@example.net")

    response = logged_in_client.post(
        reverse("addressbook:group-new"), {"name": "Équipe de lettres", "category": "Lettres"}
    )

    assert response.status_code == 302
    group = ContactIndex.objects.get(user=account, kind="group")
    card = radicale(account, "GET", group.href).text
    assert "FN:Équipe de lettres" in card
    assert "X-ADDRESSBOOKSERVER-KIND:group" in card
    assert f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{helene.uid}" in card
    assert f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{paul.uid}" in card
    assert card.count("X-ADDRESSBOOKSERVER-MEMBER") == 2
    page = logged_in_client.get(reverse("addressbook:groups")).content.decode()
    assert "Équipe de lettres" in page
    assert "2 members: Hélène Martin, Paul Roux" in page
    contact_page = logged_in_client.get(reverse("addressbook:contacts")).content.decode()
    assert "Équipe de lettres" not in contact_page
    assert "3 contacts" in contact_page


def test_a_group_needs_a_member_with_an_address(logged_in_client, account):
    response = logged_in_client.post(reverse("addressbook:group-new"), {"name": "Vide"})

    assert response.status_code == 422
    assert "Choose at least one contact with an e-mail address." in response.content.decode()
    assert not ContactIndex.objects.filter(user=account, kind="group").exists()


def test_a_group_made_on_a_phone_shows_up_with_its_members(logged_in_client, account):
    helene = add_contact(account, "Hélène Martin", "helene.martin@example.net")
    card = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nUID:urn:uuid:phone-group-1\r\n"
        f"FN:Parents délégués\r\nMEMBER:urn:uuid:{helene.uid.upper()}\r\n"
        "MEMBER:mailto:parent.delegue@example.net\r\nEND:VCARD\r\n"
    )
    put = radicale(
        account,
        "PUT",
        book_path(account) + "phone-group-1.vcf",
        card.encode(),
        {"Content-Type": "text/vcard; charset=utf-8"},
    )
    assert put.status_code == 201

    page = logged_in_client.get(reverse("addressbook:groups")).content.decode()

    assert "Parents délégués" in page
    assert "2 members: Hélène Martin, parent.delegue@example.net" in page


def test_editing_a_group_changes_it_and_keeps_members_the_page_cannot_show(
    logged_in_client, account
):
    helene = add_contact(account, "Hélène Martin", "helene.martin@example.net")
    paul = add_contact(account, "Paul Roux", "paul.roux@example.net")
    group = groups.save_group(account, "Lettres", [helene, paul])
    card = radicale(account, "GET", group.href).text
    # Thunderbird or a phone added a plain address to the group meanwhile.
    card = card.replace(
        "END:VCARD", "X-ADDRESSBOOKSERVER-MEMBER:mailto:cpe@example.net\r\nEND:VCARD"
    )
    radicale(account, "PUT", group.href, card.encode(), {"Content-Type": "text/vcard"})

    form = logged_in_client.get(reverse("addressbook:group-edit", args=[group.pk]))
    etag = form.context["form"]["etag"].value()
    response = logged_in_client.post(
        reverse("addressbook:group-edit", args=[group.pk]),
        {"name": "Lettres et CPE", "members": [paul.pk], "etag": etag},
    )

    assert 'value="Lettres"' in form.content.decode()
    assert response.status_code == 302
    card = radicale(account, "GET", group.href).text
    assert "FN:Lettres et CPE" in card
    assert helene.uid not in card
    assert f"urn:uuid:{paul.uid}" in card
    assert "mailto:cpe@example.net" in card
    page = logged_in_client.get(reverse("addressbook:groups")).content.decode()
    assert "2 members: Paul Roux, cpe@example.net" in page


def test_a_group_changed_on_another_device_meanwhile_is_not_overwritten(logged_in_client, account):
    helene = add_contact(account, "Hélène Martin", "helene.martin@example.net")
    group = groups.save_group(account, "Lettres", [helene])
    form = logged_in_client.get(reverse("addressbook:group-edit", args=[group.pk]))
    card = radicale(account, "GET", group.href).text.replace("FN:Lettres", "FN:Lettres (phone)")
    radicale(account, "PUT", group.href, card.encode(), {"Content-Type": "text/vcard"})

    response = logged_in_client.post(
        reverse("addressbook:group-edit", args=[group.pk]),
        {
            "name": "Lettres (web)",
            "members": [helene.pk],
            "etag": form.context["form"]["etag"].value(),
        },
    )

    assert response.status_code == 422
    assert "changed or deleted on another device" in response.content.decode()
    assert "FN:Lettres (phone)" in radicale(account, "GET", group.href).text


def test_deleting_a_group_keeps_its_contacts(logged_in_client, account):
    helene = add_contact(account, "Hélène Martin", "helene.martin@example.net")
    group = groups.save_group(account, "Lettres", [helene])

    response = logged_in_client.post(reverse("addressbook:group-delete", args=[group.pk]))

    assert response.status_code == 302
    assert radicale(account, "GET", group.href).status_code == 404
    assert radicale(account, "GET", helene.href).status_code == 200
    page = logged_in_client.get(reverse("addressbook:groups")).content.decode()
    assert "Group “Lettres” deleted. Its contacts are kept." in page
    assert "No groups yet" in page


def test_someone_elses_group_cannot_be_opened(client, account, make_account):
    helene = add_contact(account, "Hélène Martin", "helene.martin@example.net")
    group = groups.save_group(account, "Lettres", [helene])
    client.force_login(make_account(first_name="Paul", last_name="Roux"))

    assert client.get(reverse("addressbook:group-edit", args=[group.pk])).status_code == 404
    assert client.post(reverse("addressbook:group-delete", args=[group.pk])).status_code == 404
    assert radicale(account, "GET", group.href).status_code == 200


def test_autocomplete_offers_the_group_as_one_recipient(logged_in_client, account):
    helene = add_contact(account, "Hélène Martin", "helene.martin@example.net")
    group = groups.save_group(account, "Équipe de lettres", [helene])

    response = logged_in_client.get(reverse("addressbook:autocomplete"), {"q": "equipe"})

    assert {
        "name": "Équipe de lettres",
        "address": f"groupe-{group.pk}@groupes.example.org",
        "source": "group",
    } in response.json()["results"]


def test_a_message_to_a_group_reaches_each_member(logged_in_client, account, make_account, stack):
    paul = make_account(username="paul.roux", first_name="Paul", last_name="Roux")
    zoe = make_account(username="zoe.blanc", first_name="Zoé", last_name="Blanc")
    members = [
        add_contact(account, "Paul Roux", "paul.roux@example.org"),
        add_contact(account, "Zoé Blanc", "zoe.blanc@example.org"),
        add_contact(account, "Parent délégué", "parent.delegue@outside.example"),
    ]
    group = groups.save_group(account, "Conseil de classe", members)
    data = compose_data(
        account,
        to=f'"Conseil de classe" <{groups.group_address(group)}>',
        subject="Conseil du 3e trimestre",
    )

    response = send(logged_in_client, data)

    assert response.status_code == 302
    assert wait_for_outbox(account, data["draft_key"]).status == "sent"
    for member in (paul, zoe):
        ((_uid, _flags, received),) = wait_for_messages(member, "INBOX", 1)
        assert received["Subject"] == "Conseil du 3e trimestre"
        assert "paul.roux@example.org" in received["To"]
        assert "groupes.example.org" not in received["To"]
    envelopes = [json.loads(p.read_text()) for p in stack.capture_dir.glob("*.json")]
    assert any("parent.delegue@outside.example" in e["rcpt_to"] for e in envelopes)


def test_a_group_address_of_someone_else_is_refused(logged_in_client, account, make_account):
    paul = make_account(first_name="Paul", last_name="Roux")
    theirs = groups.save_group(paul, "Secret", [add_contact(paul, "Zoé", "zoe@example.org")])
    data = compose_data(account, to=groups.group_address(theirs), subject="x")

    response = send(logged_in_client, data)

    assert response.status_code == 422
    assert "is not one of your groups" in response.content.decode()
    assert not OutboxItem.objects.filter(user=account).exists()


def test_with_the_contacts_server_down_groups_show_and_saving_waits(
    logged_in_client, account, settings
):
    helene = add_contact(account, "Hélène Martin", "helene.martin@example.net")
    groups.save_group(account, "Lettres", [helene])
    settings.CALDAV_URL = "http://127.0.0.1:9/"  # nothing listens on the discard port

    page = logged_in_client.get(reverse("addressbook:groups"))
    response = logged_in_client.post(
        reverse("addressbook:group-new"), {"name": "Maths", "members": [helene.pk]}
    )

    assert page.status_code == 200
    assert "Lettres" in page.content.decode()
    assert "The contacts server did not answer" in page.content.decode()
    assert response.status_code == 503
    assert "The contacts server did not answer." in response.content.decode()
    assert not ContactIndex.objects.filter(user=account, display_name="Maths").exists()
