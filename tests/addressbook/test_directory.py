"""The organisation directory: every active account, found by first name, last name or
address whatever the accents, filtered by establishment, page by page."""

import pytest
from django.urls import reverse

from addressbook.directory import index_everyone, search_directory
from addressbook.models import DirectoryWord


def names(people):
    return [person.get_full_name() for person in people]


@pytest.fixture
def staff(person, moulin, curie):
    return {
        "helene": person(
            "helene.lefevre",
            "Hélène",
            "Lefèvre",
            establishment=moulin,
            department="Lettres",
            title="Professeure",
        ),
        "marie_helene": person("marie-helene.dupre", "Marie-Hélène", "Dupré", establishment=curie),
        "jerome": person("jerome.le-gall", "Jérôme", "Le Gall", establishment=curie),
        "helen": person("helen.smith", "Helen", "Smith", establishment=moulin),
    }


def test_search_ignores_accents_and_case(staff):
    assert names(search_directory("helene")) == ["Marie-Hélène Dupré", "Hélène Lefèvre"]
    assert names(search_directory("HÉLÈNE LEF")) == ["Hélène Lefèvre"]
    assert names(search_directory("lefevre")) == ["Hélène Lefèvre"]
    assert names(search_directory("jerome")) == ["Jérôme Le Gall"]


def test_search_by_first_name_last_name_or_address(staff):
    assert names(search_directory("hel")) == ["Marie-Hélène Dupré", "Hélène Lefèvre", "Helen Smith"]
    assert names(search_directory("gall")) == ["Jérôme Le Gall"]
    assert names(search_directory("legall")) == ["Jérôme Le Gall"]
    assert names(search_directory("helen.smith@example.org")) == ["Helen Smith"]
    assert names(search_directory("smith helen")) == ["Helen Smith"]
    assert names(search_directory("zz")) == []


def test_filter_by_establishment(staff, moulin, curie):
    assert names(search_directory("", moulin)) == ["Hélène Lefèvre", "Helen Smith"]
    assert names(search_directory("hel", curie)) == ["Marie-Hélène Dupré"]


def test_inactive_accounts_are_not_listed(staff):
    staff["helene"].is_active = False
    staff["helene"].save()

    assert names(search_directory("helene")) == ["Marie-Hélène Dupré"]
    assert "Hélène Lefèvre" not in names(search_directory(""))
    assert not DirectoryWord.objects.filter(user=staff["helene"]).exists()


def test_a_reactivated_account_is_found_again(staff):
    staff["helene"].is_active = False
    staff["helene"].save(update_fields=["is_active"])
    staff["helene"].is_active = True
    staff["helene"].save(update_fields=["is_active"])

    assert names(search_directory("lefevre")) == ["Hélène Lefèvre"]


def test_a_renamed_person_is_found_by_the_new_name_only(staff):
    staff["jerome"].last_name = "Le Goff"
    staff["jerome"].save()

    assert names(search_directory("goff")) == ["Jérôme Le Goff"]
    assert names(search_directory("legall")) == []


def test_the_index_can_be_rebuilt(staff):
    DirectoryWord.objects.all().delete()
    assert names(search_directory("helene")) == []

    index_everyone()

    assert names(search_directory("helene")) == ["Marie-Hélène Dupré", "Hélène Lefèvre"]


def test_the_page_shows_establishment_department_and_role(client, staff, moulin):
    client.force_login(staff["jerome"])

    response = client.get(reverse("addressbook:directory"), {"q": "Hélène"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Hélène Lefèvre" in page
    assert "helene.lefevre@example.org" in page
    assert "Collège Jean Moulin" in page
    assert "Lettres" in page
    assert "Professeure" in page
    assert "Helen Smith" not in page


def test_the_page_filters_by_establishment(client, staff, curie):
    client.force_login(staff["helen"])

    page = client.get(reverse("addressbook:directory"), {"establishment": curie.pk})

    assert "Jérôme Le Gall" in page.content.decode()
    assert "Hélène Lefèvre" not in page.content.decode()


def test_the_page_is_paginated_and_keeps_the_search(client, person, staff):
    for n in range(60):
        person(f"alain.martin{n}", "Alain", f"Martin{n:02d}")
    client.force_login(staff["helen"])

    first = client.get(reverse("addressbook:directory"), {"q": "alain"}).content.decode()
    second = client.get(reverse("addressbook:directory"), {"q": "alain", "page": 2})

    assert "Alain Martin49" in first
    assert "Alain Martin50" not in first
    assert "q=alain&amp;page=2" in first
    assert "Alain Martin50" in second.content.decode()
    assert "Alain Martin49" not in second.content.decode()


def test_the_directory_needs_a_signed_in_user(client):
    response = client.get(reverse("addressbook:directory"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_search_matching_too_many_people_asks_for_more_letters(
    client, person, staff, monkeypatch
):
    monkeypatch.setattr("addressbook.directory.MAX_SHOWN", 55)
    for n in range(60):
        person(f"alain.martin{n}", "Alain", f"Martin{n:02d}")
    client.force_login(staff["helen"])

    first = client.get(reverse("addressbook:directory"), {"q": "alain"}).content.decode()
    second = client.get(reverse("addressbook:directory"), {"q": "alain", "page": 2})

    listed = [f"Alain Martin{n:02d}" for n in range(60)]
    listed = [name for name in listed if name in first + second.content.decode()]
    assert "More than 55 people match; 55 of them are listed." in first
    assert "Page 1 of 2" in first
    assert len(listed) == 55
