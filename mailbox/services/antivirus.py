"""The only module that talks to ClamAV (clamd), through clamav-client."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

from clamav_client.clamd import ClamdError, ClamdNetworkSocket
from django.conf import settings

from webmail.errors import VirusScannerUnavailable

STREAM_CHUNK = 64 * 1024


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
    return scan_file(io.BytesIO(data))


class _LargeChunks:
    """clamav-client sends what read() returns as one INSTREAM chunk; it asks for 1 KB,
    which costs a system call per KB. 64 KB chunks stream a large file far faster."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        return self.stream.read(STREAM_CHUNK)


def scan_file(stream: BinaryIO) -> ScanVerdict:
    """Stream an open file to clamd (INSTREAM) without loading it into memory.

    Raises VirusScannerUnavailable when clamd does not answer or cannot scan the file
    (for instance one longer than its StreamMaxLength).
    """
    try:
        result = _clamd().instream(_LargeChunks(stream))
    except (ClamdError, OSError) as exc:
        raise VirusScannerUnavailable(str(exc)) from exc
    status, signature = result["stream"]
    if status == "FOUND":
        return ScanVerdict(clean=False, signature=signature)
    if status == "OK":
        return ScanVerdict(clean=True)
    raise VirusScannerUnavailable(f"scan error: {signature}")
