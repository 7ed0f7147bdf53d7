"""One autocomplete for compose: recently used addresses first, then lists and the
directory, names that start with what was typed before other matches, accents ignored."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from addressbook.models import CollectedAddress, DistributionList


def suggest(client, query):
    response = client.get(reverse("addressbook:autocomplete"), {"q": query})
    assert response.status_code == 200
    return [(item["name"], item["address"], item["source"]) for item in response.json()["results"]]


@pytest.fixture
def me(person, moulin):
    return person("jean.dupont", "Jean", "Dupont", establishment=moulin)


@pytest.fixture
def my_client(client, me):
    client.force_login(me)
    return client


def test_helene_finds_helene_by_first_name_last_name_or_address(my_client, person):
    person("helene.lefevre", "Hélène", "Lefèvre")

    for query in ("helene", "HÉLÈ", "lefev", "helene.lef"):
        assert suggest(my_client, query) == [
            ("Hélène Lefèvre", "helene.lefevre@example.org", "directory")
        ]


def test_recent_addresses_come_first_most_used_first(my_client, me, person):
    person("martine.albert", "Martine", "Albert")
    now = timezone.now()
    CollectedAddress.objects.create(
        user=me, address="marc@outside.fr", name="Marc", use_count=2, last_used=now
    )
    CollectedAddress.objects.create(
        user=me,
        address="martin.voisin@ailleurs.fr",
        name="Martin Voisin",
        use_count=9,
        last_used=now - timedelta(days=1),
    )

    assert suggest(my_client, "mar") == [
        ("Martin Voisin", "martin.voisin@ailleurs.fr", "recent"),
        ("Marc", "marc@outside.fr", "recent"),
        ("Martine Albert", "martine.albert@example.org", "directory"),
    ]


def test_names_starting_with_the_query_come_before_later_words(my_client, person):
    person("anne.martin", "Anne", "Martin")
    person("martin.zola", "Martin", "Zola")
    person("claire.martin-aubert", "Claire", "Martin-Aubert")

    assert [name for name, _address, _source in suggest(my_client, "martin")] == [
        "Anne Martin",
        "Claire Martin-Aubert",
        "Martin Zola",
    ]
    assert suggest(my_client, "martin z")[0][0] == "Martin Zola"


def test_an_address_used_recently_is_not_offered_twice(my_client, me, person):
    person("paul.roux", "Paul", "Roux")
    CollectedAddress.objects.create(
        user=me,
        address="paul.roux@example.org",
        name="Paul R.",
        use_count=1,
        last_used=timezone.now(),
    )

    assert suggest(my_client, "roux") == [("Paul R.", "paul.roux@example.org", "recent")]


def test_inactive_accounts_are_not_offered(my_client, person):
    person("luc.gone", "Luc", "Gone", is_active=False)

    assert suggest(my_client, "luc") == []


def test_lists_are_offered_to_their_establishment_only(my_client, moulin, curie):
    DistributionList.objects.create(
        name="Équipe pédagogique collège Jean Moulin", slug="equipe-moulin", establishment=moulin
    )
    DistributionList.objects.create(name="Équipe Curie", slug="equipe-curie", establishment=curie)
    DistributionList.objects.create(name="Toutes les équipes", slug="toutes-academie")
    DistributionList.objects.create(name="Équipe fermée", slug="equipe-old", is_active=False)

    assert suggest(my_client, "equipe") == [
        ("Équipe pédagogique collège Jean Moulin", "equipe-moulin@listes.example.org", "list"),
        ("Toutes les équipes", "toutes-academie@listes.example.org", "list"),
    ]
    assert suggest(my_client, "pedago moulin")[0][2] == "list"


def test_at_most_ten_suggestions(my_client, person):
    for n in range(15):
        person(f"sam.petit{n}", "Sam", f"Petit{n}")

    assert len(suggest(my_client, "sam")) == 10


def test_an_empty_query_suggests_nothing(my_client, person):
    person("anne.martin", "Anne", "Martin")

    assert suggest(my_client, "  ") == []
    assert suggest(my_client, "%") == []


def test_signed_out_visitors_get_nothing(client, person):
    person("anne.martin", "Anne", "Martin")

    response = client.get(reverse("addressbook:autocomplete"), {"q": "anne"})

    assert response.status_code == 302
