"""Write the audit log: every admin, helpdesk and security act, once, never edited."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import AuditLogEntry

Action = AuditLogEntry.Action


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as the web server saw it (a TLS proxy sets REMOTE_ADDR via
    its own configuration; we never trust X-Forwarded-For from the client)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    actor=None,
    target=None,
    request: HttpRequest | None = None,
    ip_address: str | None = None,
    **details,
) -> AuditLogEntry:
    """Append one entry. `actor` defaults to the request's signed-in user.

    Services, which never see the request, pass the client's `ip_address` instead.

    `details` must hold no secret (no password, token or code), only facts.
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditLogEntry.objects.create(
        action=action,
        actor=actor,
        actor_username=getattr(actor, "username", "") or "",
        target=target,
        target_username=getattr(target, "username", "") or "",
        ip_address=client_ip(request) or ip_address,
        details=details,
    )
