"""Labels are IMAP keywords: which keyword a label name gets, which keywords a list shows.

Pure: no Django, no network. A keyword is an IMAP atom (RFC 3501 `flag-keyword`), so it
survives in every other mail client that reads the same mailbox.

The keyword is made the way Thunderbird makes a tag's key: the name in lower case, with
the characters an atom cannot hold replaced by "_". So a label "Parents" here and a tag
"Parents" in Thunderbird mark messages with the same keyword, `parents`. Accents are
dropped (Thunderbird would write modified UTF-7, which other clients show as gibberish);
a name with nothing left, or one that would clash with a keyword mail software already
uses (`junk`, `$forwarded`...), gets a `$label_` keyword instead.
"""

import unicodedata
from collections.abc import Iterable

# The fixed palette: names of CSS classes (label-<colour>) whose text and background
# contrast at least 4.5:1 (WCAG AA), in light and dark mode.
PALETTE = ("grey", "blue", "green", "yellow", "orange", "red", "pink", "purple")

MAX_KEYWORD_LENGTH = 60
KEYWORD_PREFIX = "$label_"

# RFC 3501 atom-specials: ( ) { SP CTL % * " \ ] ; and only 7-bit characters.
_ATOM_SPECIALS = frozenset('(){ %*"\\]')

# Keywords that mail servers and clients set for their own purposes: never shown as
# labels, and never given to a label (lower case; IMAP keywords are case-insensitive).
SYSTEM_KEYWORDS = frozenset(
    {
        "$forwarded",
        "$mdnsent",
        "$submitpending",
        "$submitted",
        "$junk",
        "$notjunk",
        "junk",
        "nonjunk",
        "notjunk",
        "$phishing",
        "$hasattachment",
        "$hasnoattachment",
        "$muted",
        "$followed",
        "$autosent",
        "$unsubscribed",
        "$canunsubscribe",
        "$imported",
        "$istrusted",
        "$maskedemail",
        "$new",
        "$notify",
        "$seen",
        "$answered",
        "$flagged",
        "$deleted",
        "$draft",
        "$recent",
        "$snoozed",
    }
)

# Thunderbird's five default tags: shown under their usual names.
THUNDERBIRD_TAGS = {
    "$label1": "important",
    "$label2": "work",
    "$label3": "personal",
    "$label4": "todo",
    "$label5": "later",
}


def is_atom(keyword: str) -> bool:
    """Whether keyword can be sent as an IMAP flag keyword."""
    return (
        bool(keyword)
        and keyword.isascii()
        and not keyword.startswith("\\")
        and all(char.isprintable() and char not in _ATOM_SPECIALS for char in keyword)
    )


def keyword_for(name: str, taken: Iterable[str] = ()) -> str:
    """The keyword for a new label called name, unused among taken (compared without case).

    >>> keyword_for("Réunion parents")
    'reunion_parents'
    >>> keyword_for("Parents", taken=["parents"])
    'parents_2'
    """
    used = {keyword.lower() for keyword in taken}
    base = _atom_from(name)
    if not base.strip("_") or base.startswith("$") or base in SYSTEM_KEYWORDS:
        base = KEYWORD_PREFIX + base.strip("_$")
    base = base.rstrip("_") if base != KEYWORD_PREFIX else base + "x"
    base = base[:MAX_KEYWORD_LENGTH]
    candidate, number = base, 1
    while candidate.lower() in used or candidate.lower() in SYSTEM_KEYWORDS:
        number += 1
        suffix = f"_{number}"
        candidate = base[: MAX_KEYWORD_LENGTH - len(suffix)] + suffix
    return candidate


def _atom_from(name: str) -> str:
    # NFKD splits "é" into "e" and a combining accent, which is then dropped.
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    chars = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        ok = char.isascii() and char.isprintable() and char not in _ATOM_SPECIALS
        chars.append(char if ok else "_")
    return "".join(chars)


def user_keywords(flags: Iterable[str]) -> list[str]:
    """The keywords among a message's flags that a person set: no system flags
    (\\Seen...), no keywords that servers and clients set for themselves. In order,
    without duplicates (compared without case).
    """
    seen: set[str] = set()
    found = []
    for flag in flags:
        lowered = flag.lower()
        if flag.startswith("\\") or lowered in SYSTEM_KEYWORDS or lowered in seen:
            continue
        seen.add(lowered)
        found.append(flag)
    return found
