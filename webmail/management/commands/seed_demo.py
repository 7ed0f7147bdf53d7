"""Create the demo accounts and fill their mailboxes through the real mail path.

Colleagues' messages are submitted over SMTP as their sender (Dovecot submission ->
relay -> LMTP); outside senders' messages are delivered over LMTP, as Postfix would.
Running it again changes nothing: accounts are kept, and a message is delivered only to
the recipients whose INBOX lacks its (fixed) Message-ID.
"""

import os
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.helpdesk import helpdesk_group
from mailbox.services import imap, smtp
from webmail.demo_data import STAFF, build_message, demo_messages

DEFAULT_DEMO_PASSWORD = "Demo-Webmail-2026!"  # noqa: S105 - documented in README


class Command(BaseCommand):
    help = "Create the demo accounts and deliver the demo messages (idempotent)."

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
        users = {person.username: self.ensure_account(person, password) for person in STAFF}
        self.deliver_messages(users)
        self.stdout.write(
            f"Demo accounts: {', '.join(users)} (password from DEMO_PASSWORD, "
            f"default {DEFAULT_DEMO_PASSWORD!r})"
        )

    def ensure_account(self, person, password):
        user, created = get_user_model().objects.get_or_create(
            username=person.username,
            defaults={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "is_staff": person.is_staff,
                "is_superuser": person.is_superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save()
        if person.username == "helpdesk":
            user.groups.add(helpdesk_group())
        return user

    def deliver_messages(self, users):
        count = 0
        rows = demo_messages(timezone.now())
        for number, (sender, to, subject, body, html, sent_at) in enumerate(rows):
            message_id = f"<demo-{number}@{settings.MAIL_DOMAIN}>"
            missing = [users[name] for name in to if not has_message(users[name], message_id)]
            if not missing:
                continue
            recipients = [user.mail_address for user in missing]
            if sender in users:
                author = users[sender]
                from_header = f"{author.get_full_name()} <{author.mail_address}>"
                message = build_message(
                    from_header, recipients, subject, body, html, sent_at, message_id
                )
                smtp.send(author.mail_account, message.as_bytes(), recipients)
            else:
                message = build_message(
                    sender, recipients, subject, body, html, sent_at, message_id
                )
                deliver_over_lmtp(message.as_bytes(), sender, recipients)
            count += 1
        self.stdout.write(f"Delivered {count} demo messages.")


def has_message(user, message_id: str) -> bool:
    with imap.session_for(user.mail_account) as session:
        return session.contains_message_id("INBOX", message_id)


def deliver_over_lmtp(raw: bytes, sender: str, recipients: list[str]) -> None:
    """Incoming mail from outside, handed to Dovecot's LMTP as the MTA would."""
    envelope_from = sender.rpartition("<")[2].rstrip(">")
    port = int(os.environ.get("LMTP_PORT", "2424"))
    with smtplib.LMTP(settings.IMAP_HOST, port, timeout=settings.SERVICE_TIMEOUT_SECONDS) as lmtp:
        for recipient in recipients:  # smtplib reads one LMTP reply after DATA
            lmtp.sendmail(envelope_from, [recipient], raw)
