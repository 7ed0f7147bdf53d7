"""Sending a message records its recipients: each send counts one more use, a name given
now replaces the old one, and compose's autocomplete offers them first."""

import pytest
from django.urls import reverse

from addressbook.models import CollectedAddress
from tests.mailbox.compose_helpers import compose_data, send, wait_for_outbox


@pytest.fixture(autouse=True)
def no_undo_delay(settings):
    settings.UNDO_SEND_SECONDS = 0


def test_sent_recipients_become_recent_suggestions(client, make_account):
    jean = make_account(username="jean.dupont", first_name="Jean", last_name="Dupont")
    make_account(username="helene.lefevre", first_name="Hélène", last_name="Lefèvre")
    client.force_login(jean)

    for to in ("helene.lefevre@example.org", '"Lène (CDI)" <Helene.Lefevre@example.org>'):
        data = compose_data(jean, to=to, subject="Conseil de classe")
        assert send(client, data).status_code == 302
        assert wait_for_outbox(jean, data["draft_key"]).status == "sent"

    recorded = CollectedAddress.objects.get(user=jean)
    assert (recorded.address, recorded.name, recorded.use_count) == (
        "helene.lefevre@example.org",
        "Lène (CDI)",
        2,
    )
    response = client.get(reverse("addressbook:autocomplete"), {"q": "cdi"})
    assert response.json()["results"] == [
        {"name": "Lène (CDI)", "address": "helene.lefevre@example.org", "source": "recent"}
    ]
