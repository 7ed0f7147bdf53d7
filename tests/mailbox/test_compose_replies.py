"""Reply, reply all and forward start from the real message and thread with it."""

import email
import logging
from email import policy

import pytest
from django.urls import reverse

from mailbox.models import Identity
from mailbox.services import smtp
from tests.mailbox.compose_helpers import (
    compose_data,
    folder_messages,
    send,
    wait_for_messages,
    wait_for_outbox,
)

pytestmark = pytest.mark.usefixtures("no_undo_delay")


def deliver_from_marie(marie, jean):
    """Marie writes to Jean and Paul, with Sophie in copy: in Jean's INBOX as UID 1."""
    raw = (
        "From: Marie Martin <marie.martin@example.org>\r\n"
        "To: Jean Dupont <jean.dupont@example.org>, paul.petit@example.org\r\n"
        "Cc: sophie.leroy@example.org\r\n"
        "Subject: RE: Conseil de classe\r\n"
        "Date: Tue, 03 Mar 2026 09:15:00 +0100\r\n"
        "Message-ID: <conseil-2@example.org>\r\n"
        "References: <conseil-1@example.org>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Le conseil est jeudi.\r\nÀ bientôt\r\n"
    ).encode()
    smtp.send(marie.mail_account, raw, [jean.mail_address])
    wait_for_messages(jean, "INBOX", 1)
    return raw


def initial(response, name):
    return response.context["form"][name].value()


def test_reply_page_addresses_the_sender_with_quote_and_thread(jean_client, jean, marie):
    deliver_from_marie(marie, jean)

    response = jean_client.get(reverse("mailbox:reply", args=[1, "INBOX"]))

    assert response.status_code == 200
    assert initial(response, "to") == "Marie Martin <marie.martin@example.org>"
    assert initial(response, "cc") == ""
    assert initial(response, "subject") == "Re: Conseil de classe"
    assert initial(response, "in_reply_to") == "<conseil-2@example.org>"
    assert initial(response, "references") == "<conseil-1@example.org> <conseil-2@example.org>"
    assert "On March 3, 2026, 9:15 a.m., Marie Martin wrote:" in initial(response, "body")
    assert "Marie Martin wrote:\n> Le conseil est jeudi.\n> À bientôt" in initial(response, "body")
    assert "<blockquote>" in initial(response, "body_html")


def test_reply_all_keeps_everyone_but_the_user(jean_client, jean, marie):
    deliver_from_marie(marie, jean)

    response = jean_client.get(reverse("mailbox:reply-all", args=[1, "INBOX"]))

    assert initial(response, "to") == (
        "Marie Martin <marie.martin@example.org>, paul.petit@example.org"
    )
    assert initial(response, "cc") == "sophie.leroy@example.org"


def test_the_quote_date_is_in_french_for_a_french_user(jean_client, jean, marie, settings):
    settings.LANGUAGE_CODE = "fr"
    deliver_from_marie(marie, jean)

    response = jean_client.get(reverse("mailbox:reply", args=[1, "INBOX"]))

    assert "3 mars 2026 09:15, Marie Martin" in initial(response, "body")


def test_a_sent_reply_threads_and_marks_the_original_answered(jean_client, jean, marie):
    deliver_from_marie(marie, jean)
    page = jean_client.get(reverse("mailbox:reply", args=[1, "INBOX"]))
    data = compose_data(
        jean, **{name: initial(page, name) or "" for name in page.context["form"].fields}
    )
    data["body"] = "Merci, j'y serai." + data["body"]

    send(jean_client, data)

    assert wait_for_outbox(jean, data["draft_key"]).status == "sent"
    ((_uid, _flags, reply),) = wait_for_messages(marie, "INBOX", 1)
    assert reply["In-Reply-To"] == "<conseil-2@example.org>"
    assert reply["References"] == "<conseil-1@example.org> <conseil-2@example.org>"
    assert reply["Subject"] == "Re: Conseil de classe"
    assert reply.get_content().startswith("Merci, j'y serai.")
    ((_uid, flags, _original),) = folder_messages(jean, "INBOX")
    assert "\\Answered" in flags


def test_forward_inline_carries_the_original_text(jean_client, jean, marie):
    deliver_from_marie(marie, jean)

    response = jean_client.get(reverse("mailbox:forward", args=[1, "INBOX"]))

    assert initial(response, "subject") == "Fwd: RE: Conseil de classe"
    assert initial(response, "to") == ""
    body = initial(response, "body")
    assert "-------- Forwarded message --------" in body
    assert "From: Marie Martin <marie.martin@example.org>" in body
    assert "Le conseil est jeudi." in body


def test_forward_as_attachment_sends_the_original_whole(
    jean_client, jean, marie, make_account, caplog
):
    original = deliver_from_marie(marie, jean)
    sophie = make_account(username="sophie.leroy")
    page = jean_client.get(reverse("mailbox:forward-attachment", args=[1, "INBOX"]))
    assert "is attached" in page.content.decode()
    data = compose_data(
        jean, **{name: initial(page, name) or "" for name in page.context["form"].fields}
    )
    data["to"] = "sophie.leroy@example.org"
    caplog.set_level(logging.DEBUG, logger="imapclient")  # the commands sent

    send(jean_client, data)

    # The original is fetched once for both the draft and the message to send.
    commands = [r.getMessage() for r in caplog.records if r.name.startswith("imapclient")]
    assert sum("> " in c and "BODY.PEEK[]" in c for c in commands) == 1
    assert wait_for_outbox(jean, data["draft_key"]).status == "sent"
    ((_uid, _flags, received),) = wait_for_messages(sophie, "INBOX", 1)
    (attached,) = received.iter_attachments()
    assert attached.get_content_type() == "message/rfc822"
    inner = attached.get_content()
    expected = email.message_from_bytes(original, policy=policy.default)
    assert inner["Message-ID"] == expected["Message-ID"]
    assert inner.get_content() == expected.get_content()
    ((_uid, flags, _original),) = folder_messages(jean, "INBOX")
    assert "$Forwarded" in flags


def test_signature_of_the_default_identity_starts_a_new_message(jean_client, jean):
    identity = Identity.for_user(jean)[0]
    identity.signature = "Jean Dupont\nProfesseur de mathématiques"
    identity.save()

    response = jean_client.get(reverse("mailbox:compose"), {"to": "marie.martin@example.org"})

    assert initial(response, "to") == "marie.martin@example.org"
    assert initial(response, "body") == "\n\n-- \nJean Dupont\nProfesseur de mathématiques"
    assert "Professeur de math" in initial(response, "body_html")


def test_identities_offer_only_the_users_own_address(jean_client, jean):
    response = jean_client.post(
        reverse("mailbox:identity-create"),
        {"address": "directeur@example.org", "display_name": "Le directeur", "signature": ""},
    )

    assert response.status_code == 422
    assert list(Identity.objects.filter(user=jean).values_list("address", flat=True)) == []
    response = jean_client.post(
        reverse("mailbox:identity-create"),
        {
            "address": "jean.dupont@example.org",
            "display_name": "J. Dupont (3e B)",
            "signature": "Prof. principal",
            "is_default": "on",
        },
    )
    assert response.status_code == 302
    assert [str(i) for i in Identity.for_user(jean)] == [
        "J. Dupont (3e B) <jean.dupont@example.org>"
    ]


def test_the_message_page_offers_reply_and_forward(jean_client, jean, marie):
    deliver_from_marie(marie, jean)

    page = jean_client.get(reverse("mailbox:message-detail", args=[1, "INBOX"])).content.decode()

    for name in ("reply", "reply-all", "forward", "forward-attachment"):
        assert f'href="{reverse(f"mailbox:{name}", args=[1, "INBOX"])}"' in page


def test_the_identities_page_lists_and_protects_identities(jean_client, jean, marie):
    mine = Identity.for_user(jean)[0]
    theirs = Identity.for_user(marie)[0]

    page = jean_client.get(reverse("mailbox:identities")).content.decode()

    assert "Jean Dupont &lt;jean.dupont@example.org&gt;" in page
    assert jean_client.get(reverse("mailbox:identity-edit", args=[mine.pk])).status_code == 200
    assert jean_client.get(reverse("mailbox:identity-edit", args=[theirs.pk])).status_code == 404
    assert jean_client.post(reverse("mailbox:identity-delete", args=[theirs.pk])).status_code == 404
