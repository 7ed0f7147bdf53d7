"""A distribution list in To reaches every member's INBOX (real Dovecot): the webmail
sends to the list address, which the mail server (the stack's relay) delivers to the
members; see test_list_alias.py for mail from Thunderbird and from outside."""

import pytest

from accounts.models import Establishment
from addressbook.models import DistributionList
from mailbox.models import OutboxItem
from tests.mailbox.compose_helpers import compose_data, send, wait_for_messages, wait_for_outbox


@pytest.fixture(autouse=True)
def no_undo_delay(settings):
    settings.UNDO_SEND_SECONDS = 0


@pytest.fixture
def jean(make_account):
    return make_account(username="jean.dupont", first_name="Jean", last_name="Dupont")


@pytest.fixture
def jean_client(client, jean):
    client.force_login(jean)
    return client


def test_a_message_to_a_list_reaches_each_member(jean_client, jean, make_account):
    helene = make_account(username="helene.lefevre", first_name="Hélène", last_name="Lefèvre")
    paul = make_account(username="paul.roux", first_name="Paul", last_name="Roux")
    gone = make_account(username="luc.parti", first_name="Luc", last_name="Parti", is_active=False)
    team = DistributionList.objects.create(name="Équipe pédagogique", slug="equipe-peda")
    team.members.set([helene, paul, gone, jean])
    data = compose_data(
        jean,
        to='"Équipe pédagogique" <equipe-peda@listes.example.org>',
        subject="Conseil de classe",
    )

    response = send(jean_client, data)

    assert response.status_code == 302
    assert wait_for_outbox(jean, data["draft_key"]).status == "sent"
    for member in (helene, paul, jean):
        ((_uid, _flags, received),) = wait_for_messages(member, "INBOX", 1)
        assert received["Subject"] == "Conseil de classe"
        assert received["To"].addresses[0].addr_spec == "equipe-peda@listes.example.org"
        assert "paul.roux" not in str(received["To"])
    (sent,) = OutboxItem.objects.filter(user=jean)
    assert "equipe-peda@listes.example.org" in str(sent.recipients)


def test_a_list_of_another_establishment_is_refused(jean_client, jean, make_account):
    other = Establishment.objects.create(name="Lycée Curie", uai="0340002B")
    DistributionList.objects.create(name="Équipe Curie", slug="equipe-curie", establishment=other)
    data = compose_data(jean, to="equipe-curie@listes.example.org", subject="x")

    response = send(jean_client, data)

    assert response.status_code == 422
    assert "is not a distribution list you can write to" in response.content.decode()
    assert 'value="x"' in response.content.decode()
    assert not OutboxItem.objects.filter(user=jean).exists()
