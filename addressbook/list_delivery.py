"""Distribution lists as mail-server aliases: who a message to <slug>@listes.<MAIL_DOMAIN>
is delivered to, and who may send one.

The policy: accounts of the mail domain, signed in to send (the webmail, Thunderbird,
a phone; they can only send as their own address), may write to every active list;
mail from the internet reaches a list only if its admin turned on accepts_outside_mail,
so a forged "From: principal@<MAIL_DOMAIN>" from outside cannot reach the staff. A list's
establishment only limits who is offered it in the webmail.

Production Postfix asks PostgreSQL the same two questions with the queries of
deploy/production/postfix/{list-members,list-access}.cf.in; the local stack's relay
(scripts/mail_relay.py) calls delivery_for. Keep the three in step
(tests/addressbook/test_list_alias.py checks them against each other).
"""

from __future__ import annotations

from django.conf import settings

from addressbook.lists import list_domain, members_of
from addressbook.models import DistributionList


class ListRefused(Exception):
    """The mail server's answer to RCPT TO for this list address: code and reply text."""

    def __init__(self, code: int, reply: str) -> None:
        super().__init__(f"{code} {reply}")
        self.code = code
        self.reply = reply


def is_list_address(address: str) -> bool:
    return address.rpartition("@")[2].lower() == list_domain()


def delivery_for(address: str, *, signed_in: bool) -> list[str]:
    """The addresses a message to the list address is delivered to: its active member
    accounts and its other addresses, lower case, each once. signed_in: the sender
    authenticated to the mail server (else the message comes from the internet).
    Raises ListRefused (no such active list, closed to outside mail, no members)."""
    slug = address.rpartition("@")[0].lower()
    found = DistributionList.objects.filter(slug=slug, is_active=True).first()
    if found is None:
        raise ListRefused(550, "5.1.1 No such list")
    if not signed_in and not found.accepts_outside_mail:
        raise ListRefused(550, f"5.7.1 Only {settings.MAIL_DOMAIN} accounts may write to this list")
    addresses = list(dict.fromkeys(member.address.lower() for member in members_of(found)))
    if not addresses:
        raise ListRefused(550, "5.1.1 This list has no members")
    return addresses
