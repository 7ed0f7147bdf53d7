"""Agents find an account by name, username, establishment name or UAI code."""

from django.urls import reverse

from accounts.models import Establishment
from tests.accounts import helpdesk_support

# The shared fixtures, visible to pytest in this module.
agent = helpdesk_support.agent
agent_client = helpdesk_support.agent_client


def found_usernames(client, query):
    response = client.get(reverse("accounts:helpdesk"), {"q": query})
    assert response.status_code == 200
    page = response.context["page"]
    return [user.username for user in page]


def test_search_by_name_username_establishment_and_uai(agent_client, django_user_model):
    college = Establishment.objects.create(name="Collège Jean Moulin", uai="0340001A")
    lycee = Establishment.objects.create(name="Lycée Joffre", uai="0340002B")
    django_user_model.objects.create_user(
        "jean.dupont", first_name="Jean", last_name="Dupont", establishment=college
    )
    django_user_model.objects.create_user(
        "marie.martin", first_name="Marie", last_name="Martin", establishment=lycee
    )

    assert found_usernames(agent_client, "dupont") == ["jean.dupont"]
    assert found_usernames(agent_client, "marie.m") == ["marie.martin"]
    assert found_usernames(agent_client, "Collège") == ["jean.dupont"]
    assert found_usernames(agent_client, "0340002b") == ["marie.martin"]
    assert found_usernames(agent_client, "jean lycée") == []


def test_results_are_paginated(agent_client, django_user_model):
    for number in range(30):
        django_user_model.objects.create_user(f"prof.numero{number:02}", last_name="Numero")

    first = agent_client.get(reverse("accounts:helpdesk"), {"q": "numero"})
    second = agent_client.get(reverse("accounts:helpdesk"), {"q": "numero", "page": 2})

    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 5
    assert "page=2" in first.content.decode()
