"""Finding a message by its Message-ID, as snooze and the demo seeding do, against the
real Dovecot: real-world IDs hold tokens longer than the full-text index keeps (20
characters), which SEARCH HEADER, answered from that index, would miss."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mailbox import snoozing
from mailbox.models import SnoozedMessage
from mailbox.services import imap
from tests.mailbox.action_helpers import messages_in, uids_of

# Message-IDs as big senders write them (Gmail, Exchange Online, Amazon SES).
GMAIL_ID = "<CAF8h2k3-9xYqZ+Wp5rT7uVvLmNoPqRsTuVwXyZ0123456789abcdef@mail.gmail.com>"
REAL_IDS = [
    GMAIL_ID,
    "<AM0PR10MB29876543210ABCDEF1234567890@AM0PR10MB2987.EURPRD10.PROD.OUTLOOK.COM>",
    "<0102018c2f3e4a5b-1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d-000000@eu-west-1.amazonses.com>",
]


def raw_message(message_id, subject):
    return (
        f"From: Paul Martin <paul@example.net>\r\nSubject: {subject}\r\n"
        f"Message-ID: {message_id}\r\n\r\nBonjour.\r\n"
    ).encode()


def test_every_real_world_message_id_is_found_and_no_other(make_account):
    owner = make_account()
    with imap.session_for(owner.mail_account) as session:
        for number, message_id in enumerate(REAL_IDS):
            session.append("INBOX", raw_message(message_id, f"Message {number}"), [])

        found = [session.contains_message_id("INBOX", message_id) for message_id in REAL_IDS]
        # A prefix of a real ID is another ID: no substring match.
        other = session.contains_message_id("INBOX", GMAIL_ID[:30] + ">")

    assert found == [True, True, True]
    assert other is False


def test_a_snoozed_message_with_a_long_message_id_comes_back(client, make_account):
    reader = make_account()
    with imap.session_for(reader.mail_account) as session:
        session.append("INBOX", raw_message(GMAIL_ID, "Réunion parents-professeurs"), [])
    client.force_login(reader)
    uids = uids_of(reader, "INBOX", "Réunion parents-professeurs")
    url = reverse("mailbox:messages-snooze", args=["INBOX"])
    assert client.post(url, {"uids": uids, "preset": "tomorrow"}).status_code == 302
    # Due at a time the stack's own beat has not reached yet: only the test wakes it.
    then = timezone.now() + timedelta(minutes=10)
    SnoozedMessage.objects.filter(user=reader).update(until=then)

    woken = snoozing.wake_due(now=then)

    assert woken == 1
    assert set(messages_in(reader, "INBOX")) == {"Réunion parents-professeurs"}
    assert messages_in(reader, "Snoozed") == {}
