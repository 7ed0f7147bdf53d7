"""Writing and sending through the compose endpoints; reading the result over IMAP."""

import email
import time
from email import policy

from django.urls import reverse

from mailbox.models import Identity, OutboxItem
from mailbox.services import imap
from tests.mailbox.upload_helpers import new_draft_key


def compose_data(user, **fields) -> dict:
    """The POST of a compose form, as the page sends it (plain-text mode)."""
    identity = Identity.for_user(user)[0]
    data = {
        "draft_key": new_draft_key(),
        "identity": identity.pk,
        "to": "",
        "cc": "",
        "bcc": "",
        "subject": "",
        "mode": "text",
        "body": "",
        "body_html": "",
        "message_id": "",
        "in_reply_to": "",
        "references": "",
        "original": "",
    }
    data.update(fields)
    return data


def send(client, data):
    return client.post(reverse("mailbox:send"), data)


def wait_for_outbox(user, draft_key, statuses=("sent", "failed"), filed=True, timeout=60.0):
    """Poll until the worker recorded one of `statuses` (and, for sent, filed the copy)."""
    deadline = time.monotonic() + timeout
    while True:
        item = OutboxItem.objects.filter(user=user, draft_key=draft_key).first()
        if (
            item
            and item.status in statuses
            and (item.status != "sent" or item.filed_in_sent or not filed)
        ):
            return item
        if time.monotonic() > deadline:
            state = item.status if item else "no item"
            raise AssertionError(f"outbox item still {state!r} after {timeout} s")
        time.sleep(0.2)


def folder_messages(user, special_use_or_name):
    """[(uid, flags, parsed EmailMessage)] of a folder ('\\Sent' finds it by special use)."""
    with imap.session_for(user.mail_account) as session:
        name = (
            session.special_folder(special_use_or_name)
            if special_use_or_name.startswith("\\")
            else special_use_or_name
        )
        found = []
        for uid in session.all_uids(name):
            fetched = session.fetch_message(name, uid)
            found.append(
                (uid, fetched.flags, email.message_from_bytes(fetched.raw, policy=policy.default))
            )
    return found


def wait_for_messages(user, folder, count, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        found = folder_messages(user, folder)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.3)
