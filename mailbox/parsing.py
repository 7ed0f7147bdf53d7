"""Pure helpers: raw header bytes from the server -> text for people. No I/O, no Django."""

from email.header import decode_header, make_header


def decode_header_text(raw: bytes | str | None) -> str:
    """Decode an RFC 2047 header value ('=?utf-8?q?R=C3=A9union?=' -> 'Réunion').

    Undeclared 8-bit bytes are read as UTF-8, then Latin-1; a broken encoded word is
    shown as it stands rather than raising.
    """
    if raw is None:
        return ""
    text = _bytes_to_text(raw) if isinstance(raw, bytes) else raw
    try:
        return str(make_header(decode_header(text))).strip()
    except (LookupError, UnicodeError, ValueError):
        return text.strip()


def _bytes_to_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
