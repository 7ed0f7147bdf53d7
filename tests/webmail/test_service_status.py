"""Admins see which backend server answers; a stopped one is named in their language."""

import pytest
from django.urls import reverse

from tests.servers import stopped


@pytest.fixture
def admin_client(client, make_account):
    client.force_login(make_account("admin.status", is_staff=True, is_superuser=True))
    return client


def status_rows(response):
    return {status.key: status.ok for status in response.context["statuses"]}


def test_every_service_answers(stack, admin_client):
    response = admin_client.get(reverse("service-status"))

    assert response.status_code == 200
    assert status_rows(response) == {
        "imap": True,
        "smtp": True,
        "sieve": True,
        "caldav": True,
        "redis": True,
        "worker": True,
        "clamav": True,
    }


@pytest.mark.parametrize(
    ("service", "keys", "message"),
    [
        ("clamd", {"clamav"}, "L’antivirus n’a pas répondu"),
        ("redis", {"redis", "worker"}, "Le service des tâches de fond n’a pas répondu"),
        ("dovecot", {"imap", "smtp", "sieve"}, "Le serveur de messagerie n’a pas répondu"),
    ],
)
def test_a_stopped_service_is_reported(stack, admin_client, service, keys, message):
    with stopped(stack, service):
        response = admin_client.get(reverse("service-status"))

    assert response.status_code == 503
    down = {key for key, ok in status_rows(response).items() if not ok}
    assert down == keys
    assert message in response.content.decode()


def test_staff_only(logged_in_client):
    response = logged_in_client.get(reverse("service-status"))

    assert response.status_code == 302
