"""Crafted messages (any From, Reply-To, Authentication-Results) delivered to a real INBOX."""

from email.message import EmailMessage

import pytest
from django.core.cache import cache

from mailbox.services import imap, smtp


def use_our_domains(settings) -> str:
    """Our domain, and the authserv-id our (pretend) border MTA writes: mx.<domain>."""
    settings.ORGANISATION_DOMAINS = [settings.MAIL_DOMAIN]
    settings.AUTHSERV_ID = [f"mx.{settings.MAIL_DOMAIN}"]
    return settings.MAIL_DOMAIN


@pytest.fixture
def ours(settings, stack):
    cache.clear()  # names looked up from the directory by an earlier test
    return use_our_domains(settings)


@pytest.fixture
def reader(make_account, client):
    """Marie Martin, signed in with the test client."""
    user = make_account(first_name="Marie", last_name="Martin")
    client.force_login(user)
    return user


def deliver(reader, headers: dict[str, str], html: str = "<p>Bonjour Marie,</p>") -> int:
    """Put a message with these headers in the reader's INBOX through the real
    submission path (Dovecot, relay, LMTP), and return its UID."""
    message = EmailMessage()
    for name, value in headers.items():
        message[name] = value
    message["To"] = reader.mail_address
    if "Subject" not in message:
        message["Subject"] = "Votre dossier"
    message.set_content("Bonjour Marie,")
    message.add_alternative(html, subtype="html")
    smtp.send(reader.mail_account, message.as_bytes(), [reader.mail_address])
    with imap.session_for(reader.mail_account) as session:
        return session.fetch_page("INBOX").messages[0].uid
