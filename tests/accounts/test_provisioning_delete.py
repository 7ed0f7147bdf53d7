"""Deleting an account cuts it off at once; the worker then empties its mailbox and
calendars and deletes the row."""

import caldav
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from imapclient import IMAPClient

from accounts.models import AppPassword, AuditLogEntry
from calendar_app.services import dav
from mailbox.services import imap
from tests.accounts.provisioning_helpers import admin_client, imap_accepts, wait_for, worker_log
from tests.conftest import DEFAULT_TEST_PASSWORD

MESSAGE = b"From: a@example.org\r\nTo: b@example.org\r\nSubject: cours\r\n\r\nBonjour\r\n"


def _fill_mailbox(username: str) -> None:
    with IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False, timeout=30) as client:
        client.login(f"{username}*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD)
        client.append("INBOX", MESSAGE)
        for folder in ("Projets", "Projets/2026"):
            # Under heavy load Dovecot once answered ALREADYEXISTS to the second CREATE:
            # what the test needs is the folder, however it came to exist.
            if not client.folder_exists(folder):
                client.create_folder(folder)
        client.append("Projets/2026", MESSAGE)


ADDRESS_BOOK = """<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:set><D:prop>
    <D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>
    <D:displayname>Contacts</D:displayname>
  </D:prop></D:set>
</D:mkcol>"""


def _radicale_as(username: str) -> caldav.DAVClient:
    """A CardDAV/CalDAV client as the user (through the master user), as a phone would be."""
    return caldav.DAVClient(
        url=settings.CALDAV_URL,
        username=f"{username}*{settings.MAIL_MASTER_USER}",
        password=settings.MAIL_MASTER_PASSWORD,
        timeout=30,
    )


def _home_collections(username: str) -> dict[str, list[str]]:
    """{display name: resource types} of every collection in the user's home."""
    with _radicale_as(username) as client:
        home = client.principal().calendar_home_set
        return {str(name): [str(t) for t in types] for _url, types, name in home.children()}


def _add_address_book(username: str) -> None:
    with _radicale_as(username) as client:
        home = client.principal().calendar_home_set.url
        response = client.mkcol(str(home.join("contacts/")), ADDRESS_BOOK)
        assert response.status in (200, 201), response.status


def test_the_delete_page_says_what_happens(make_account):
    browser = admin_client(make_account)
    user = make_account("leon.faure")

    page = browser.get(reverse("admin:accounts_user_delete", args=[user.pk])).content.decode()

    assert "can no longer sign in to the web, mail (IMAP, SMTP), calendars or address books" in page
    assert "every calendar and every address book (CardDAV contacts)" in page


def test_deleting_removes_mail_calendars_then_the_account(make_account, stack):
    browser = admin_client(make_account)
    user = make_account("emma.garnier")
    AppPassword.objects.create(user=user, name="phone", prefix="abcd1234", password="x")
    _fill_mailbox("emma.garnier")
    with dav.session_for(user.mail_account) as calendars:
        calendars.create_calendar("Cours")
    _add_address_book("emma.garnier")
    created = _home_collections("emma.garnier")
    assert "{urn:ietf:params:xml:ns:carddav}addressbook" in created["Contacts"]
    assert "Cours" in created

    response = browser.post(reverse("admin:accounts_user_delete", args=[user.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not imap_accepts("emma.garnier", DEFAULT_TEST_PASSWORD)  # at once
    assert not AppPassword.objects.filter(user=user).exists()
    entry = AuditLogEntry.objects.get(action="account_deleted", target_username="emma.garnier")
    assert entry.actor == browser.admin_user
    user_model = get_user_model()
    purged = wait_for(lambda: not user_model.objects.filter(username="emma.garnier").exists())
    assert purged, worker_log(stack, "purge_deleted_account")

    # Someone given the same name later finds nothing of the old account.
    newcomer = user_model.objects.create_user("emma.garnier", password=DEFAULT_TEST_PASSWORD)
    with imap.session_for(newcomer.mail_account) as session:
        folders = [folder.name for folder in session.list_folders()]
        assert "Projets" not in folders
        assert "Projets/2026" not in folders
        assert session.fetch_page("INBOX").total == 0
    with dav.session_for(newcomer.mail_account) as calendars:
        assert "Cours" not in [calendar.name for calendar in calendars.list_calendars()]
    assert "Contacts" not in _home_collections("emma.garnier")  # the address book too
    assert "Cours" not in _home_collections("emma.garnier")
