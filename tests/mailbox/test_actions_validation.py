"""Bad selections change nothing, and UIDs only ever reach the user's own mailbox."""

import pytest
from django.urls import reverse

from mailbox.forms import MAX_SELECTED_MESSAGES
from tests.mailbox.action_helpers import mailbox_with, messages_in

SUBJECTS = ["Emploi du temps", "Réunion pédagogique"]


@pytest.mark.parametrize(
    ("uids", "error"),
    [
        (["1", "deux"], "“deux” is not a message number."),
        (["1", "-2"], "“-2” is not a message number."),
        (["1:*"], "“1:*” is not a message number."),
        ([str(n) for n in range(1, MAX_SELECTED_MESSAGES + 2)], "Select at most 500 messages"),
        ([], "Select at least one message."),
    ],
)
def test_a_bad_selection_is_refused_with_a_clear_error_and_changes_nothing(
    client, make_account, uids, error
):
    reader = mailbox_with(make_account, SUBJECTS)
    client.force_login(reader)

    flagged = client.post(reverse("mailbox:messages-flag", args=["INBOX"]), {"uids": uids})
    deleted = client.post(reverse("mailbox:messages-delete", args=["INBOX"]), {"uids": uids})

    assert flagged.status_code == deleted.status_code == 422
    assert error in flagged.content.decode()
    assert 'role="alert"' in deleted.content.decode()
    inbox = messages_in(reader, "INBOX")
    assert set(inbox) == set(SUBJECTS)
    assert not any(message.is_flagged for message in inbox.values())


def test_another_users_uid_numbers_only_touch_their_own_mailbox(client, make_account):
    alice = mailbox_with(make_account, ["Alice 1", "Alice 2"])
    bob = mailbox_with(make_account, ["Bob 1", "Bob 2"])
    alice_uids = [m.uid for m in messages_in(alice, "INBOX").values()]
    client.force_login(bob)

    client.post(reverse("mailbox:messages-flag", args=["INBOX"]), {"uids": alice_uids})
    client.post(reverse("mailbox:messages-delete", args=["INBOX"]), {"uids": alice_uids[:1]})

    # Alice's mailbox is untouched; the same numbers in Bob's mailbox are Bob's messages.
    alice_inbox = messages_in(alice, "INBOX")
    assert set(alice_inbox) == {"Alice 1", "Alice 2"}
    assert not any(m.is_flagged for m in alice_inbox.values())
    assert messages_in(alice, "Trash") == {}
    assert len(messages_in(bob, "INBOX")) == 1
    assert len(messages_in(bob, "Trash")) == 1


def test_actions_need_a_signed_in_user_and_a_post(client, make_account):
    reader = mailbox_with(make_account, SUBJECTS)
    url = reverse("mailbox:messages-delete", args=["INBOX"])

    anonymous = client.post(url, {"all_in_folder": "1"})
    client.force_login(reader)
    get = client.get(url, {"all_in_folder": "1"})

    assert anonymous.status_code == 302
    assert reverse("accounts:login") in anonymous["Location"]
    assert get.status_code == 405
    assert set(messages_in(reader, "INBOX")) == set(SUBJECTS)
