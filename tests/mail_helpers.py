"""Deliver test messages through the real submission path (Dovecot -> relay -> LMTP)."""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone

from mailbox.services import smtp


def send_mail_as(sender, recipients: list[str], subject: str, body: str = "Bonjour.") -> bytes:
    message = EmailMessage()
    message["From"] = f"{sender.get_full_name()} <{sender.mail_address}>"
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain=sender.mail_address.split("@")[1])
    message.set_content(body)
    raw = message.as_bytes()
    smtp.send(sender.mail_account, raw, recipients)
    return raw
