"""The time zone on the profile page: Paris unless chosen, the French zones offered
first, an unknown zone refused with a message that says so."""

import re

from django.urls import reverse

from accounts.models import AuditLogEntry
from tests.accounts.provisioning_helpers import admin_change_data, admin_client


def test_a_new_account_reads_dates_in_paris_and_the_french_zones_come_first(
    logged_in_client, account
):
    logged_in_client.cookies["django_language"] = "en"

    page = logged_in_client.get(reverse("accounts:profile")).content.decode()

    assert account.time_zone == "Europe/Paris"
    select = re.search(r'<select name="time_zone".*?</select>', page, re.S).group(0)
    assert 'id="id_time_zone"' in select
    assert re.search(r'<label for="id_time_zone">Time zone', page)
    assert 'aria-describedby="id_time_zone_help"' in select
    assert 'id="id_time_zone_help"' in page
    offered = re.findall(r'<option value="([^"]+)"', select)
    assert offered[:10] == [
        *("Europe/Paris", "America/Guadeloupe", "America/Martinique", "America/Cayenne"),
        *("Indian/Reunion", "Indian/Mayotte", "Pacific/Noumea", "Pacific/Tahiti"),
        *("America/Miquelon", "Pacific/Wallis"),
    ]
    assert "Asia/Tokyo" in offered
    assert re.search(r'<option value="Europe/Paris"[^>]* selected>', select)


def test_choosing_martinique_saves_it_and_the_page_says_so(logged_in_client, account):
    logged_in_client.cookies["django_language"] = "en"

    response = logged_in_client.post(
        reverse("accounts:profile-time-zone"), {"time_zone": "America/Martinique"}, follow=True
    )

    account.refresh_from_db()
    assert account.time_zone == "America/Martinique"
    page = response.content.decode()
    assert "The time zone is saved." in page
    assert re.search(r'<option value="America/Martinique"[^>]* selected>', page)


def test_an_unknown_zone_is_refused_with_a_clear_message(logged_in_client, account):
    logged_in_client.cookies["django_language"] = "en"

    response = logged_in_client.post(
        reverse("accounts:profile-time-zone"), {"time_zone": "Europe/Atlantis"}
    )

    assert response.status_code == 422
    assert (
        "“Europe/Atlantis” is not a time zone we know. Pick one in the list."
        in response.content.decode()
    )
    account.refresh_from_db()
    assert account.time_zone == "Europe/Paris"


def test_the_time_zone_needs_a_post_and_a_login(logged_in_client):
    url = reverse("accounts:profile-time-zone")
    assert logged_in_client.get(url).status_code == 405

    logged_in_client.logout()
    response = logged_in_client.post(url, {"time_zone": "America/Martinique"})

    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_admin_sets_the_zone_of_a_colleague_posted_overseas(make_account):
    browser = admin_client(make_account)
    user = make_account("lea.joseph", first_name="Léa", last_name="Joseph")
    data = admin_change_data(browser, user)
    url = reverse("admin:accounts_user_change", args=[user.pk])

    refused = browser.post(url, data | {"time_zone": "Mars/Base"})
    saved = browser.post(url, data | {"time_zone": "Indian/Reunion"})

    assert "“Mars/Base” is not a time zone we know." in refused.content.decode()
    assert saved.status_code == 302
    user.refresh_from_db()
    assert user.time_zone == "Indian/Reunion"
    entry = AuditLogEntry.objects.get(action="account_updated", target=user)
    assert entry.details["fields"] == ["time_zone"]


def test_a_zone_the_tz_database_no_longer_knows_reads_as_paris(logged_in_client, account):
    # e.g. a name removed from tzdata after it was chosen
    type(account).objects.filter(pk=account.pk).update(time_zone="Europe/Gone")

    page = logged_in_client.get(reverse("accounts:profile"))

    assert page.status_code == 200
    assert re.search(r'<option value="Europe/Paris"[^>]* selected>', page.content.decode())
