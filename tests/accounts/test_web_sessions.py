"""Thirty minutes without doing anything signs a person out; polling does not count.
People see their signed-in browsers and end them."""

import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditLogEntry
from tests.conftest import DEFAULT_TEST_PASSWORD

BACKGROUND = {"X-Background-Request": "1"}


def sign_in(client, user, agent="Firefox"):
    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": DEFAULT_TEST_PASSWORD},
        headers={"User-Agent": agent},
    )
    assert response.status_code == 302
    return client


def make_idle(client, seconds):
    session = client.session
    session["last_activity"] = time.time() - seconds
    session.save()


def test_thirty_idle_minutes_sign_the_person_out(client, make_account):
    sign_in(client, make_account())
    make_idle(client, 31 * 60)

    response = client.get(reverse("addressbook:directory"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "idle=1" in response["Location"]
    assert client.get(reverse("addressbook:directory")).status_code == 302  # really out


def test_background_requests_do_not_keep_the_session_alive(client, make_account):
    sign_in(client, make_account())
    make_idle(client, 29 * 60)

    client.get(reverse("addressbook:directory"), headers=BACKGROUND)  # e.g. new-mail polling
    make_idle(client, 29 * 60 + 70)  # the clock was not moved by it
    response = client.get(reverse("addressbook:directory"), headers=BACKGROUND)

    assert response.status_code == 401
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))


def test_what_the_person_does_keeps_the_session_alive(client, make_account):
    sign_in(client, make_account())
    make_idle(client, 29 * 60)

    client.post(reverse("accounts:session-keepalive"))  # typing in a draft, say
    time.sleep(0.01)

    assert client.get(reverse("addressbook:directory")).status_code == 200
    assert client.session["last_activity"] > time.time() - 5


def test_clicks_close_together_write_the_session_once(client, make_account):
    sign_in(client, make_account())
    make_idle(client, 60)
    client.get(reverse("addressbook:directory"))  # moves the idle clock
    moved = client.session["last_activity"]

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("addressbook:directory"))

    assert client.session["last_activity"] == moved
    assert not [q for q in queries if q["sql"].startswith("UPDATE") and "session" in q["sql"]]
    assert moved > time.time() - 5


def test_people_list_their_sessions_and_end_another_one(make_account):
    user = make_account()
    laptop = sign_in(Client(), user, agent="Firefox on the laptop")
    phone = sign_in(Client(), user, agent="Chrome on the phone")

    page = laptop.get(reverse("accounts:sessions"))
    agents = [session.user_agent for session in page.context["sessions"]]
    assert sorted(agents) == ["Chrome on the phone", "Firefox on the laptop"]

    phone_row = next(s for s in page.context["sessions"] if "phone" in s.user_agent)
    laptop.post(reverse("accounts:session-revoke", args=[phone_row.pk]))

    assert phone.get(reverse("addressbook:directory")).status_code == 302
    assert laptop.get(reverse("addressbook:directory")).status_code == 200
    assert AuditLogEntry.objects.filter(action="sessions_revoked", target=user).exists()


def test_nobody_ends_someone_elses_session(make_account):
    owner = sign_in(Client(), make_account())
    intruder = sign_in(Client(), make_account())
    row = owner.get(reverse("accounts:sessions")).context["sessions"][0]

    assert intruder.post(reverse("accounts:session-revoke", args=[row.pk])).status_code == 404
    assert owner.get(reverse("addressbook:directory")).status_code == 200


def test_log_out_everywhere(make_account):
    user = make_account()
    first, second = sign_in(Client(), user), sign_in(Client(), user)

    response = first.post(reverse("accounts:session-revoke-all"))

    assert response.status_code == 302
    for client in (first, second):
        assert client.get(reverse("addressbook:directory")).status_code == 302
