"""Only helpdesk agents reach the helpdesk, and only for ordinary staff accounts."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from accounts.context_processors import HELPDESK_LINK_KEY, HELPDESK_LINK_SECONDS
from accounts.helpdesk import helpdesk_group
from tests.accounts import helpdesk_support

agent = helpdesk_support.agent
agent_client = helpdesk_support.agent_client

ACCOUNT_PAGES = [
    ("GET", "accounts:helpdesk-account"),
    ("POST", "accounts:helpdesk-reset-password"),
    ("POST", "accounts:helpdesk-unlock"),
    ("POST", "accounts:helpdesk-reset-two-factor"),
    ("POST", "accounts:helpdesk-send-welcome"),
    ("GET", "accounts:helpdesk-welcome-letter"),
    ("POST", "accounts:helpdesk-welcome-letter"),
]


@pytest.fixture
def people(db, django_user_model):
    helpdesk = helpdesk_group()
    agent = django_user_model.objects.create_user("agent.support")
    agent.groups.add(helpdesk)
    other_agent = django_user_model.objects.create_user("autre.agent")
    other_agent.groups.add(helpdesk)
    return {
        "agent": agent,
        "other_agent": other_agent,
        "staff": django_user_model.objects.create_user("jean.dupont", last_name="Dupont"),
        "admin": django_user_model.objects.create_superuser("admin"),
    }


def request(client, method, name, pk):
    url = reverse(name, args=[pk])
    return client.post(url) if method == "POST" else client.get(url)


def test_normal_users_get_403_everywhere(client, people):
    client.force_login(people["staff"])
    assert client.get(reverse("accounts:helpdesk")).status_code == 403
    for method, name in ACCOUNT_PAGES:
        assert request(client, method, name, people["staff"].pk).status_code == 403, name


def test_only_agents_find_the_helpdesk_in_the_menu(client, people):
    link = f'href="{reverse("accounts:helpdesk")}"'
    client.force_login(people["staff"])
    assert link not in client.get(reverse("accounts:sessions")).content.decode()
    client.force_login(people["agent"])
    assert link in client.get(reverse("accounts:sessions")).content.decode()


def test_a_withdrawn_permission_closes_the_helpdesk_at_once_and_its_link_within_a_minute(
    client, people
):
    link = f'href="{reverse("accounts:helpdesk")}"'
    other = Permission.objects.exclude(codename="act_as_helpdesk").first()
    people["agent"].user_permissions.add(other)  # another permission makes no agent
    client.force_login(people["agent"])
    assert link in client.get(reverse("accounts:sessions")).content.decode()
    people["agent"].groups.clear()

    assert client.get(reverse("accounts:helpdesk")).status_code == 403
    assert link in client.get(reverse("accounts:sessions")).content.decode()  # kept answer
    session = client.session
    agent, until = session[HELPDESK_LINK_KEY]
    session[HELPDESK_LINK_KEY] = [agent, until - HELPDESK_LINK_SECONDS]  # a minute later
    session.save()
    assert link not in client.get(reverse("accounts:sessions")).content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, people):
    response = client.get(reverse("accounts:helpdesk"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_agents_cannot_touch_admins_or_other_agents(client, people):
    client.force_login(people["agent"])
    for target in ("admin", "other_agent"):
        for method, name in ACCOUNT_PAGES:
            response = request(client, method, name, people[target].pk)
            assert response.status_code == 404, (target, name)
    found = client.get(reverse("accounts:helpdesk"), {"q": "a"}).content.decode()
    assert "autre.agent" not in found
    assert reverse("accounts:helpdesk-account", args=[people["admin"].pk]) not in found


def test_superusers_are_agents(client, people):
    client.force_login(people["admin"])
    response = client.get(reverse("accounts:helpdesk-account", args=[people["staff"].pk]))
    assert response.status_code == 200


def test_an_account_being_deleted_is_out_of_the_helpdesk_reach(agent_client, make_account):
    person = make_account("partant.bientot", deletion_requested_at=timezone.now())

    page = agent_client.get(reverse("accounts:helpdesk-account", args=[person.pk]))
    reset = agent_client.post(reverse("accounts:helpdesk-reset-password", args=[person.pk]))

    assert page.status_code == 404
    assert reset.status_code == 404


def test_the_permission_makes_an_agent_not_the_group_name(client, people, django_user_model):
    permission = Permission.objects.get(codename="act_as_helpdesk")
    desk = Group.objects.create(name="Support de niveau 1")
    desk.permissions.add(permission)
    people["agent"].groups.clear()
    people["agent"].groups.add(desk)
    direct = django_user_model.objects.create_user("agent.direct")
    direct.user_permissions.add(permission)
    # A member of a group called "Helpdesk" that no longer holds the permission.
    Group.objects.get(name="Helpdesk").permissions.clear()
    named_only = people["other_agent"]

    for user, status in ((people["agent"], 200), (direct, 200), (named_only, 403)):
        client.force_login(user)
        assert client.get(reverse("accounts:helpdesk")).status_code == status, user
    client.force_login(people["agent"])
    # Holding the permission directly also puts an account out of other agents' reach.
    page = client.get(reverse("accounts:helpdesk-account", args=[direct.pk]))
    assert page.status_code == 404


def test_the_migration_gives_the_helpdesk_group_the_permission(db):
    group = Group.objects.get(name="Helpdesk")
    assert list(group.permissions.values_list("codename", flat=True)) == ["act_as_helpdesk"]
