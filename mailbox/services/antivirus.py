"""The only module that talks to ClamAV (clamd), through clamav-client."""

from __future__ import annotations

import io
from dataclasses import dataclass

from clamav_client.clamd import ClamdError, ClamdNetworkSocket
from django.conf import settings

from webmail.errors import VirusScannerUnavailable


@dataclass(frozen=True)
class ScanVerdict:
    clean: bool
    signature: str | None = None


def _clamd() -> ClamdNetworkSocket:
    return ClamdNetworkSocket(
        host=settings.CLAMD_HOST, port=settings.CLAMD_PORT, timeout=settings.SERVICE_TIMEOUT_SECONDS
    )


def ping() -> None:
    """Raises VirusScannerUnavailable unless clamd answers PONG."""
    try:
        answer = _clamd().ping()
    except (ClamdError, OSError) as exc:
        raise VirusScannerUnavailable(str(exc)) from exc
    if answer != "PONG":
        raise VirusScannerUnavailable(f"unexpected answer {answer!r}")


def scan_bytes(data: bytes) -> ScanVerdict:
    """Scan a file's content with clamd (INSTREAM). Raises VirusScannerUnavailable."""
    try:
        result = _clamd().instream(io.BytesIO(data))
    except (ClamdError, OSError) as exc:
        raise VirusScannerUnavailable(str(exc)) from exc
    status, signature = result["stream"]
    if status == "FOUND":
        return ScanVerdict(clean=False, signature=signature)
    if status == "OK":
        return ScanVerdict(clean=True)
    raise VirusScannerUnavailable(f"scan error: {signature}")
