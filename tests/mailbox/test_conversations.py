"""Conversation view: one row per conversation (UID THREAD REFERENCES on Dovecot)."""

import re

import pytest
from django.urls import reverse

from mailbox.models import Label, MailPreferences
from mailbox.services import imap, sort_cache
from tests.mailbox.action_helpers import create_folder, messages_in
from tests.mailbox.list_helpers import append, imap_client, raw_message, subjects

THREAD_ID = "<sortie-1@example.org>"
THREADS = "threads:arrival:desc"  # the cache entry of conversations, newest first


@pytest.fixture
def threaded_inbox(make_account):
    """UIDs 1-5: a three-message conversation (1, 3, 5) with its first message unread,
    and two single messages (2, 4)."""
    owner = make_account()
    append(owner, raw_message("Sortie scolaire", day=1, Message_ID=THREAD_ID))
    append(owner, raw_message("Réunion parents", day=2), seen=True)
    reply = raw_message(
        "Re: Sortie scolaire",
        sender="Marie <marie.martin@example.org>",
        day=3,
        Message_ID="<sortie-2@example.org>",
        In_Reply_To=THREAD_ID,
        References=THREAD_ID,
    )
    append(owner, reply, seen=True)
    append(owner, raw_message("Cantine", day=4), seen=True)
    last = raw_message(
        "Re: Re: Sortie scolaire",
        day=5,
        Message_ID="<sortie-3@example.org>",
        In_Reply_To="<sortie-2@example.org>",
        References=f"{THREAD_ID} <sortie-2@example.org>",
    )
    append(owner, last, seen=True)
    MailPreferences.objects.create(user=owner, conversations=True)
    return owner


def test_replies_make_one_row_with_the_latest_message(client, threaded_inbox):
    client.force_login(threaded_inbox)

    response = client.get(reverse("mailbox:folder-detail", args=["INBOX"]))

    page = response.context["page"]
    assert subjects(response) == ["Re: Re: Sortie scolaire", "Cantine", "Réunion parents"]
    assert [row.message_count for row in page.messages] == [3, 1, 1]
    assert page.conversation_total == 3
    assert page.total == 5  # "all N messages in this folder" still counts messages


def test_a_conversation_is_unread_while_any_of_its_messages_is(client, threaded_inbox):
    client.force_login(threaded_inbox)

    response = client.get(reverse("mailbox:folder-detail", args=["INBOX"]))

    rows = response.context["page"].messages
    assert [row.is_seen for row in rows] == [False, True, True]
    assert '<tr class="unread' in response.content.decode()


def test_opening_a_conversation_lists_its_messages_oldest_first(client, threaded_inbox):
    client.force_login(threaded_inbox)
    rows = client.get(reverse("mailbox:folder-detail", args=["INBOX"])).content.decode()
    url = reverse("mailbox:conversation-detail", args=[5, "INBOX"])
    assert url in rows

    response = client.get(url)

    assert response.status_code == 200
    assert [m.uid for m in response.context["messages"]] == [1, 3, 5]
    assert reverse("mailbox:message-detail", args=[3, "INBOX"]) in response.content.decode()


def test_a_new_reply_joins_its_conversation(client, threaded_inbox):
    client.force_login(threaded_inbox)
    client.get(reverse("mailbox:folder-detail", args=["INBOX"]))  # cached

    append(
        threaded_inbox,
        raw_message("Re: Cantine", day=6, In_Reply_To="<x@y>", References="<x@y>"),
        raw_message("Re: Sortie scolaire", day=7, References=THREAD_ID),
    )
    response = client.get(reverse("mailbox:folder-detail", args=["INBOX"]))

    rows = response.context["page"].messages
    assert [(row.subject, row.message_count) for row in rows][0] == ("Re: Sortie scolaire", 4)


def test_an_unknown_conversation_or_folder_is_a_404(client, threaded_inbox):
    client.force_login(threaded_inbox)

    assert client.get(reverse("mailbox:conversation-detail", args=[99, "INBOX"])).status_code == 404
    missing = reverse("mailbox:conversation-detail", args=[1, "Nulle part"])
    assert client.get(missing).status_code == 404


def test_reading_the_unread_message_marks_its_conversation_read(client, threaded_inbox):
    client.force_login(threaded_inbox)
    url = reverse("mailbox:folder-detail", args=["INBOX"])
    client.get(url)  # conversations cached for this state of the folder
    cached_before = sort_cache.read_all(threaded_inbox.mail_account, "INBOX", THREADS)

    with imap_client(threaded_inbox) as connection:
        connection.select_folder("INBOX")
        connection.add_flags([1], [b"\\Seen"])
    response = client.get(url)

    assert [row.is_seen for row in response.context["page"].messages] == [True, True, True]
    # A flag change does not regroup: the same cached conversations serve the page.
    assert sort_cache.read_all(threaded_inbox.mail_account, "INBOX", THREADS) == cached_before


def test_messages_marked_unread_elsewhere_show_at_the_next_page(
    client, threaded_inbox, monkeypatch
):
    monkeypatch.setattr(imap, "UID_SEARCH_BATCH", 2)  # the page's UIDs in three SEARCHes
    client.force_login(threaded_inbox)
    url = reverse("mailbox:folder-detail", args=["INBOX"])
    client.get(url)  # conversations cached for this state of the folder

    with imap_client(threaded_inbox) as connection:
        connection.select_folder("INBOX")
        connection.add_flags([1], [b"\\Seen"])
        connection.remove_flags([3, 5, 4], [b"\\Seen"])
    rows = client.get(url).context["page"].messages

    assert [(row.subject, row.unseen_count) for row in rows] == [
        ("Re: Re: Sortie scolaire", 2),
        ("Cantine", 1),
        ("Réunion parents", 0),
    ]
    assert [row.is_seen for row in rows] == [False, False, True]


def conversation_box(client, subject):
    """The value the list's checkbox for the conversation shown as subject posts."""
    content = client.get(reverse("mailbox:folder-detail", args=["INBOX"])).content.decode()
    label = f"Select the conversation “{subject}” (3 messages)"
    box_id = re.search(rf'for="([^"]+)">{re.escape(label)}</label>', content).group(1)
    return re.search(rf'value="([^"]*)" id="{box_id}"', content).group(1)


def post_action(client, action, data):
    return client.post(reverse(f"mailbox:messages-{action}", args=["INBOX"]), data)


def test_ticking_a_conversation_selects_all_its_messages(client, threaded_inbox):
    client.force_login(threaded_inbox)

    assert conversation_box(client, "Re: Re: Sortie scolaire") == "1,3,5"


@pytest.mark.parametrize(
    ("action", "target"), [("archive", "Archive"), ("delete", "Trash"), ("spam", "Junk")]
)
def test_a_ticked_conversation_leaves_the_inbox_whole(client, threaded_inbox, action, target):
    client.force_login(threaded_inbox)
    box = conversation_box(client, "Re: Re: Sortie scolaire")

    response = post_action(client, action, {"uids": [box]})

    assert response.status_code == 302
    assert set(messages_in(threaded_inbox, "INBOX")) == {"Réunion parents", "Cantine"}
    assert sorted(messages_in(threaded_inbox, target)) == [
        "Re: Re: Sortie scolaire",
        "Re: Sortie scolaire",
        "Sortie scolaire",
    ]
    rows = client.get(reverse("mailbox:folder-detail", args=["INBOX"])).context["page"].messages
    assert [row.subject for row in rows] == ["Cantine", "Réunion parents"]


def test_a_ticked_conversation_moves_whole_to_the_chosen_folder(client, threaded_inbox):
    create_folder(threaded_inbox, "Sorties")
    client.force_login(threaded_inbox)
    box = conversation_box(client, "Re: Re: Sortie scolaire")

    post_action(client, "move", {"uids": [box], "target": "Sorties"})

    assert len(messages_in(threaded_inbox, "Sorties")) == 3
    assert set(messages_in(threaded_inbox, "INBOX")) == {"Réunion parents", "Cantine"}


def test_flags_and_read_marks_apply_to_every_message_of_the_conversation(client, threaded_inbox):
    client.force_login(threaded_inbox)
    box = conversation_box(client, "Re: Re: Sortie scolaire")

    post_action(client, "flag", {"uids": [box]})
    post_action(client, "mark-read", {"uids": [box]})

    inbox = messages_in(threaded_inbox, "INBOX")
    conversation = [inbox[s] for s in inbox if "Sortie" in s]
    assert [(m.is_flagged, m.is_seen) for m in conversation] == [(True, True)] * 3
    assert not inbox["Cantine"].is_flagged
    rows = client.get(reverse("mailbox:folder-detail", args=["INBOX"])).context["page"].messages
    assert rows[0].is_seen  # the first message, unread until now, was marked too


def test_a_label_applies_to_every_message_of_the_conversation(client, threaded_inbox):
    client.force_login(threaded_inbox)
    client.post(reverse("mailbox:label-create"), {"name": "Sorties", "colour": "green"})
    label = Label.objects.get(user=threaded_inbox, name="Sorties")
    box = conversation_box(client, "Re: Re: Sortie scolaire")

    post_action(client, "label", {"uids": [box], "label": label.pk})

    with imap_client(threaded_inbox) as connection:
        connection.select_folder("INBOX", readonly=True)
        labelled = connection.search(["KEYWORD", label.keyword])
    assert sorted(labelled) == [1, 3, 5]


def test_a_forged_conversation_value_is_refused_and_changes_nothing(client, threaded_inbox):
    client.force_login(threaded_inbox)

    response = post_action(client, "delete", {"uids": ["1,3,x"]})

    assert response.status_code == 422
    assert "“x” is not a message number." in response.content.decode()
    assert len(messages_in(threaded_inbox, "INBOX")) == 5
