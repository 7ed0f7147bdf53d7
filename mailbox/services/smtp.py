"""The only module that talks SMTP submission (through aiosmtplib).

It authenticates as the user through Dovecot's master user, like the IMAP service.
`send` is synchronous for Celery tasks and management commands; views never call it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor

import aiosmtplib
from django.conf import settings

from accounts.mail_account import MailAccount
from webmail.errors import SubmissionServerUnavailable


class RecipientsRefused(Exception):
    """The server refused some recipients; `refused` maps each address to its reply."""

    def __init__(self, refused: dict[str, str]) -> None:
        super().__init__(", ".join(refused))
        self.refused = refused


def send(account: MailAccount, raw_message: bytes, recipients: list[str]) -> None:
    """Submit a message as the user, envelope sender = the user's address.

    Raises SubmissionServerUnavailable (no answer, dropped, temporary failure) or
    RecipientsRefused (some addresses were refused: nothing was sent to them).
    """
    _run(_send(account, raw_message, recipients))


def check_reachable() -> None:
    """Connect and say EHLO. Raises SubmissionServerUnavailable."""
    _run(_ehlo_only())


def _run(coroutine: Coroutine[None, None, None]) -> None:
    """Run the coroutine to completion, even from a thread that already has a running loop
    (an ASGI worker, or Playwright's in the browser tests)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def _client() -> aiosmtplib.SMTP:
    return aiosmtplib.SMTP(
        hostname=settings.SMTP_HOST,
        port=settings.SMTP_PORT,
        start_tls=settings.SMTP_STARTTLS,
        timeout=settings.SERVICE_TIMEOUT_SECONDS,
    )


async def _send(account: MailAccount, raw_message: bytes, recipients: list[str]) -> None:
    client = _client()
    try:
        async with client:
            await client.login(
                f"{account.username}*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD
            )
            errors, _reply = await client.sendmail(account.address, recipients, raw_message)
    except aiosmtplib.SMTPRecipientsRefused as exc:
        raise RecipientsRefused({r.recipient: r.message for r in exc.recipients}) from exc
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise SubmissionServerUnavailable(str(exc)) from exc
    if errors:
        raise RecipientsRefused({address: reply.message for address, reply in errors.items()})


async def _ehlo_only() -> None:
    client = _client()
    try:
        async with client:
            await client.ehlo()
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise SubmissionServerUnavailable(str(exc)) from exc
