"""A distribution list address is an alias of the mail server (here the stack's relay,
which stands for Postfix): mail sent to it from Thunderbird (SMTP submission) or from the
internet (port 25) reaches the members' INBOX in the real Dovecot; the internet may write
only to lists that accept outside mail."""

import smtplib
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.db import connection

from addressbook import list_delivery
from addressbook.models import DistributionList
from tests.accounts.recovery_support import captured_messages
from tests.conftest import DEFAULT_TEST_PASSWORD
from tests.mailbox.compose_helpers import wait_for_messages

POSTFIX_DIR = Path(__file__).resolve().parents[2] / "deploy" / "production" / "postfix"


@pytest.fixture
def team(make_account):
    helene = make_account(username="helene.lefevre", first_name="Hélène", last_name="Lefèvre")
    paul = make_account(username="paul.roux", first_name="Paul", last_name="Roux")
    gone = make_account(username="luc.parti", first_name="Luc", last_name="Parti", is_active=False)
    team = DistributionList.objects.create(
        name="Équipe pédagogique",
        slug="equipe-peda",
        outside_addresses="Parent.Delegue@outside.example\r\n",
    )
    team.members.set([helene, paul, gone])
    return team


def message(sender, subject):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "equipe-peda@listes.example.org", subject
    msg.set_content("Bonjour à toute l'équipe.")
    return msg


def wait_for_subject(stack, recipient, subject, timeout=20):
    """Whether a message with this subject was captured for recipient (the capture
    directory holds the whole run's outside mail)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m["Subject"] for m in captured_messages(stack, recipient)]
        if subject in found:
            return True
        time.sleep(0.3)
    return False


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_thunderbird_sends_to_a_list_and_each_member_receives(stack, team, make_account):
    jean = make_account(username="jean.dupont", first_name="Jean", last_name="Dupont")
    with smtplib.SMTP("127.0.0.1", stack.ports["SMTP_PORT"], timeout=20) as smtp:
        smtp.login(jean.username, DEFAULT_TEST_PASSWORD)
        smtp.send_message(message("jean.dupont@example.org", "Réunion lundi"))

    for member in team.members.filter(is_active=True):
        ((_uid, _flags, received),) = wait_for_messages(member, "INBOX", 1)
        assert received["Subject"] == "Réunion lundi"
        assert received["To"] == "equipe-peda@listes.example.org"
    assert wait_for_subject(stack, "parent.delegue@outside.example", "Réunion lundi")


def test_the_internet_cannot_write_to_a_list_closed_to_outside_mail(stack, team):
    with smtplib.SMTP("127.0.0.1", stack.ports["MX_PORT"], timeout=20) as smtp:
        # A forged sender of our own domain does not help: nobody signed in.
        for sender in ("spam@elsewhere.example", "principal@example.org"):
            with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
                smtp.send_message(message(sender, "Offre exceptionnelle"))
            ((code, reply),) = refused.value.recipients.values()
            assert code == 550
            assert b"Only example.org accounts may write to this list" in reply

    assert wait_for_messages(_user("paul.roux"), "INBOX", 1, timeout=2) == []


def test_the_internet_writes_to_a_list_open_to_outside_mail(stack, team):
    team.accepts_outside_mail = True
    team.save()
    with smtplib.SMTP("127.0.0.1", stack.ports["MX_PORT"], timeout=20) as smtp:
        smtp.send_message(message("mairie@ville.example", "Sortie au musée"))

    for username in ("helene.lefevre", "paul.roux"):
        ((_uid, _flags, received),) = wait_for_messages(_user(username), "INBOX", 1)
        assert received["Subject"] == "Sortie au musée"
    assert "luc.parti@example.org" not in list_delivery.delivery_for(
        "equipe-peda@listes.example.org", signed_in=False
    )


@pytest.mark.parametrize("port", ["SMTP_PORT", "MX_PORT"])
def test_an_unknown_or_inactive_list_is_refused(stack, team, make_account, port):
    jean = make_account(username="jean.dupont", first_name="Jean", last_name="Dupont")
    DistributionList.objects.create(name="Ancienne", slug="ancienne", is_active=False)
    with smtplib.SMTP("127.0.0.1", stack.ports[port], timeout=20) as smtp:
        if port == "SMTP_PORT":
            smtp.login(jean.username, DEFAULT_TEST_PASSWORD)
        for slug in ("inconnue", "ancienne"):
            msg = message("jean.dupont@example.org", "x")
            msg.replace_header("To", f"{slug}@listes.example.org")
            with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
                smtp.send_message(msg)
            ((code, reply),) = refused.value.recipients.values()
            assert code == 550
            assert b"No such list" in reply


def test_postfix_queries_give_what_the_relay_delivers(team, settings):
    """Production Postfix reads the same tables with the SQL of its .cf files."""
    if connection.vendor != "postgresql":
        pytest.skip("Postfix's queries are PostgreSQL; run with DATABASE_URL=postgres://…")
    members = _postfix_query("list-members.cf.in", "equipe-peda", settings.MAIL_DOMAIN)
    access = _postfix_query("list-access.cf.in", "equipe-peda", settings.MAIL_DOMAIN)
    assert sorted(members) == sorted(
        list_delivery.delivery_for("equipe-peda@listes.example.org", signed_in=True)
    )
    assert access == ["550 5.7.1 Only example.org accounts may write to this list"]
    team.accepts_outside_mail = True
    team.save()
    assert _postfix_query("list-access.cf.in", "equipe-peda", settings.MAIL_DOMAIN) == ["OK"]
    assert _postfix_query("list-members.cf.in", "inconnue", settings.MAIL_DOMAIN) == []


def _postfix_query(name, local_part, domain):
    text = (POSTFIX_DIR / name).read_text().replace("@MAIL_DOMAIN@", domain)
    query = text.split("query =", 1)[1].split("\n\n", 1)[0]
    query = " ".join(line.strip() for line in query.splitlines())
    # Postfix quotes %u itself; here a parameter stands for it.
    with connection.cursor() as cursor:
        cursor.execute(query.replace("'%u'", "%s"), [local_part] * query.count("'%u'"))
        return [row[0] for row in cursor.fetchall()]
