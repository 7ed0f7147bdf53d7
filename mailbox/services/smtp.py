"""The only module that talks SMTP submission (through aiosmtplib).

It authenticates as the user through Dovecot's master user, like the IMAP service.
`send` is synchronous for Celery tasks and management commands; views never call it.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import BinaryIO

import aiosmtplib
from django.conf import settings

from accounts.mail_account import MailAccount
from webmail.errors import SubmissionServerUnavailable


class RecipientsRefused(Exception):
    """The server refused some recipients; `refused` maps each address to its reply."""

    def __init__(self, refused: dict[str, str]) -> None:
        super().__init__(", ".join(refused))
        self.refused = refused


class MessageRefused(Exception):
    """The server refused the message itself for good (5xx: too large, policy)."""

    def __init__(self, code: int, reply: str) -> None:
        super().__init__(f"{code} {reply}")
        self.code = code
        self.reply = reply

    @property
    def too_large(self) -> bool:
        return self.code == 552 or "size" in self.reply.lower()


def send(account: MailAccount, raw_message: bytes, recipients: list[str]) -> None:
    """Submit a message as the user, envelope sender = the user's address.

    Raises SubmissionServerUnavailable (no answer, dropped, temporary failure),
    RecipientsRefused (some addresses were refused: nothing was sent to them) or
    MessageRefused (a permanent refusal of the message, e.g. too large).
    """
    _run(_send(account, raw_message, recipients))


def send_file(account: MailAccount, message: BinaryIO, recipients: list[str]) -> None:
    """Submit a message read from a binary file with CRLF line ends (as composing writes
    them), sent in chunks: never whole in memory. aiosmtplib's sendmail needs the whole
    message as bytes and holds several rewritten copies of it (line ends, the size,
    dot-stuffing), about 5 of 34 MB for a 25 MB attachment. Same envelope and errors
    as send().
    """
    _run(_send(account, message, recipients))


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


async def _send(account: MailAccount, raw_message: bytes | BinaryIO, recipients: list[str]) -> None:
    client = _client()
    try:
        async with client:
            await client.login(
                f"{account.username}*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD
            )
            if isinstance(raw_message, bytes):
                errors, _reply = await client.sendmail(account.address, recipients, raw_message)
            else:
                errors = await _sendmail_file(client, account.address, recipients, raw_message)
    except aiosmtplib.SMTPRecipientsRefused as exc:
        raise RecipientsRefused({r.recipient: r.message for r in exc.recipients}) from exc
    except aiosmtplib.SMTPResponseException as exc:
        if exc.code >= 500 and not isinstance(exc, aiosmtplib.SMTPAuthenticationError):
            raise MessageRefused(exc.code, exc.message) from exc
        raise SubmissionServerUnavailable(str(exc)) from exc
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise SubmissionServerUnavailable(str(exc)) from exc
    if errors:
        raise RecipientsRefused({address: reply.message for address, reply in errors.items()})


DATA_CHUNK_BYTES = 1024 * 1024


async def _sendmail_file(
    client: aiosmtplib.SMTP, sender: str, recipients: list[str], message: BinaryIO
) -> dict[str, aiosmtplib.SMTPResponse]:
    """aiosmtplib's sendmail (MAIL with SIZE, RCPT for each, DATA), the message read in
    chunks and dot-stuffed on the way (RFC 5321 §4.5.2). Returns the refused recipients
    when others were accepted; raises SMTPRecipientsRefused when none was.

    aiosmtplib has no public call that sends a message from a file or in pieces
    (SMTP.data and sendmail take the whole message as str | bytes), so the message body
    goes through its protocol object: the public write() and read_response(), plus two
    private bits marked below. Each wait is bounded by the client's timeout.
    """
    message.seek(0, io.SEEK_END)
    size = message.tell()
    message.seek(0)
    options = [f"size={size}"] if client.supports_extension("size") else []
    await client.mail(sender, options=options)
    refused: dict[str, aiosmtplib.SMTPResponse] = {}
    refusals = []
    for recipient in recipients:
        try:
            await client.rcpt(recipient)
        except aiosmtplib.SMTPRecipientRefused as exc:
            refused[recipient] = aiosmtplib.SMTPResponse(exc.code, exc.message)
            refusals.append(exc)
    if len(refused) == len(recipients):
        raise aiosmtplib.SMTPRecipientsRefused(refusals)
    # The client's execute_command, not the protocol's: it applies the client's timeout.
    start = await client.execute_command(b"DATA")
    if start.code != aiosmtplib.SMTPStatus.start_input:
        raise aiosmtplib.SMTPDataError(start.code, start.message)
    protocol = client.protocol
    ends_line = True
    while chunk := message.read(DATA_CHUNK_BYTES):
        if ends_line and chunk.startswith(b"."):
            chunk = b"." + chunk
        chunk = chunk.replace(b"\n.", b"\n..")
        ends_line = chunk.endswith(b"\n")
        protocol.write(chunk)
        # Private: wait while the socket is full (no copy queues up); a server that
        # stops reading raises TimeoutError (an OSError: the server is unavailable).
        async with asyncio.timeout(client.timeout):
            await protocol._drain_helper()
    # Private, as aiosmtplib's execute_data_command: a reply is expected from here on
    # (a reply arriving while this flag is off would be dropped).
    protocol._response_pending = True
    protocol.write(b".\r\n" if ends_line else b"\r\n.\r\n")
    done = await protocol.read_response(timeout=client.timeout)
    if done.code != aiosmtplib.SMTPStatus.completed:
        raise aiosmtplib.SMTPDataError(done.code, done.message)
    return refused


async def _ehlo_only() -> None:
    client = _client()
    try:
        async with client:
            await client.ehlo()
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise SubmissionServerUnavailable(str(exc)) from exc
