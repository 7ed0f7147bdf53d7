"""Pure: messages and attachments written as mboxrd, zip archives and safe file names.

Everything here works on bytes one message (or one file) at a time, so that a caller
streaming thousands of messages never holds more than one of them. No I/O, no Django.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

# mboxrd (https://www.loc.gov/preservation/digital/formats/fdd/fdd000385.shtml): every
# line that starts with "From ", after any number of ">", gets one more ">" on writing
# and loses one on reading, so that any message survives the round trip byte for byte.
_QUOTED = re.compile(rb"^(>*From )", re.MULTILINE)
_UNQUOTED = re.compile(rb"^>(>*From )", re.MULTILINE)
_FROM_LINE = re.compile(rb"^From ", re.MULTILINE)
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NO_SENDER = "MAILER-DAEMON"


def mboxrd_entry(raw: bytes, sender: str, received: datetime | None) -> bytes:
    """One message of an mboxrd file: its From_ line, the quoted message, one "\\n".

    The message's own line endings (CRLF from IMAP) are kept. Exactly one "\\n" follows
    it, which split_mboxrd() removes again, so a message that does not end with a line
    break comes back unchanged too.
    """
    return from_line(sender, received) + _QUOTED.sub(rb">\1", raw) + b"\n"


def from_line(sender: str, received: datetime | None) -> bytes:
    """'From marie@example.org Mon Nov  3 09:05:00 2026\\n' (asctime, UTC, English names)."""
    if not sender or any(char.isspace() for char in sender) or not sender.isascii():
        sender = _NO_SENDER
    when = (received or datetime(1970, 1, 1, tzinfo=UTC)).astimezone(UTC)
    stamp = (
        f"{_DAYS[when.weekday()]} {_MONTHS[when.month - 1]} {when.day:2d} "
        f"{when:%H:%M:%S} {when.year}"
    )
    return f"From {sender} {stamp}\n".encode("ascii")


def split_mboxrd(data: bytes) -> list[bytes]:
    """The messages of an mboxrd file, unquoted: the inverse of joining mboxrd_entry()."""
    starts = [match.start() for match in _FROM_LINE.finditer(data)]
    messages = []
    for start, end in zip(starts, [*starts[1:], len(data)], strict=True):
        body_start = data.index(b"\n", start) + 1
        body = data[body_start:end]
        if body.endswith(b"\n"):
            body = body[:-1]  # the separator that mboxrd_entry() added
        messages.append(_UNQUOTED.sub(rb"\1", body))
    return messages


# ---- File names ----------------------------------------------------------------------

# Characters that Windows, macOS or a shell would refuse or misread in a file name.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
MAX_NAME_LENGTH = 120


def safe_filename(name: str, fallback: str) -> str:
    """A file name that is only a name: no folders, no control or reserved characters,
    no leading dot, at most MAX_NAME_LENGTH characters with the extension kept.
    """
    cleaned = unicodedata.normalize("NFC", name or "")
    cleaned = _UNSAFE.sub("_", cleaned).strip(" ._")
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        cleaned = fallback
    if len(cleaned) > MAX_NAME_LENGTH:
        stem, dot, extension = cleaned.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            cleaned = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip(" ._") + "." + extension
        else:
            cleaned = cleaned[:MAX_NAME_LENGTH].rstrip(" ._")
    return cleaned


def unique_names(names: Iterable[str]) -> Iterator[str]:
    """The names with a counter added to repeats ('a.pdf', 'a (2).pdf'), compared
    without case since Windows and macOS file systems ignore it."""
    taken: set[str] = set()
    for name in names:
        stem, dot, extension = name.rpartition(".")
        if not dot or not stem:
            stem, dot, extension = name, "", ""
        candidate, counter = name, 1
        while candidate.casefold() in taken:
            counter += 1
            candidate = f"{stem} ({counter}){dot}{extension}"
        taken.add(candidate.casefold())
        yield candidate


def eml_filename(subject: str, uid: int) -> str:
    """'<uid> <subject>.eml', e.g. '42 Conseil de classe.eml'."""
    return safe_filename(f"{uid} {subject}".strip(), str(uid)) + ".eml"


# ---- Zip archives, written as they are read ------------------------------------------


class _Chunks(io.RawIOBase):
    """A write-only, unseekable file: zipfile then writes data descriptors instead of
    seeking back, and each call to take() hands over what was written since the last."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def zip_stream(files: Iterable[tuple[str, bytes, datetime | None]]) -> Iterator[bytes]:
    """A zip archive of (name, content, date) files, as chunks of bytes: one chunk per
    file, then the central directory. Only one file's content is held at a time.

    Names are stored as given (UTF-8 flag set for non-ASCII); pass them through
    safe_filename() and unique_names() first.
    """
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for name, content, modified in files:
            info = zipfile.ZipInfo(name, date_time=_zip_time(modified))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content, compresslevel=6)
            yield sink.take()
    yield sink.take()


def _zip_time(modified: datetime | None) -> tuple[int, int, int, int, int, int]:
    # Zip dates start in 1980 and carry no time zone: the local time as written.
    if modified is None or modified.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (
        modified.year,
        modified.month,
        modified.day,
        modified.hour,
        modified.minute,
        modified.second,
    )
