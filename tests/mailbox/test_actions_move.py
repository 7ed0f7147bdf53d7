"""Archive, delete (to Trash), spam / not spam and move, checked over IMAP."""

import pytest
from django.urls import reverse

from tests.mailbox.action_helpers import create_folder, mailbox_with, messages_in, uids_of

SUBJECTS = ["Conseil de classe", "Bulletin du trimestre", "Planning des oraux"]
TWO = ["Conseil de classe", "Bulletin du trimestre"]


@pytest.fixture
def reader(client, make_account):
    user = mailbox_with(make_account, SUBJECTS)
    client.force_login(user)
    return user


def post(client, action, data, folder="INBOX", **kwargs):
    return client.post(reverse(f"mailbox:messages-{action}", args=[folder]), data, **kwargs)


@pytest.mark.parametrize(
    ("action", "target"), [("archive", "Archive"), ("delete", "Trash"), ("spam", "Junk")]
)
def test_two_selected_messages_leave_the_inbox_for_the_special_folder(
    client, reader, action, target
):
    response = post(client, action, {"uids": uids_of(reader, "INBOX", *TWO)})

    assert response.status_code == 302
    assert response["Location"] == reverse("mailbox:folder-detail", args=["INBOX"])
    assert set(messages_in(reader, "INBOX")) == {"Planning des oraux"}
    assert set(messages_in(reader, target)) == set(TWO)


def test_not_spam_brings_messages_back_to_the_inbox(client, reader):
    post(client, "spam", {"uids": uids_of(reader, "INBOX", *TWO)})

    response = post(client, "not-spam", {"uids": uids_of(reader, "Junk", *TWO)}, folder="Junk")

    assert response["Location"] == reverse("mailbox:folder-detail", args=["Junk"])
    assert set(messages_in(reader, "INBOX")) == set(SUBJECTS)
    assert messages_in(reader, "Junk") == {}


def test_move_puts_the_selected_messages_in_the_chosen_folder(client, reader):
    create_folder(reader, "Classes/3e B")

    response = post(
        client, "move", {"uids": uids_of(reader, "INBOX", *TWO), "target": "Classes/3e B"}
    )

    assert response.status_code == 302
    assert set(messages_in(reader, "INBOX")) == {"Planning des oraux"}
    assert set(messages_in(reader, "Classes/3e B")) == set(TWO)


def test_move_to_a_folder_the_user_does_not_have_is_refused(client, reader):
    response = post(client, "move", {"uids": uids_of(reader, "INBOX", *TWO), "target": "Ailleurs"})

    assert response.status_code == 422
    assert "This folder does not exist." in response.content.decode()
    assert set(messages_in(reader, "INBOX")) == set(SUBJECTS)


def test_all_in_folder_archives_every_message(client, reader):
    response = post(client, "archive", {"all_in_folder": "1"})

    assert response.status_code == 302
    assert messages_in(reader, "INBOX") == {}
    assert set(messages_in(reader, "Archive")) == set(SUBJECTS)


def test_archiving_from_the_message_page_goes_back_to_the_list(client, reader):
    [uid] = uids_of(reader, "INBOX", "Planning des oraux")
    page = client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"]))

    response = post(client, "archive", {"uids": [uid], "back_to_message": "1"})

    assert reverse("mailbox:messages-archive", args=["INBOX"]) in page.content.decode()
    assert response["Location"] == reverse("mailbox:folder-detail", args=["INBOX"])
    assert set(messages_in(reader, "Archive")) == {"Planning des oraux"}


def test_an_htmx_move_answers_with_the_rows_left(client, reader):
    uids = uids_of(reader, "INBOX", *TWO)

    response = post(client, "delete", {"uids": uids}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert [m.subject for m in response.context["page"].messages] == ["Planning des oraux"]
