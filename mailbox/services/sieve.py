"""The only module that talks ManageSieve (RFC 5804, through sievelib) to Dovecot.

The web app logs in as the user through the Dovecot master user, as for IMAP. It keeps
one script of its own, SCRIPT_NAME, which it makes the active one. The server checks a
script when it is stored; its error message is handed back as ScriptRejected.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from sievelib.managesieve import Client, Error

from accounts.mail_account import MailAccount
from webmail.errors import FilterServerUnavailable

SCRIPT_NAME = "webmail"


class ScriptRejected(Exception):
    """The server refused a script; server_message is its compile error, as it said it."""

    def __init__(self, server_message: str) -> None:
        super().__init__(server_message)
        self.server_message = server_message


@dataclass(frozen=True)
class ActiveScript:
    name: str | None  # None when no script is active
    text: str


class SieveSession:
    def __init__(self, client: Client) -> None:
        self._client = client

    def list_scripts(self) -> tuple[str | None, list[str]]:
        """(the active script's name or None, every script's name)."""
        with _mapped_errors():
            listing = self._client.listscripts()
        if listing is None:
            raise FilterServerUnavailable("LISTSCRIPTS refused")
        active, others = listing
        return active, ([active] if active else []) + others

    def get_script(self, name: str) -> str:
        with _mapped_errors():
            text = self._client.getscript(name)
        if text is None:
            raise FilterServerUnavailable(f"GETSCRIPT {name} refused")
        return text

    def active_script(self) -> ActiveScript:
        """The script that runs at delivery: its name and text ('' when there is none)."""
        active, _names = self.list_scripts()
        return ActiveScript(active, self.get_script(active) if active else "")

    def put_script(self, text: str, name: str = SCRIPT_NAME) -> None:
        """Store and activate a script; ScriptRejected (the server's error) if it does not
        compile, leaving the script that was there before in place."""
        with _mapped_errors():
            stored = self._client.putscript(name, text)
        if not stored:
            raise ScriptRejected(self._server_message())
        with _mapped_errors():
            activated = self._client.setactive(name)
        if not activated:
            raise ScriptRejected(self._server_message())

    def _server_message(self) -> str:
        message = self._client.errmsg or b""
        return message.decode("utf-8", "replace") if isinstance(message, bytes) else message


@contextmanager
def session_for(account: MailAccount) -> Iterator[SieveSession]:
    """A ManageSieve session as the user, through the master user.

    Raises FilterServerUnavailable when the server does not answer or refuses the login.
    """
    client = Client(settings.SIEVE_HOST, settings.SIEVE_PORT)
    Client.read_timeout = settings.SERVICE_TIMEOUT_SECONDS
    with _mapped_errors(), warnings.catch_warnings():
        # Plain text on purpose: loopback or the internal Docker network, as for IMAP.
        warnings.filterwarnings("ignore", message="Credentials are sent over an unencrypted")
        logged_in = client.connect(
            f"{account.username}*{settings.MAIL_MASTER_USER}",
            settings.MAIL_MASTER_PASSWORD,
            authmech="PLAIN",
        )
    if not logged_in:
        _close(client)
        raise FilterServerUnavailable(f"login refused for {account.username}")
    try:
        yield SieveSession(client)
    finally:
        _close(client)


def _close(client: Client) -> None:
    try:
        client.logout()
    except (Error, OSError):
        pass
    finally:
        if client.sock is not None:
            client.sock.close()


@contextmanager
def _mapped_errors() -> Iterator[None]:
    try:
        yield
    except (Error, OSError) as exc:
        raise FilterServerUnavailable(str(exc)) from exc
