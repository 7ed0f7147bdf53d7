"""Mail the app itself sends (recovery links, notices), from SYSTEM_MAIL_USERNAME.

Sending is always a Celery task: queue_system_mail() returns at once, the same time
whether or not the message is useful, and the worker submits it over SMTP as the
system account (through the master user, like any account).
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.mail_account import MailAccount


def system_account() -> MailAccount:
    """The sending account; created active with no usable password on first use."""
    user, created = get_user_model().objects.get_or_create(
        username=settings.SYSTEM_MAIL_USERNAME,
        defaults={"first_name": "Webmail", "last_name": ""},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user.mail_account


def build_system_message(to: str, subject: str, body: str, sender: MailAccount) -> bytes:
    message = EmailMessage()
    message["From"] = f"Webmail <{sender.address}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain=settings.MAIL_DOMAIN)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message.as_bytes()


def queue_system_mail(to: str, subject: str, body: str) -> None:
    """Queue a plain-text message to one address. Raises TaskQueueUnavailable."""
    from webmail.services.tasks_queue import enqueue
    from webmail.tasks import send_system_mail

    enqueue(send_system_mail, to, str(subject), str(body))
