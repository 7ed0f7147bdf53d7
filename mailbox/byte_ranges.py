"""Pure: the one byte range of an HTTP Range header (RFC 9110 §14), to resume downloads."""

import re

_SINGLE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class RangeNotSatisfiable(ValueError):
    pass


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte positions, inclusive, asked by `header` of a `size`-byte file.

    None when there is no usable single range (no header, several ranges, garbage): the
    whole file is then sent. Raises RangeNotSatisfiable for a range past the end (416).
    """
    match = _SINGLE.match(header or "")
    if not match or match.group(1) == match.group(2) == "":
        return None
    first_text, last_text = match.groups()
    if first_text == "":  # "bytes=-500": the last 500 bytes
        length = int(last_text)
        if length == 0:
            raise RangeNotSatisfiable(header)
        return max(size - length, 0), size - 1
    first = int(first_text)
    if first >= size:
        raise RangeNotSatisfiable(header)
    last = int(last_text) if last_text else size - 1
    if last < first:
        return None
    return first, min(last, size - 1)
