"""What a page costs on the IMAP server: the quota bar is read once a minute, not on
every page, yet stays right after the user deletes mail for good or new mail arrives."""

import logging

import pytest
from django.urls import reverse

from mailbox.models import MailPreferences
from mailbox.services import imap
from tests.mail_helpers import send_mail_as
from tests.mailbox.action_helpers import mailbox_with, uids_of

INBOX = reverse("mailbox:folder-detail", args=["INBOX"])
TRASH = reverse("mailbox:folder-detail", args=["Trash"])


@pytest.fixture
def imap_commands(caplog):
    """The IMAP commands sent from here on, as logged by imapclient."""
    caplog.set_level(logging.DEBUG, logger="imapclient")

    def sent(command):
        return sum(
            "> " in r.getMessage() and f" {command} " in r.getMessage() for r in caplog.records
        )

    return sent


def test_the_second_page_does_not_ask_the_server_for_the_quota(client, make_account, imap_commands):
    reader = mailbox_with(make_account, ["Compte rendu"], quota_mb=50)
    client.force_login(reader)

    first = client.get(INBOX)
    asked_first = imap_commands("GETQUOTAROOT")
    second = client.get(TRASH)

    assert asked_first == 1
    assert imap_commands("GETQUOTAROOT") == 1
    assert second.context["quota"] == first.context["quota"]
    assert first.context["quota"].limit == 50 * 1024 * 1024


def test_the_quota_drops_after_deleting_for_good_and_grows_with_new_mail(client, make_account):
    reader = mailbox_with(make_account, [], quota_mb=50)
    send_mail_as(reader, [reader.mail_address], "Pièce lourde", "x" * 300_000)
    client.force_login(reader)
    full = client.get(INBOX).context["quota"]
    uids = uids_of(reader, "INBOX", "Pièce lourde")
    client.post(reverse("mailbox:messages-delete", args=["INBOX"]), {"uids": uids})
    in_trash = client.get(INBOX).context["quota"]

    trash_uids = uids_of(reader, "Trash", "Pièce lourde")
    client.post(reverse("mailbox:messages-delete-for-good", args=["Trash"]), {"uids": trash_uids})
    emptied = client.get(INBOX).context["quota"]
    send_mail_as(reader, [reader.mail_address], "Nouvelle", "y" * 100_000)
    delivered = client.get(INBOX).context["quota"]

    assert full.used > 300_000
    assert in_trash.used == full.used
    assert emptied.used < 50_000
    assert delivered.used > 100_000


def logins(imap_commands):
    return imap_commands("LOGIN")


def test_the_next_request_reuses_the_connection_and_sees_new_mail(
    client, make_account, imap_commands
):
    reader = mailbox_with(make_account, ["Premier"])
    client.force_login(reader)
    first = client.get(INBOX)
    logins_first, selects_first = logins(imap_commands), imap_commands("EXAMINE")
    send_mail_as(reader, [reader.mail_address], "Arrivé entre deux pages")
    second = client.get(INBOX)

    assert logins_first >= 1
    assert logins(imap_commands) == logins_first
    assert selects_first >= 1
    assert imap_commands("EXAMINE") == selects_first  # still selected: not again
    assert [m.subject for m in first.context["page"].messages] == ["Premier"]
    assert [m.subject for m in second.context["page"].messages] == [
        "Arrivé entre deux pages",
        "Premier",
    ]
    assert imap.keeps_connection(reader.mail_account)


def test_a_connection_the_server_dropped_is_replaced_transparently(
    stack, client, make_account, imap_commands
):
    reader = mailbox_with(make_account, ["Avant le redémarrage"])
    client.force_login(reader)
    client.get(INBOX)
    assert imap.keeps_connection(reader.mail_account)
    before = logins(imap_commands)

    stack.stop_service("dovecot")  # drops every open connection
    stack.start_service("dovecot")
    response = client.get(INBOX)

    assert response.status_code == 200
    assert [m.subject for m in response.context["page"].messages] == ["Avant le redémarrage"]
    assert logins(imap_commands) == before + 1


def test_a_deactivated_or_signed_out_account_keeps_no_connection(client, make_account):
    reader = mailbox_with(make_account, ["Confidentiel"])
    other = mailbox_with(make_account, ["Autre"])
    client.force_login(reader)
    client.get(INBOX)
    client.force_login(other)
    client.get(INBOX)
    kept = imap.keeps_connection(reader.mail_account)

    reader.is_active = False
    reader.save()
    client.post(reverse("accounts:logout"))

    assert kept
    assert not imap.keeps_connection(reader.mail_account)
    assert not imap.keeps_connection(other.mail_account)


def test_two_users_never_share_a_connection(client, make_account, imap_commands):
    alice = mailbox_with(make_account, ["Pour Alice"])
    bruno = mailbox_with(make_account, ["Pour Bruno"])
    pages = []
    for user in (alice, bruno, alice, bruno):
        client.force_login(user)
        pages.append([m.subject for m in client.get(INBOX).context["page"].messages])

    assert pages == [["Pour Alice"], ["Pour Bruno"], ["Pour Alice"], ["Pour Bruno"]]
    assert imap.keeps_connection(alice.mail_account)
    assert imap.keeps_connection(bruno.mail_account)


def test_a_message_that_arrived_after_the_list_opens_without_selecting_again(
    client, make_account, imap_commands
):
    reader = mailbox_with(make_account, ["Déjà là"])
    client.force_login(reader)
    client.get(INBOX)
    selects = imap_commands("EXAMINE")
    send_mail_as(reader, [reader.mail_address], "Tout juste arrivé")
    (uid,) = uids_of(reader, "INBOX", "Tout juste arrivé")

    response = client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"]))

    assert response.status_code == 200
    assert "Tout juste arrivé" in response.content.decode()
    assert imap_commands("EXAMINE") == selects


def test_a_folder_page_reads_the_inbox_counts_once_for_the_tree_and_the_quota(
    client, make_account, caplog
):
    reader = mailbox_with(make_account, ["Compte rendu"], quota_mb=50)
    client.force_login(reader)
    caplog.set_level(logging.DEBUG, logger="imapclient")

    response = client.get(TRASH)

    sent = [r.getMessage() for r in caplog.records if "> " in r.getMessage()]
    # One LIST-STATUS gives every folder's counts, the INBOX's too: no STATUS of its own.
    assert [line for line in sent if ' STATUS "' in line] == []
    assert len([line for line in sent if " LIST " in line and "RETURN (" in line]) == 1
    assert response.context["quota"].limit == 50 * 1024 * 1024
    inbox = next(f for f in response.context["folders"] if f.name == "INBOX")
    assert inbox.messages == 1


def test_searches_and_sorted_pages_keep_the_folder_selected_and_see_new_mail(
    client, make_account, imap_commands
):
    reader = mailbox_with(make_account, ["Compte rendu du conseil"])
    preferences = MailPreferences.for_user(reader)
    preferences.sort_key = "subject"
    preferences.save()
    client.force_login(reader)
    search = reverse("mailbox:search", args=["INBOX"])
    htmx = {"HX-Request": "true"}
    client.get(search, {"q": "conseil"}, headers=htmx)
    selects = imap_commands("EXAMINE")
    send_mail_as(reader, [reader.mail_address], "Ordre du jour du conseil")

    found = client.get(search, {"q": "conseil"}, headers=htmx).context["page"].messages
    listed = client.get(INBOX, headers=htmx).context["page"].messages

    assert [m.subject for m in found] == ["Ordre du jour du conseil", "Compte rendu du conseil"]
    assert [m.subject for m in listed] == ["Ordre du jour du conseil", "Compte rendu du conseil"]
    assert imap_commands("EXAMINE") == selects
