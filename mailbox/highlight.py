"""Mark searched words in a message body that is already safe HTML. Pure: no I/O.

The input is the output of sanitize.sanitize_html or reading.text_to_html. It is parsed
into a tree (lxml), and only text nodes change: each match becomes a <mark> element whose
text the serializer escapes. Tags and attributes are never built from strings, so
highlighting cannot turn text into markup.
"""

from __future__ import annotations

import re
from html import escape

from lxml import html as lxml_html

MAX_TERMS = 10
# Text in these elements is not shown as such, or marking it would change a link's target.
SKIPPED = {"script", "style", "title", "textarea", "mark"}


def highlight_html(safe_html: str, terms: list[str]) -> str:
    """safe_html with every case-insensitive occurrence of the terms in <mark>."""
    pattern = _pattern(terms)
    if pattern is None or not safe_html.strip():
        return safe_html
    root = lxml_html.fragment_fromstring(safe_html, create_parent="div")
    _mark_tree(root, pattern)
    inner = [lxml_html.tostring(child, encoding="unicode") for child in root]
    head = escape(root.text or "", quote=False)
    return head + "".join(inner)


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    words = sorted({term for term in terms if term.strip()}, key=len, reverse=True)[:MAX_TERMS]
    if not words:
        return None
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


def _mark_tree(element, pattern: re.Pattern[str]) -> None:
    for child in list(element):
        if isinstance(child.tag, str) and child.tag not in SKIPPED:
            _mark_tree(child, pattern)
        _mark_tail(child, pattern)
    if isinstance(element.tag, str) and element.tag not in SKIPPED:
        _mark_text(element, pattern)


def _mark_text(element, pattern: re.Pattern[str]) -> None:
    """Split element.text around the matches; the marks go first among its children."""
    pieces = _split(element.text or "", pattern)
    if len(pieces) == 1:
        return
    element.text = pieces[0]
    for index, mark in enumerate(_marks(pieces)):
        element.insert(index, mark)


def _mark_tail(element, pattern: re.Pattern[str]) -> None:
    """The text after element (its tail) belongs to the parent: marks go right after it."""
    pieces = _split(element.tail or "", pattern)
    if len(pieces) == 1:
        return
    element.tail = pieces[0]
    for mark in reversed(_marks(pieces)):
        element.addnext(mark)


def _split(text: str, pattern: re.Pattern[str]) -> list[str]:
    """[before, match, between, match, ..., after]: odd positions are the matches."""
    pieces, last = [], 0
    for found in pattern.finditer(text):
        pieces += [text[last : found.start()], found.group()]
        last = found.end()
    return [*pieces, text[last:]]


def _marks(pieces: list[str]) -> list:
    marks = []
    for index in range(1, len(pieces), 2):
        mark = lxml_html.Element("mark")
        mark.text = pieces[index]
        mark.tail = pieces[index + 1]
        marks.append(mark)
    return marks
