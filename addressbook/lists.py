"""Distribution lists and personal groups in compose: offered while typing, checked (and
groups expanded) when the message is sent.

A list travels through the compose form as one address, `<slug>@listes.<MAIL_DOMAIN>`
(LIST_SUBDOMAIN), and is sent as such: that address is an alias of the mail server,
which delivers the message to the list's members (addressbook.list_delivery), so that
mail sent from Thunderbird or from outside reaches them too. The webmail only checks that
the person may use the list. A personal group (addressbook.groups) is no alias: it is
replaced here by its members' addresses.
"""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from addressbook import groups
from addressbook.models import LIST_SUBDOMAIN, DistributionList
from addressbook.words import query_words
from mailbox.composing import Draft
from mailbox.parsing import Address


class ListNotUsable(ValueError):
    """A message that cannot go out as addressed; user_message says why."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class UnknownList(ListNotUsable):
    """A list address that names no list this person may write to."""

    def __init__(self, address: str) -> None:
        super().__init__(
            _("“%(address)s” is not a distribution list you can write to.") % {"address": address}
        )
        self.address = address


class UnknownGroup(ListNotUsable):
    """A group address that names none of this person's groups (deleted meanwhile)."""

    def __init__(self, address: str) -> None:
        super().__init__(
            _("“%(address)s” is not one of your groups (was it deleted?).") % {"address": address}
        )
        self.address = address


class EmptyGroup(ListNotUsable):
    def __init__(self, name: str) -> None:
        super().__init__(
            _("The group “%(name)s” has no member with an e-mail address.") % {"name": name}
        )


def list_domain() -> str:
    return f"{LIST_SUBDOMAIN}.{settings.MAIL_DOMAIN}".lower()


def list_address(distribution_list: DistributionList) -> str:
    return f"{distribution_list.slug}@{list_domain()}"


def lists_for(user) -> QuerySet:
    """The active lists this person may see and write to: those of no establishment and
    those of their own."""
    visible = Q(establishment__isnull=True)
    if user.establishment_id:
        visible |= Q(establishment_id=user.establishment_id)
    return DistributionList.objects.filter(visible, is_active=True)


def search_lists(user, query: str, limit: int = 10) -> list[DistributionList]:
    found = lists_for(user)
    prefixes = query_words(query)
    if not prefixes:
        return []
    for prefix in prefixes:
        found = found.filter(search_key__contains=" " + prefix)
    return list(found[:limit])


def members_of(distribution_list: DistributionList) -> list[Address]:
    """Active member accounts, then the outside addresses."""
    people = distribution_list.members.filter(is_active=True).order_by("last_name", "first_name")
    found = [Address(person.get_full_name(), person.mail_address) for person in people]
    found += [Address("", address) for address in distribution_list.outside_address_list()]
    return found


def expand(user, addresses: list[Address]) -> list[Address]:
    """addresses with each of the user's group addresses replaced by the group's members,
    duplicates dropped; list addresses stay (see the module's docstring). Raises
    UnknownList for a list address this person may not use, UnknownGroup and EmptyGroup."""
    domain = list_domain()
    slugs = [a.address.rsplit("@", 1)[0] for a in addresses if _domain(a.address) == domain]
    lists = {dl.slug: dl for dl in lists_for(user).filter(slug__in=slugs)}
    expanded: list[Address] = []
    seen: set[str] = set()
    for address in addresses:
        if _domain(address.address) == domain:
            if address.address.rsplit("@", 1)[0].lower() not in lists:
                raise UnknownList(address.address)
            members = [address]  # the mail server delivers it to the members
        elif _domain(address.address) == groups.group_domain():
            members = _group_members(user, address.address)
        else:
            members = [address]
        for member in members:
            if member.address.lower() not in seen:
                seen.add(member.address.lower())
                expanded.append(member)
    return expanded


def expand_draft(user, draft: Draft, max_recipients: int) -> Draft:
    """The draft as it is sent: groups in To, Cc and Bcc replaced by their members, lists
    checked."""
    expanded = replace(
        draft,
        to=expand(user, draft.to),
        cc=expand(user, draft.cc),
        bcc=expand(user, draft.bcc),
    )
    if len(expanded.recipients) > max_recipients:
        raise ListNotUsable(
            _("With its groups expanded, this message would go to more than %(max)s people.")
            % {"max": max_recipients}
        )
    return expanded


def _group_members(user, address: str) -> list[Address]:
    group = groups.group_for_address(user, address)
    if group is None:
        raise UnknownGroup(address)
    members = groups.members_of(user, group)
    if not members:
        raise EmptyGroup(group.display_name)
    return members


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].lower()
