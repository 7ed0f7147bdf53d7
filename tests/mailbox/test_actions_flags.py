"""Mark read/unread and flag/unflag selected messages, checked over IMAP."""

import pytest
from django.urls import reverse

from tests.mailbox.action_helpers import mailbox_with, messages_in, uids_of

SUBJECTS = ["Réunion parents", "Sortie scolaire", "Cantine"]


@pytest.fixture
def reader(client, make_account):
    user = mailbox_with(make_account, SUBJECTS)
    client.force_login(user)
    return user


def post(client, action, data, folder="INBOX", **kwargs):
    return client.post(reverse(f"mailbox:messages-{action}", args=[folder]), data, **kwargs)


def test_mark_read_then_unread_changes_only_the_two_selected_messages(client, reader):
    selected = uids_of(reader, "INBOX", "Réunion parents", "Sortie scolaire")

    read = post(client, "mark-read", {"uids": selected})
    after_read = messages_in(reader, "INBOX")
    unread = post(client, "mark-unread", {"uids": selected[:1]})
    after_unread = messages_in(reader, "INBOX")

    assert read.status_code == 302
    assert read["Location"] == reverse("mailbox:folder-detail", args=["INBOX"])
    assert after_read["Réunion parents"].is_seen
    assert after_read["Sortie scolaire"].is_seen
    assert not after_read["Cantine"].is_seen
    assert unread.status_code == 302
    assert not after_unread["Réunion parents"].is_seen
    assert after_unread["Sortie scolaire"].is_seen


def test_flag_then_unflag_two_selected_messages(client, reader):
    selected = uids_of(reader, "INBOX", "Réunion parents", "Cantine")

    post(client, "flag", {"uids": selected, "page": 2})
    flagged = {s for s, m in messages_in(reader, "INBOX").items() if m.is_flagged}
    response = post(client, "unflag", {"uids": selected, "page": 2})
    still_flagged = {s for s, m in messages_in(reader, "INBOX").items() if m.is_flagged}

    assert flagged == {"Réunion parents", "Cantine"}
    assert still_flagged == set()
    # Back to the page the user was on.
    assert response["Location"] == reverse("mailbox:folder-detail", args=["INBOX"]) + "?page=2"


def test_all_in_folder_marks_every_message_read(client, reader):
    response = post(client, "mark-read", {"all_in_folder": "1"})

    assert response.status_code == 302
    assert all(message.is_seen for message in messages_in(reader, "INBOX").values())


def test_flagging_on_the_message_page_comes_back_to_the_message(client, reader):
    [uid] = uids_of(reader, "INBOX", "Cantine")
    page = client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"]))

    response = post(client, "flag", {"uids": [uid], "back_to_message": "1"})

    assert reverse("mailbox:messages-flag", args=["INBOX"]) in page.content.decode()
    assert response["Location"] == reverse("mailbox:message-detail", args=[uid, "INBOX"])
    assert messages_in(reader, "INBOX")["Cantine"].is_flagged


def test_an_htmx_action_answers_with_the_updated_rows_and_unread_counts(client, reader):
    selected = uids_of(reader, "INBOX", "Sortie scolaire")

    response = post(client, "mark-read", {"uids": selected}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert b"<html" not in response.content
    names = [template.name for template in response.templates]
    assert "mailbox/partials/message_rows.html" in names
    row = next(m for m in response.context["page"].messages if m.uid == selected[0])
    assert row.is_seen
    # The sidebar's unread counts come along, swapped out of band.
    assert 'id="folder-tree" hx-swap-oob="true"' in response.content.decode()
    inbox = next(f for f in response.context["folders"] if f.name == "INBOX")
    assert inbox.unseen == 2
    page = response.content.decode()
    assert f'data-uid="{selected[0]}"' in page
    # The page links point to the folder, not to the action's URL.
    assert reverse("mailbox:messages-flag", args=["INBOX"]) + "?page" not in page


def test_the_list_has_a_labelled_checkbox_per_message_and_the_toolbar(client, reader):
    response = client.get(reverse("mailbox:folder-detail", args=["INBOX"]))

    page = response.content.decode()
    assert page.count('name="uids"') == 3
    assert "Select “Cantine”" in page
    assert 'name="all_in_folder"' in page
    assert 'id="message-list"' in page
    assert "<caption>" in page
    for action in [
        "mark-read",
        "mark-unread",
        "flag",
        "unflag",
        "archive",
        "spam",
        "delete",
        "move",
    ]:
        assert reverse(f"mailbox:messages-{action}", args=["INBOX"]) in page
