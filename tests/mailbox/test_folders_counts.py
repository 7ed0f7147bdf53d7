"""Unread counts in the folder tree and the quota bar, from the real Dovecot."""

from django.urls import reverse

from mailbox.services.imap import session_for as imap_session
from tests.mail_helpers import send_mail_as
from tests.mailbox.list_helpers import imap_client, raw_message


def unread_in(response, name):
    return next(f.unseen for f in response.context["folders"] if f.name == name)


def test_reading_a_message_lowers_the_unread_count(client, make_account):
    sender = make_account(first_name="Paul", last_name="Girard")
    reader = make_account()
    send_mail_as(sender, [reader.mail_address], "Premier")
    send_mail_as(sender, [reader.mail_address], "Second")
    client.force_login(reader)
    inbox = reverse("mailbox:folder-detail", args=["INBOX"])

    before = client.get(inbox)
    uid = before.context["page"].messages[0].uid
    client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"]))
    after = client.get(inbox)

    assert unread_in(before, "INBOX") == 2
    assert '2<span class="visually-hidden"> unread</span>' in before.content.decode()
    assert unread_in(after, "INBOX") == 1


def test_the_quota_shows_the_configured_limit_and_the_usage(client, make_account):
    sender = make_account(first_name="Paul", last_name="Girard")
    reader = make_account(quota_mb=300)
    client.force_login(reader)
    inbox = reverse("mailbox:folder-detail", args=["INBOX"])

    empty = client.get(inbox).context["quota"]
    send_mail_as(sender, [reader.mail_address], "Pièce jointe", "x" * 200_000)
    response = client.get(inbox)

    quota = response.context["quota"]
    assert empty.used == 0
    assert quota.limit == 300 * 1024 * 1024
    assert quota.used > 200_000
    assert not quota.is_nearly_full
    assert "300.0\xa0MB" in response.content.decode()


def test_a_nearly_full_mailbox_shows_a_warning(client, make_account):
    sender = make_account(first_name="Paul", last_name="Girard")
    reader = make_account(quota_mb=1)
    client.force_login(reader)

    send_mail_as(sender, [reader.mail_address], "Gros", "x" * 960_000)
    response = client.get(reverse("mailbox:folder-detail", args=["INBOX"]))

    assert response.context["quota"].is_nearly_full
    assert "Your mailbox is almost full" in response.content.decode()
    assert "quota-warning" in response.content.decode()


def test_every_folder_of_the_tree_has_its_own_counts(client, make_account):
    """The tree's counts come in one LIST-STATUS: each folder gets its own, whatever its
    name (accents and quotes, digits only), and a parent that holds no mail gets none."""
    reader = make_account()
    with imap_client(reader) as imap:
        for name in ('Élèves "spéciaux"', "2024", "Parent/Enfant"):
            imap.create_folder(name)
        imap.append('Élèves "spéciaux"', raw_message("Un"), flags=[])
        imap.append("2024", raw_message("Deux"), flags=[b"\\Seen"])
        imap.append("2024", raw_message("Trois"), flags=[])
        imap.append("Parent/Enfant", raw_message("Quatre"), flags=[b"\\Seen"])
    client.force_login(reader)

    folders = client.get(reverse("mailbox:folders")).context["folders"]

    counts = {f.name: (f.messages, f.unseen) for f in folders}
    assert counts['Élèves "spéciaux"'] == (1, 1)
    assert counts["2024"] == (2, 1)
    assert counts["Parent/Enfant"] == (1, 0)
    assert counts["Parent"] == (0, 0)
    assert counts["INBOX"] == (0, 0)
    # The same folders, flags and state as asking each folder's STATUS.
    with imap_session(reader.mail_account) as session:
        one_by_one = [session.folder_status(folder) for folder in session.list_folders()]
    assert [(f.name, f.special_use, f.is_selectable) for f in folders] == [
        (f.name, f.special_use, f.is_selectable) for f in one_by_one
    ]
    assert [f.state for f in folders] == [f.state for f in one_by_one]
