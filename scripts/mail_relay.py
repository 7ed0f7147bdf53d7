"""The local stack's outgoing relay: what Postfix does in production, in 100 lines.

Dovecot's submission service hands every authenticated message to this relay. Recipients
in the mail domain are checked and delivered over LMTP to the private Dovecot (so Sieve
runs and the message lands in the real mailbox); every other recipient is captured as a
file under --capture-dir and never leaves the machine.

    python -m scripts.mail_relay --listen 127.0.0.1:2525 --lmtp 127.0.0.1:2424 \
        --domain example.org --capture-dir var/outgoing
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


class RelayHandler:
    def __init__(self, lmtp: tuple[str, int], domain: str, capture_dir: Path) -> None:
        self.lmtp = lmtp
        self.domain = domain.lower()
        self.capture_dir = capture_dir

    def is_local(self, address: str) -> bool:
        return address.rpartition("@")[2].lower() == self.domain

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address, options
    ):  # noqa: N802
        if self.is_local(address):
            code, reply = await asyncio.to_thread(self._probe_local_recipient, address)
            if code >= 400:
                return f"{code} {reply}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope):  # noqa: N802
        local = [rcpt for rcpt in envelope.rcpt_tos if self.is_local(rcpt)]
        outside = [rcpt for rcpt in envelope.rcpt_tos if not self.is_local(rcpt)]
        data = envelope.original_content or envelope.content
        if local:
            try:
                await asyncio.to_thread(self._deliver_local, envelope.mail_from, local, data)
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

    def _deliver_local(self, mail_from: str, recipients: list[str], data: bytes) -> None:
        # One transaction per recipient: smtplib reads one reply after DATA, while LMTP
        # sends one per recipient.
        with smtplib.LMTP(*self.lmtp, timeout=30) as lmtp:
            for recipient in recipients:
                lmtp.sendmail(mail_from, [recipient], data)

    def _capture(self, mail_from: str, recipients: list[str], data: bytes) -> None:
        self.capture_dir.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        (self.capture_dir / f"{name}.eml").write_bytes(data)
        envelope = {"mail_from": mail_from, "rcpt_to": recipients}
        (self.capture_dir / f"{name}.json").write_text(json.dumps(envelope))
        logger.info("captured outgoing message %s for %s", name, ", ".join(recipients))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listen", required=True, help="host:port to listen on")
    parser.add_argument("--lmtp", required=True, help="host:port of Dovecot's LMTP")
    parser.add_argument("--domain", required=True)
    parser.add_argument("--capture-dir", required=True, type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    host, port = args.listen.rsplit(":", 1)
    lmtp_host, lmtp_port = args.lmtp.rsplit(":", 1)
    handler = RelayHandler((lmtp_host, int(lmtp_port)), args.domain, args.capture_dir)
    controller = Controller(
        handler, hostname=host, port=int(port), data_size_limit=64 * 1024 * 1024, decode_data=False
    )
    controller.start()
    logger.info("relay listening on %s:%s", host, port)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
