"""A big message as the message page needs it: every part's headers, the text, and not
the bytes of its big attachments.

Opening a message with a 5 MB attachment used to FETCH the whole message and parse
the 5 MB with the standard library's MIME parser, a line at a time (about 200 ms of
CPU), only to show the attachment's name and size. From the message's BODYSTRUCTURE,
`plan()` lists the sections to FETCH instead (the header, each part's MIME header, the
bodies of all but the big attachments), and `assemble()` puts them back into a message
of the same MIME tree, the big bodies left empty; their sizes come from the
BODYSTRUCTURE. Downloads, "show original" and exports still FETCH the whole message.
Pure functions: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

# Parts above this size that are not text to show are left out.
OMIT_PARTS_ABOVE = 256 * 1024
# What the page shows or reads itself, whatever its size.
_ALWAYS_KEPT = {("text", "plain"), ("text", "html"), ("text", "calendar")}


@dataclass(frozen=True)
class Node:
    path: str  # the IMAP section number: "1", "2.1"
    children: tuple[Node, ...] = ()  # a multipart's parts; () for a leaf
    boundary: bytes = b""  # a multipart's
    size: int = 0  # a leaf's size in octets, as stored (encoded)
    kept: bool = True  # a leaf whose body is fetched
    base64: bool = False

    @property
    def decoded_size(self) -> int:
        """About the size of the content: base64 takes 78 octets a line for 57."""
        return self.size * 57 // 78 if self.base64 else self.size

    @property
    def is_multipart(self) -> bool:
        return bool(self.boundary)


def plan(structure) -> Node | None:
    """The tree of a multipart message's BODYSTRUCTURE (imapclient's BodyData), or None
    when the message is not multipart or its structure is not one this module knows
    (the caller then fetches it whole)."""
    if not getattr(structure, "is_multipart", False):
        return None
    try:
        return _multipart(structure, "")
    except (IndexError, TypeError, ValueError):
        return None


def sections(root: Node) -> list[str]:
    """The FETCH items (BODY.PEEK[...]) that assemble() needs."""
    items = ["BODY.PEEK[HEADER]"]
    for node in _descendants(root):
        items.append(f"BODY.PEEK[{node.path}.MIME]")
        if not node.is_multipart and node.kept:
            items.append(f"BODY.PEEK[{node.path}]")
    return items


def assemble(root: Node, fetched: dict[bytes, bytes]) -> bytes:
    """The message rebuilt from the FETCH answer of sections(root): same MIME tree,
    omitted bodies empty. Raises KeyError if the answer lacks a section."""
    return _section(fetched, "HEADER") + _body(root, fetched)


def omitted_sizes(root: Node) -> dict[str, int]:
    """{section number: size of the content} of the leaves whose bodies were left out."""
    return {
        node.path: node.decoded_size
        for node in _descendants(root)
        if not node.is_multipart and not node.kept
    }


def _multipart(structure, path: str) -> Node:
    parts, _subtype = structure[0], structure[1]
    params = structure[2] if len(structure) > 2 and structure[2] else ()
    boundary = _param(params, b"BOUNDARY")
    if not boundary:
        raise ValueError("multipart without a boundary")
    children = []
    for number, part in enumerate(parts, start=1):
        child_path = f"{path}.{number}" if path else str(number)
        if getattr(part, "is_multipart", False):
            children.append(_multipart(part, child_path))
        else:
            children.append(_leaf(part, child_path))
    return Node(path=path, children=tuple(children), boundary=boundary)


def _leaf(part, path: str) -> Node:
    kind = (_lower(part[0]), _lower(part[1]))
    size = int(part[6] or 0)
    kept = kind in _ALWAYS_KEPT or size <= OMIT_PARTS_ABOVE
    return Node(path=path, size=size, kept=kept, base64=_lower(part[5] or b"") == "base64")


def _descendants(node: Node):
    for child in node.children:
        yield child
        yield from _descendants(child)


def _body(node: Node, fetched: dict[bytes, bytes]) -> bytes:
    if not node.is_multipart:
        return _section(fetched, node.path) if node.kept else b""
    pieces = []
    for child in node.children:
        pieces.append(b"--" + node.boundary + b"\r\n")
        pieces.append(_section(fetched, f"{child.path}.MIME"))
        pieces.append(_body(child, fetched) + b"\r\n")
    pieces.append(b"--" + node.boundary + b"--\r\n")
    return b"".join(pieces)


def _section(fetched: dict[bytes, bytes], name: str) -> bytes:
    return fetched[f"BODY[{name}]".encode()] or b""


def _param(params, name: bytes) -> bytes:
    pairs = list(params)
    for key, value in zip(pairs[::2], pairs[1::2], strict=False):
        if _lower(key) == name.decode().lower():
            return value if isinstance(value, bytes) else str(value).encode()
    return b""


def _lower(value) -> str:
    return (value.decode("ascii", "replace") if isinstance(value, bytes) else str(value)).lower()
