"""Phishing warnings on the message page, for crafted messages delivered to the real INBOX."""

import re

from django.urls import reverse

from tests.mailbox import crafted_mail
from tests.mailbox.crafted_mail import deliver

# The fixtures of crafted_mail, used by name in the tests below.
ours = crafted_mail.ours
reader = crafted_mail.reader


def open_page(client, uid) -> str:
    response = client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_dmarc_failure_reported_by_our_server_is_explained(client, reader, ours):
    uid = deliver(
        reader,
        {
            "Authentication-Results": f"mx.{ours}; spf=fail smtp.mailfrom=impots.gouv.fr; "
            "dkim=none; dmarc=fail (p=reject) header.from=impots.gouv.fr",
            "From": "Impots <remboursement@impots.gouv.fr>",
        },
    )

    page = open_page(client, uid)

    assert "This message may not come from its sender" in page
    assert "the check failed (SPF, DMARC)" in page
    assert "External sender" in page


def test_the_same_failure_written_by_another_server_is_ignored(client, reader, ours):
    uid = deliver(
        reader,
        {
            "Authentication-Results": "mx.evil.example; dmarc=fail header.from=asso.example",
            "From": "Asso <contact@asso.example>",
        },
    )

    page = open_page(client, uid)

    assert "may not come from its sender" not in page
    assert "External sender" in page


def test_a_colleagues_name_on_an_outside_address_is_flagged(client, reader, make_account, ours):
    make_account(first_name="Hélène", last_name="N'Diaye")
    make_account(first_name="Paul", last_name="Ancien", is_active=False)
    flagged = deliver(reader, {"From": "HELENE N'DIAYE <helene.ndiaye.perso@gmail.example>"})
    former = deliver(reader, {"From": "Paul Ancien <paul.ancien@gmail.example>"})

    assert "A colleague’s name on an outside address" in open_page(client, flagged)
    assert "helene.ndiaye.perso@gmail.example" in open_page(client, flagged)
    # Someone who left is no longer in the directory.
    assert "colleague’s name" not in open_page(client, former)


def test_a_name_showing_one_of_our_addresses_is_flagged(client, reader, ours):
    uid = deliver(reader, {"From": f'"direction@{ours}" <direction.college@mail.example>'})

    page = open_page(client, uid)

    assert "The sender’s name shows another address" in page
    assert f"written as direction@{ours}, but the message really comes from" in page


def test_a_colleague_writing_from_our_domain_gets_no_warning(client, reader, make_account, ours):
    sophie = make_account(first_name="Sophie", last_name="Leroy")
    uid = deliver(reader, {"From": f"Sophie Leroy <{sophie.mail_address}>"})

    page = open_page(client, uid)

    assert 'class="phishing-warning"' not in page
    assert "External sender" not in page


def test_a_lookalike_domain_and_an_answer_elsewhere_are_flagged(client, reader, ours):
    name, _, ending = ours.rpartition(".")
    lookalike = f"{name[:2]}{name[3:]}.{ending}"  # one letter missing
    uid = deliver(
        reader,
        {"From": f"Service paie <paie@{lookalike}>", "Reply-To": "paie@fastmail.example"},
    )

    page = open_page(client, uid)

    assert "An address imitating ours" in page
    assert f"The sender’s domain, {lookalike}, looks like our own domain {ours}" in page
    assert "Your answer would go to another address" in page
    assert "goes to paie@fastmail.example" in page


def test_a_link_showing_another_site_is_flagged(client, reader, ours):
    uid = deliver(
        reader,
        {"From": "ENT <ent@lycee.example>"},
        html='<p>Connectez-vous : <a href="https://ent-login.evil.example/">ent.lycee.example</a></p>',
    )

    page = open_page(client, uid)

    assert "Links lead elsewhere than they show" in page
    assert (
        "<strong>ent.lycee.example</strong>, opens <strong>ent-login.evil.example</strong>" in page
    )


def test_the_list_marks_mail_from_outside(client, reader, make_account, ours):
    sophie = make_account(first_name="Sophie", last_name="Leroy")
    deliver(reader, {"From": f"Sophie Leroy <{sophie.mail_address}>", "Subject": "Conseil"})
    deliver(reader, {"From": "Club <club@sport.example>", "Subject": "Tournoi"})

    page = client.get(reverse("mailbox:folder-detail", args=["INBOX"])).content.decode()

    rows = {
        subject: row
        for row in re.findall(r"<tr[^>]*data-uid.*?</tr>", page, re.S)
        for subject in ("Conseil", "Tournoi")
        if subject in row
    }
    assert 'class="external-mark"' in rows["Tournoi"]
    assert 'class="external-mark"' not in rows["Conseil"]


def test_a_colleague_is_recognised_behind_many_near_names(
    client, reader, make_account, django_user_model, ours
):
    # The directory finds "anne" in "Marianne" and "roux" in "Rouxel": these come first.
    for number in range(60):
        django_user_model.objects.create_user(
            username=f"marianne.rouxel{number}", first_name="Marianne", last_name="Rouxel"
        )
    make_account(first_name="Anne", last_name="Roux")
    uid = deliver(reader, {"From": "Anne Roux <anne.roux.perso@gmail.example>"})

    page = open_page(client, uid)

    assert "A colleague’s name on an outside address" in page
