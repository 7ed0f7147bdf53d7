"""Sending iMIP messages by hand, as another calendar program (or a forger) would,
through the real submission path."""

from django.utils import timezone

from calendar_app import itip
from mailbox.composing import new_message_id
from mailbox.services import smtp


def send_imip(sender, recipient, subject: str, ics: bytes, method: str) -> None:
    """Send `ics` from the account `sender` to the account `recipient`."""
    raw = itip.imip_message(
        itip.Mailbox(sender.get_full_name(), sender.mail_address),
        [itip.Mailbox(recipient.get_full_name(), recipient.mail_address)],
        subject,
        "Voir l'invitation.",
        ics,
        method,
        date=timezone.now(),
        message_id=new_message_id(sender.mail_address),
    )
    smtp.send(sender.mail_account, raw, [recipient.mail_address])
