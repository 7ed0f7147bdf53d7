"""Setup for the list order tests: messages APPENDed with chosen headers, straight over
IMAP (delivery through SMTP would stamp them all with the same date and sender)."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from django.conf import settings
from imapclient import IMAPClient

BASE_DATE = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


@contextmanager
def imap_client(user):
    with IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False) as client:
        client.login(f"{user.username}*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD)
        yield client


def raw_message(subject, sender="expediteur@example.org", day=0, body="Bonjour.", **headers):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "lecteur@example.org"
    message["Subject"] = subject
    message["Date"] = format_datetime(BASE_DATE + timedelta(days=day))
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def append(user, *raws, folder="INBOX", seen=False):
    with imap_client(user) as client:
        for raw in raws:
            client.append(folder, raw, flags=[b"\\Seen"] if seen else [])


def subjects(response):
    return [message.subject for message in response.context["page"].messages]
