"""Pure: make a file name from a browser safe to store, show and put in a header."""

import re
import unicodedata

MAX_LENGTH = 255
FALLBACK = "file"

# Control characters (CR, LF, NUL, tab...) and the separators of any file system.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")


def clean_filename(name: str) -> str:
    """The last path part of `name`, without control characters, at most 255 characters.

    CR/LF can therefore never start a new MIME header, and "../../etc/passwd" is "passwd".
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE.sub(" ", name)
    name = _SPACES.sub(" ", name).strip(" .")
    if not name:
        return FALLBACK
    if len(name) > MAX_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            name = stem[: MAX_LENGTH - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_LENGTH]
    return name


def human_size(size: int) -> str:
    """1536 -> '1.5 KB'; decimal-free for bytes. Units are international (no translation)."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")
