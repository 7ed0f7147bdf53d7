"""In the Trash, delete asks first, then deletes for good (expunge)."""

from django.urls import reverse

from tests.mail_helpers import send_mail_as
from tests.mailbox.action_helpers import mailbox_with, messages_in, uids_of

SUBJECTS = ["Ancien devoir", "Vieille circulaire", "À garder"]


def trash_with_three(client, make_account):
    reader = mailbox_with(make_account, SUBJECTS)
    client.force_login(reader)
    client.post(reverse("mailbox:messages-delete", args=["INBOX"]), {"all_in_folder": "1"})
    return reader


def test_delete_in_the_trash_asks_first_then_deletes_for_good(client, make_account):
    reader = trash_with_three(client, make_account)
    uids = uids_of(reader, "Trash", "Ancien devoir", "Vieille circulaire")

    asked = client.post(reverse("mailbox:messages-delete", args=["Trash"]), {"uids": uids})
    still_there = set(messages_in(reader, "Trash"))
    confirmed = client.post(
        reverse("mailbox:messages-delete-for-good", args=["Trash"]), {"uids": uids}
    )

    assert asked.status_code == 200
    assert "2 messages will be deleted for good" in asked.content.decode()
    assert reverse("mailbox:messages-delete-for-good", args=["Trash"]) in asked.content.decode()
    assert still_there == set(SUBJECTS)
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("mailbox:folder-detail", args=["Trash"])
    assert set(messages_in(reader, "Trash")) == {"À garder"}
    assert messages_in(reader, "INBOX") == {}


def test_emptying_the_whole_trash_spares_what_came_after_the_question(client, make_account):
    reader = trash_with_three(client, make_account)
    asked = client.post(reverse("mailbox:messages-delete", args=["Trash"]), {"all_in_folder": "1"})
    # While the question is on screen, another message is deleted to the Trash.
    send_mail_as(reader, [reader.mail_address], "Arrivé après")
    client.post(reverse("mailbox:messages-delete", args=["INBOX"]), {"all_in_folder": "1"})

    confirmed = client.post(
        reverse("mailbox:messages-delete-for-good", args=["Trash"]),
        {"all_in_folder": "1", "up_to_uid": asked.context["up_to_uid"]},
    )

    assert "3 messages will be deleted for good" in asked.content.decode()
    assert f'name="up_to_uid" value="{asked.context["up_to_uid"]}"' in asked.content.decode()
    assert confirmed.status_code == 302
    assert set(messages_in(reader, "Trash")) == {"Arrivé après"}


def test_delete_for_good_outside_the_trash_is_refused(client, make_account):
    reader = mailbox_with(make_account, SUBJECTS)
    client.force_login(reader)

    response = client.post(
        reverse("mailbox:messages-delete-for-good", args=["INBOX"]), {"all_in_folder": "1"}
    )

    assert response.status_code == 404
    assert set(messages_in(reader, "INBOX")) == set(SUBJECTS)
