"""Admins create, change and delete distribution lists in Django admin."""

import pytest
from django.test import Client
from django.urls import reverse

from addressbook.models import DistributionList


@pytest.fixture
def admin(person):
    user = person("root.admin", "Root", "Admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def list_form(**fields):
    data = {
        "name": "Équipe pédagogique collège Jean Moulin",
        "slug": "equipe-moulin",
        "description": "",
        "establishment": "",
        "members": [],
        "outside_addresses": "",
        "is_active": "on",
    }
    data.update(fields)
    return data


def test_an_admin_creates_changes_and_deletes_a_list(admin, person, moulin):
    helene = person("helene.lefevre", "Hélène", "Lefèvre")
    paul = person("paul.roux", "Paul", "Roux")

    response = admin.post(
        reverse("admin:addressbook_distributionlist_add"),
        list_form(
            establishment=moulin.pk,
            members=[helene.pk, paul.pk],
            outside_addresses="parent.delegue@famille.fr\n",
        ),
    )

    assert response.status_code == 302
    created = DistributionList.objects.get(slug="equipe-moulin")
    assert set(created.members.all()) == {helene, paul}
    assert created.outside_address_list() == ["parent.delegue@famille.fr"]
    assert created.establishment == moulin
    listing = admin.get(reverse("admin:addressbook_distributionlist_changelist"))
    assert "Équipe pédagogique collège Jean Moulin" in listing.content.decode()
    page = admin.get(reverse("admin:addressbook_distributionlist_change", args=[created.pk]))
    assert "equipe-moulin@listes.example.org" in page.content.decode()

    admin.post(
        reverse("admin:addressbook_distributionlist_change", args=[created.pk]),
        list_form(name="Équipe Moulin 2026", members=[paul.pk]),
    )
    created.refresh_from_db()
    assert created.name == "Équipe Moulin 2026"
    assert list(created.members.all()) == [paul]

    admin.post(
        reverse("admin:addressbook_distributionlist_delete", args=[created.pk]), {"post": "yes"}
    )
    assert not DistributionList.objects.exists()


def test_a_bad_outside_address_is_refused_and_the_form_kept(admin):
    response = admin.post(
        reverse("admin:addressbook_distributionlist_add"),
        list_form(outside_addresses="ok@famille.fr\nnot an address"),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "“not an address” is not a valid e-mail address." in page
    assert "ok@famille.fr" in page
    assert not DistributionList.objects.exists()


def test_people_who_are_not_staff_cannot_reach_the_lists(client, person):
    client.force_login(person("eve.curieuse", "Ève", "Curieuse"))

    response = client.get(reverse("admin:addressbook_distributionlist_changelist"))

    assert response.status_code == 302


def test_a_list_or_group_address_is_no_outside_member(admin):
    for address in ("equipe-autre@listes.example.org", "groupe-3@groupes.example.org"):
        response = admin.post(
            reverse("admin:addressbook_distributionlist_add"),
            list_form(outside_addresses=f"ok@famille.fr\n{address}"),
        )

        assert response.status_code == 200
        assert f"“{address}” is a list or group: add its members instead." in (
            response.content.decode()
        )
    assert not DistributionList.objects.exists()
