"""Personal groups: a name and some of the user's contacts, written to one recipient.

A group is a card of its own in the user's CardDAV address book (vcards.GROUP: Apple's
X-ADDRESSBOOKSERVER-KIND/-MEMBER in the stored vCard 3.0, KIND/MEMBER read too), so
phones and Thunderbird show it as a group or list; it is indexed by addressbook.contacts
like any card. In compose it travels as one address, `groupe-<id>@groupes.<MAIL_DOMAIN>`,
which the webmail replaces by the members' addresses when the message is sent
(addressbook.lists.expand): only its owner can use it, and it is not a mail-server alias.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404

from addressbook import contacts, vcards
from addressbook.collected import Suggestion
from addressbook.models import GROUP_SUBDOMAIN, ContactIndex
from addressbook.words import query_words
from mailbox.parsing import Address

LOCAL_PREFIX = "groupe-"


def group_domain() -> str:
    return f"{GROUP_SUBDOMAIN}.{settings.MAIL_DOMAIN}".lower()


def group_address(entry: ContactIndex) -> str:
    return f"{LOCAL_PREFIX}{entry.pk}@{group_domain()}"


def groups_for(user):
    return ContactIndex.objects.filter(user=user, kind=vcards.GROUP)


def get_group_for_user(user, group_id: int) -> ContactIndex:
    """The user's group; 404 for a missing one, someone else's, or a plain contact."""
    try:
        return groups_for(user).get(pk=group_id)
    except ContactIndex.DoesNotExist:
        raise Http404 from None


def member_contacts(user, group: ContactIndex) -> list[ContactIndex]:
    """The contacts of the group found in the user's address book, by name."""
    keys = {key for key in group.member_keys if not key.startswith("mailto:")}
    people = ContactIndex.objects.filter(user=user).exclude(kind=vcards.GROUP)
    return [entry for entry in people if vcards.member_key(entry.uid) in keys]


def members_of(user, group: ContactIndex) -> list[Address]:
    """The addresses a message to the group goes to: each member contact's first e-mail
    address, then the plain addresses (MEMBER:mailto:…) another client may have written.
    Members without an address, or no longer in the address book, are left out."""
    found = [Address(e.display_name, e.primary_email) for e in member_contacts(user, group)]
    found = [address for address in found if address.address]
    found += [Address("", key[7:]) for key in group.member_keys if key.startswith("mailto:")]
    return found


def group_for_address(user, address: str) -> ContactIndex | None:
    """The user's group behind a group address, or None (malformed, missing, not theirs)."""
    local, _at, domain = address.lower().rpartition("@")
    number = local.removeprefix(LOCAL_PREFIX)
    if domain != group_domain() or not local.startswith(LOCAL_PREFIX) or not number.isdigit():
        return None
    return groups_for(user).filter(pk=int(number)).first()


def save_group(
    user,
    name: str,
    chosen: list[ContactIndex],
    group: ContactIndex | None = None,
    etag: str = "",
) -> ContactIndex:
    """Create a group of the chosen contacts, or replace the name and members of `group`,
    which must still be the version `etag` (default: the indexed one). Members the page
    cannot show (plain addresses, cards not indexed yet) are kept.
    Raises CardChangedElsewhere and ContactsServerUnavailable."""
    uris = [f"urn:uuid:{entry.uid}" for entry in chosen if entry.uid]
    if group is not None:
        shown = {vcards.member_key(entry.uid) for entry in member_contacts(user, group)}
        card, _stored = contacts.read_contact(user, group)
        uris += [uri for uri in card.members if vcards.member_key(uri) not in shown]
    card = vcards.Contact(
        uid=group.uid if group is not None else "",
        formatted_name=name,
        family_name=name,
        kind=vcards.GROUP,
        members=tuple(dict.fromkeys(uris)),
    )
    return contacts.save_contact(user, card, group, etag=etag)


def search_groups(user, query: str, limit: int) -> list[Suggestion]:
    """Autocomplete source: the user's groups whose name words start with those typed."""
    prefixes = query_words(query)
    if not prefixes:
        return []
    found = groups_for(user)
    for prefix in prefixes:
        found = found.filter(search_key__contains=" " + prefix)
    return [
        Suggestion(group.display_name, group_address(group), "group")
        for group in found.only("display_name")[:limit]
    ]
