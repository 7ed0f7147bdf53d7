"""Always showing a sender's remote images: allow, apply to the next message, refuse for
doubtful messages, list and revoke; messages delivered to the real INBOX."""

import re

import pytest
from django.urls import reverse

from mailbox.models import TrustedImageSender
from tests.mailbox import crafted_mail
from tests.mailbox.crafted_mail import deliver

NEWSLETTER = '<p>Lettre du mois</p><img src="https://images.asso-parents.example/banner.png">'
SENDER = "Association des parents <Lettre@Asso-Parents.example>"

# The fixtures of crafted_mail, used by name in the tests below.
ours = crafted_mail.ours
reader = crafted_mail.reader


def detail(uid):
    return reverse("mailbox:message-detail", args=[uid, "INBOX"])


def trust(client, uid):
    return client.post(reverse("mailbox:message-trust-images", args=[uid, "INBOX"]))


def test_allowing_a_sender_loads_the_images_of_its_next_messages(client, reader, ours):
    first = deliver(reader, {"From": SENDER}, html=NEWSLETTER)
    page = client.get(detail(first))
    assert page.context["remote_blocked"]
    assert "Always show images from lettre@asso-parents.example" in page.content.decode()

    response = trust(client, first)

    assert response.status_code == 302
    assert list(TrustedImageSender.objects.values_list("user", "address")) == [
        (reader.pk, "lettre@asso-parents.example")
    ]
    second = deliver(reader, {"From": SENDER, "Subject": "Lettre de juin"}, html=NEWSLETTER)
    page = client.get(detail(second))
    assert page.context["remote_allowed"]
    (frame_src,) = re.findall(r'<iframe[^>]* src="([^"]+)"', page.content.decode())
    assert "images=1" in frame_src
    assert "because you always allow them from lettre@asso-parents.example" in (
        page.content.decode()
    )
    other = deliver(reader, {"From": "Club <club@sport.example>"}, html=NEWSLETTER)
    assert client.get(detail(other)).context["remote_blocked"]


def test_a_message_that_imitates_our_domain_cannot_be_trusted(client, reader, ours):
    name, _, ending = ours.rpartition(".")
    uid = deliver(reader, {"From": f"Paie <paie@{name}s.{ending}>"}, html=NEWSLETTER)

    page = client.get(detail(uid)).content.decode()
    trust(client, uid)

    assert "Always show images from" not in page
    assert "Images cannot be always allowed for this sender" in page
    assert not TrustedImageSender.objects.exists()


def test_a_trusted_sender_whose_message_is_doubtful_stays_blocked(client, reader, ours):
    TrustedImageSender.objects.create(user=reader, address="lettre@asso-parents.example")
    uid = deliver(
        reader, {"From": SENDER, "Reply-To": "tresorier@fastmail.example"}, html=NEWSLETTER
    )

    page = client.get(detail(uid))

    assert page.context["remote_blocked"]
    assert not page.context["remote_allowed"]
    assert "You allowed images from this sender, but they were not loaded" in (
        page.content.decode()
    )


def test_revoking_a_sender_blocks_its_images_again(client, reader, ours):
    trusted = TrustedImageSender.objects.create(user=reader, address="lettre@asso-parents.example")
    uid = deliver(reader, {"From": SENDER}, html=NEWSLETTER)
    assert client.get(detail(uid)).context["remote_allowed"]

    preferences = client.get(reverse("mailbox:preferences")).content.decode()
    listing = client.get(reverse("mailbox:trusted-senders")).content.decode()
    response = client.post(
        reverse("mailbox:trusted-sender-delete", args=[trusted.pk]), {"next": detail(uid)}
    )

    assert reverse("mailbox:trusted-senders") in preferences
    assert "lettre@asso-parents.example" in listing
    assert response.url == detail(uid)
    assert client.get(detail(uid)).context["remote_blocked"]


def test_nobody_sees_or_revokes_another_readers_senders(client, reader, make_account, stack):
    other = make_account()
    theirs = TrustedImageSender.objects.create(user=other, address="secret@partenaire.example")

    listing = client.get(reverse("mailbox:trusted-senders")).content.decode()
    response = client.post(reverse("mailbox:trusted-sender-delete", args=[theirs.pk]))

    assert "secret@partenaire.example" not in listing
    assert response.status_code == 404
    assert TrustedImageSender.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_allowing_needs_a_signed_in_post(client, method, stack, transactional_db):
    response = getattr(client, method)(reverse("mailbox:message-trust-images", args=[1, "INBOX"]))

    assert response.status_code in (302, 405)
    assert not TrustedImageSender.objects.exists()


def test_revoking_from_the_list_says_so(client, reader, stack):
    trusted = TrustedImageSender.objects.create(user=reader, address="lettre@asso-parents.example")

    response = client.post(
        reverse("mailbox:trusted-sender-delete", args=[trusted.pk]),
        {"next": "https://evil.example/"},  # not ours: ignored
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("mailbox:trusted-senders")
    assert "Images from lettre@asso-parents.example will be blocked again." in (
        response.content.decode()
    )
    assert not TrustedImageSender.objects.exists()
