"""Is each backend server answering? Used by the status page and the health endpoint."""

import socket
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from calendar_app.services import dav
from mailbox.services import antivirus, imap, smtp
from webmail.errors import FilterServerUnavailable, ServiceUnavailable
from webmail.services import tasks_queue


@dataclass(frozen=True)
class ServiceStatus:
    key: str
    label: Promise
    ok: bool
    message: Promise | str


def check_sieve() -> None:
    """ManageSieve greets first; reading its greeting proves it is up."""
    try:
        with socket.create_connection(
            (settings.SIEVE_HOST, settings.SIEVE_PORT), timeout=settings.SERVICE_TIMEOUT_SECONDS
        ) as conn:
            greeting = conn.recv(4096)
    except OSError as exc:
        raise FilterServerUnavailable(str(exc)) from exc
    if b"OK" not in greeting:
        raise FilterServerUnavailable("no greeting")


CHECKS: list[tuple[str, Promise, Callable[[], object]]] = [
    ("imap", _("Mail server (IMAP)"), imap.check_reachable),
    ("smtp", _("Sending server (SMTP)"), smtp.check_reachable),
    ("sieve", _("Filters server (ManageSieve)"), check_sieve),
    ("caldav", _("Calendar server (CalDAV)"), dav.check_reachable),
    ("redis", _("Task queue (Redis)"), tasks_queue.check_redis),
    ("worker", _("Background workers (Celery)"), tasks_queue.check_workers),
    ("clamav", _("Antivirus (ClamAV)"), antivirus.ping),
]


def check_all() -> list[ServiceStatus]:
    statuses = []
    for key, label, check in CHECKS:
        try:
            check()
        except ServiceUnavailable as exc:
            statuses.append(ServiceStatus(key, label, False, exc.user_message))
        else:
            statuses.append(ServiceStatus(key, label, True, _("Answering")))
    return statuses
