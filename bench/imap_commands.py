"""The IMAP commands one request sends, for the benchmarks' tables (imapclient logs each
command as "> b'TAG NAME ...'")."""

from __future__ import annotations

import logging
import re


def command_log():
    """A function running one request and telling the IMAP commands it sent; logging is
    off outside it (it costs CPU in the timed runs)."""
    sent: list[str] = []

    class Commands(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            found = re.match(r"> b'\w+ ((?:UID )?[A-Z]+)", record.getMessage())
            if found:
                sent.append(found.group(1))

    logger = logging.getLogger("imapclient")
    logger.addHandler(Commands())
    logger.propagate = False

    def commands(action, before=None) -> str:
        if before:
            before()
        sent.clear()
        logger.setLevel(logging.DEBUG)
        action()
        logger.setLevel(logging.WARNING)
        return " ".join(sent)

    return commands
