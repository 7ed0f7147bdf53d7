"""Marks for senders in the message list: mail from outside the organisation."""

from django import template
from django.conf import settings

from mailbox.phishing import domain_of, is_own_domain

register = template.Library()


@register.filter
def is_external_sender(address: str) -> bool:
    """True for an address outside ORGANISATION_DOMAINS (and their subdomains)."""
    domain = domain_of(address or "")
    return bool(domain) and not is_own_domain(domain, settings.ORGANISATION_DOMAINS)
