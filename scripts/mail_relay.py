"""The local stack's mail server: what Postfix does in production, in 200 lines.

Dovecot's submission service hands every authenticated message to this relay (--listen).
Recipients in the mail domain are checked and delivered over LMTP to the private Dovecot
(so Sieve runs and the message lands in the real mailbox); every other recipient is
captured as a file under --capture-dir and never leaves the machine.

--mx-listen is the stand-in for port 25, where the internet delivers: only recipients of
the mail domain (and lists) are accepted there.

With --lists, a distribution list address (<slug>@listes.<domain>) is an alias: it is
delivered to the list's members, and refused from outside unless the list accepts
outside mail, as production Postfix does with its pgsql lookups
(addressbook.list_delivery, which needs DJANGO_SETTINGS_MODULE and the app's database).

    python -m scripts.mail_relay --listen 127.0.0.1:2525 --lmtp 127.0.0.1:2424 \
        --domain example.org --capture-dir var/outgoing [--mx-listen 127.0.0.1:2526 --lists]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import smtplib
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

logger = logging.getLogger("mail_relay")


class ListLookup:
    """The list aliases, read from the app's database (addressbook.list_delivery)."""

    def __init__(self) -> None:
        import django

        django.setup()
        from addressbook import list_delivery

        self._delivery = list_delivery

    def is_list(self, address: str) -> bool:
        return self._delivery.is_list_address(address)

    def members(self, address: str, signed_in: bool) -> tuple[int, str, list[str]]:
        """(250, "", members) or the refusal (code, reply, [])."""
        from django.db import DatabaseError, close_old_connections

        close_old_connections()
        try:
            return 250, "", self._delivery.delivery_for(address, signed_in=signed_in)
        except self._delivery.ListRefused as exc:
            return exc.code, exc.reply, []
        except DatabaseError as exc:
            # As Postfix does when its table does not answer: the sender tries again.
            logger.warning("list lookup failed for %s: %s", address, exc)
            return 451, "4.3.0 Lists unavailable, try again later", []


class RelayHandler:
    def __init__(
        self,
        lmtp: tuple[str, int],
        domain: str,
        capture_dir: Path,
        *,
        from_outside: bool = False,
        lists: ListLookup | None = None,
    ) -> None:
        self.lmtp = lmtp
        self.domain = domain.lower()
        self.capture_dir = capture_dir
        self.from_outside = from_outside  # port 25: nobody signed in
        self.lists = lists

    def is_local(self, address: str) -> bool:
        return address.rpartition("@")[2].lower() == self.domain

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address, options
    ):  # noqa: N802
        if self.lists is not None and self.lists.is_list(address):
            code, reply, members = await asyncio.to_thread(
                self.lists.members, address, not self.from_outside
            )
            if code >= 400:
                return f"{code} {reply}"
            _list_members(envelope)[address] = members
            envelope.rcpt_tos.append(address)
            return "250 OK"
        if self.from_outside and not self.is_local(address):
            return "550 5.7.1 Relay access denied"
        if self.is_local(address):
            code, reply = await asyncio.to_thread(self._probe_local_recipient, address)
            if code >= 400:
                return f"{code} {reply}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope):  # noqa: N802
        members = _list_members(envelope)
        recipients = list(
            dict.fromkeys(r for rcpt in envelope.rcpt_tos for r in members.get(rcpt, [rcpt]))
        )
        # A list member whose mailbox is gone is skipped (Postfix would bounce it alone).
        optional = {r for found in members.values() for r in found}
        local = [rcpt for rcpt in recipients if self.is_local(rcpt)]
        outside = [rcpt for rcpt in recipients if not self.is_local(rcpt)]
        data = envelope.original_content or envelope.content
        if local:
            try:
                await asyncio.to_thread(
                    self._deliver_local, envelope.mail_from, local, data, optional
                )
            except (smtplib.SMTPException, OSError) as exc:
                logger.warning("LMTP delivery failed: %s", exc)
                return "451 4.3.0 Local delivery failed, try again later"
        if outside:
            self._capture(envelope.mail_from, outside, data)
        return "250 2.0.0 Message accepted"

    def _probe_local_recipient(self, address: str) -> tuple[int, str]:
        try:
            with smtplib.LMTP(*self.lmtp, timeout=10) as lmtp:
                lmtp.ehlo_or_helo_if_needed()
                lmtp.mail("")
                code, reply = lmtp.rcpt(address)
                lmtp.rset()
        except (smtplib.SMTPException, OSError) as exc:
            logger.warning("LMTP recipient check failed: %s", exc)
            return 451, "4.3.0 Mail server unavailable, try again later"
        return code, reply.decode("utf-8", "replace")

    def _deliver_local(
        self, mail_from: str, recipients: list[str], data: bytes, optional: set[str]
    ) -> None:
        # One transaction per recipient: smtplib reads one reply after DATA, while LMTP
        # sends one per recipient.
        with smtplib.LMTP(*self.lmtp, timeout=30) as lmtp:
            for recipient in recipients:
                try:
                    lmtp.sendmail(mail_from, [recipient], data)
                except smtplib.SMTPRecipientsRefused:
                    if recipient not in optional:
                        raise
                    logger.warning("list member %s refused by LMTP: skipped", recipient)

    def _capture(self, mail_from: str, recipients: list[str], data: bytes) -> None:
        self.capture_dir.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        (self.capture_dir / f"{name}.eml").write_bytes(data)
        envelope = {"mail_from": mail_from, "rcpt_to": recipients}
        (self.capture_dir / f"{name}.json").write_text(json.dumps(envelope))
        logger.info("captured outgoing message %s for %s", name, ", ".join(recipients))


def _list_members(envelope: Envelope) -> dict[str, list[str]]:
    """The members of each list address accepted in this transaction (RCPT → DATA)."""
    if not hasattr(envelope, "list_members"):
        envelope.list_members = {}
    return envelope.list_members


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listen", required=True, help="host:port to listen on")
    parser.add_argument("--lmtp", required=True, help="host:port of Dovecot's LMTP")
    parser.add_argument("--domain", required=True)
    parser.add_argument("--capture-dir", required=True, type=Path)
    parser.add_argument("--mx-listen", help="host:port where mail from outside arrives")
    parser.add_argument("--lists", action="store_true", help="deliver distribution list addresses")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    lmtp_host, lmtp_port = args.lmtp.rsplit(":", 1)
    lists = ListLookup() if args.lists else None

    def handler(from_outside: bool) -> RelayHandler:
        return RelayHandler(
            (lmtp_host, int(lmtp_port)),
            args.domain,
            args.capture_dir,
            from_outside=from_outside,
            lists=lists,
        )

    controllers = [_listen(args.listen, handler(False))]
    if args.mx_listen:
        controllers.append(_listen(args.mx_listen, handler(True)))
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        for controller in controllers:
            controller.stop()


def _listen(address: str, handler: RelayHandler) -> Controller:
    host, port = address.rsplit(":", 1)
    controller = Controller(
        handler, hostname=host, port=int(port), data_size_limit=64 * 1024 * 1024, decode_data=False
    )
    controller.start()
    logger.info("listening on %s:%s (%s)", host, port, "MX" if handler.from_outside else "relay")
    return controller


if __name__ == "__main__":
    main()
