"""Signs that a message is not what it claims to be. Pure: no Django, no I/O.

The message page calls `check_message` with what it already has (the parsed message,
the raw header block, the sanitised HTML) and what only the app knows (the
organisation's domains, the authserv-ids our own mail server writes, and the directory's
full names matching the sender's display name). Each sign becomes one `PhishingWarning`
the page explains in plain words.

Authentication-Results (RFC 8601) headers are trusted only when their authserv-id is one
of ours: anyone can write such a header into a message. Our border MTA must remove
headers that claim our authserv-id before adding its own (RFC 8601 section 5); and since
only *failures* raise a warning, a forged "pass" can neither hide a real failure nor
lower any other check.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import compat32
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from accounts.usernames import name_part
from mailbox.parsing import ParsedMessage, decode_header_text

AUTH_FAILED = "auth_failed"
IMPERSONATED_COLLEAGUE = "impersonated_colleague"
NAME_SHOWS_ADDRESS = "name_shows_address"
REPLY_TO_ELSEWHERE = "reply_to_elsewhere"
LOOKALIKE_DOMAIN = "lookalike_domain"
MISLEADING_LINK = "misleading_link"
# Signs that the sender may not be who they say: images are then never loaded
# automatically, even from a sender the reader trusts. A misleading link says nothing
# about the sender (newsletters' tracking links look just like that).
SENDER_DOUBTS = {
    AUTH_FAILED,
    IMPERSONATED_COLLEAGUE,
    NAME_SHOWS_ADDRESS,
    REPLY_TO_ELSEWHERE,
    LOOKALIKE_DOMAIN,
}
AUTH_METHODS = ("spf", "dkim", "dmarc")


@dataclass(frozen=True)
class PhishingWarning:
    kind: str
    methods: tuple[str, ...] = ()  # AUTH_FAILED: "spf", "dkim", "dmarc"
    name: str = ""  # IMPERSONATED_COLLEAGUE: the display name; NAME_SHOWS_ADDRESS: the
    # address written in it
    address: str = ""  # the address concerned (sender or Reply-To)
    domain: str = ""  # the suspicious domain
    imitated: str = ""  # LOOKALIKE_DOMAIN: which of our domains it imitates
    links: tuple[tuple[str, str], ...] = ()  # MISLEADING_LINK: (shown domain, real domain)


@dataclass(frozen=True)
class Assessment:
    warnings: tuple[PhishingWarning, ...] = ()
    external_sender: bool = False
    sender_address: str = ""
    kinds: frozenset[str] = field(default=frozenset())

    @property
    def doubts_sender(self) -> bool:
        """True when the sender's identity is in question (see SENDER_DOUBTS)."""
        return bool(self.kinds & SENDER_DOUBTS)


def check_message(
    message: ParsedMessage,
    *,
    raw_headers: bytes,
    sanitised_html: str | None,
    organisation_domains: Collection[str],
    authserv_ids: Collection[str],
    colleague_names: Collection[str] = (),
) -> Assessment:
    """Every warning for one message.

    raw_headers: the message's header block (or the whole raw message).
    sanitised_html: the body after mailbox.sanitize, or None for a text-only message.
    colleague_names: full names of active accounts that might match the sender's display
    name (any spelling; they are compared here, accent- and case-insensitively).
    """
    sender = message.from_[0] if message.from_ else None
    address = sender.address.lower() if sender else ""
    domain = domain_of(address)
    external = bool(domain) and not is_own_domain(domain, organisation_domains)
    found: list[PhishingWarning] = []
    failed = authentication_failures(authentication_results(raw_headers), authserv_ids)
    if failed:
        found.append(PhishingWarning(AUTH_FAILED, methods=failed, address=address))
    if sender and external and same_person(sender.name, colleague_names):
        found.append(PhishingWarning(IMPERSONATED_COLLEAGUE, name=sender.name, address=address))
    shown = address_in_name(sender.name) if sender else ""
    if shown and shown != address:
        found.append(PhishingWarning(NAME_SHOWS_ADDRESS, name=shown, address=address))
    found += _reply_to_warnings(message, domain, organisation_domains)
    if external:
        imitated = imitated_domain(domain, organisation_domains)
        if imitated:
            found.append(
                PhishingWarning(LOOKALIKE_DOMAIN, address=address, domain=domain, imitated=imitated)
            )
    links = misleading_links(sanitised_html or "")
    if links:
        found.append(PhishingWarning(MISLEADING_LINK, links=links))
    return Assessment(
        warnings=tuple(found),
        external_sender=external,
        sender_address=address,
        kinds=frozenset(w.kind for w in found),
    )


# ---- Addresses and domains -----------------------------------------------------------


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().strip(".").lower() if "@" in address else ""


def is_own_domain(domain: str, organisation_domains: Iterable[str]) -> bool:
    """Our domain or one of its subdomains (lyc-x.ac-montpellier.fr)."""
    domain = _unicode_domain(domain)
    for own in organisation_domains:
        own = _unicode_domain(own)
        if own and (domain == own or domain.endswith("." + own)):
            return True
    return False


# Second-level labels under which names are registered (gouv.fr, co.uk, ac.uk...): an
# approximation of the Public Suffix List, enough to tell "the same site".
_SECOND_LEVEL = {"ac", "co", "com", "edu", "gouv", "gov", "net", "org", "asso", "nom"}


def base_domain(domain: str) -> str:
    """The registered name: www.impots.gouv.fr -> impots.gouv.fr, a.b.example.com -> example.com."""
    labels = [label for label in domain.lower().strip(".").split(".") if label]
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def _reply_to_warnings(message, from_domain, organisation_domains) -> list[PhishingWarning]:
    found = []
    for reply_to in message.reply_to:
        reply_domain = domain_of(reply_to.address)
        if not reply_domain or is_own_domain(reply_domain, organisation_domains):
            continue  # an answer that stays inside the organisation leaks nothing
        if not from_domain or base_domain(reply_domain) != base_domain(from_domain):
            found.append(
                PhishingWarning(
                    REPLY_TO_ELSEWHERE, address=reply_to.address.lower(), domain=reply_domain
                )
            )
    return found


# ---- Authentication-Results (RFC 8601) -----------------------------------------------


@dataclass(frozen=True)
class AuthenticationResults:
    authserv_id: str
    results: tuple[tuple[str, str], ...]  # (method, result), lower case


def authentication_results(raw_headers: bytes) -> list[AuthenticationResults]:
    """Every Authentication-Results header of the message's own header block."""
    headers = BytesHeaderParser(policy=compat32).parsebytes(raw_headers, headersonly=True)
    return [
        parse_authentication_results(decode_header_text(value))
        for value in headers.get_all("Authentication-Results", [])
    ]


def parse_authentication_results(value: str) -> AuthenticationResults:
    """'mx.example.org; spf=fail smtp.mailfrom=x; dkim=pass (ok) header.d=y' -> parts.

    Comments in parentheses are dropped; a part that is not method=result is ignored.
    """
    parts = _split_outside_quotes(_strip_comments(value))
    authserv_id = parts[0].split()[0].lower() if parts and parts[0].split() else ""
    results = []
    for part in parts[1:]:
        words = part.split()
        if not words or "=" not in words[0]:
            continue
        method, _, result = words[0].partition("=")
        results.append((method.split("/")[0].strip().lower(), result.strip().lower()))
    return AuthenticationResults(authserv_id, tuple(results))


def authentication_failures(
    headers: Iterable[AuthenticationResults], authserv_ids: Collection[str]
) -> tuple[str, ...]:
    """The methods (spf, dkim, dmarc) our own server reported as failed.

    A DKIM failure counts only if the same header reports no passing DKIM signature: a
    message may carry a broken signature from a mailing list next to the sender's valid
    one. A pass in another header never cancels a failure (it may be forged).
    """
    trusted = {i.lower() for i in authserv_ids if i}
    failed: set[str] = set()
    for header in headers:
        if header.authserv_id not in trusted:
            continue
        results = set(header.results)
        failed |= {
            method
            for method, result in results
            if result == "fail" and not (method == "dkim" and ("dkim", "pass") in results)
        }
    return tuple(method for method in AUTH_METHODS if method in failed)


def _strip_comments(value: str) -> str:
    out, depth, quoted, escaped = [], 0, False, False
    for char in value:
        if escaped:
            escaped = False
            if depth == 0:
                out.append(char)
            continue
        if char == "\\":
            escaped = True
            if depth == 0:
                out.append(char)
            continue
        if char == '"' and depth == 0:
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
            continue
        elif not quoted and char == ")" and depth:
            depth -= 1
            continue
        if depth == 0:
            out.append(char)
    return "".join(out)


def _split_outside_quotes(value: str) -> list[str]:
    parts, current, quoted = [], [], False
    for char in value:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


# ---- Display names -------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """'  HÉLÈNE  N’Diaye ' -> 'helene n diaye': accents, case and punctuation ignored."""
    return " ".join(name_part(name).split("-"))


def same_person(display_name: str, colleague_names: Iterable[str]) -> bool:
    """Whether the display name is one of these full names, in either order
    ("Leroy Sophie" is Sophie Leroy). A single word is nobody's full name."""
    shown = normalise_name(display_name)
    if len(shown.split()) < 2:
        return False
    shown_words = sorted(shown.split())
    for full_name in colleague_names:
        if sorted(normalise_name(full_name).split()) == shown_words:
            return True
    return False


# An address written in a display name: "jean.dupont@ac-montpellier.fr" <x@evil.example>.
_ADDRESS_IN_NAME = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def address_in_name(display_name: str) -> str:
    """The address a display name shows, in lower case, or ""."""
    match = _ADDRESS_IN_NAME.search(display_name)
    return match.group(0).lower() if match else ""


# ---- Look-alike domains --------------------------------------------------------------

# Characters that look like Latin letters (Unicode confusables, the ones seen in attacks).
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
        "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g", "ı": "i",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y",
    }
)  # fmt: skip
# Then digits and letter pairs that read alike; both sides of a comparison go through it.
_ASCII_LOOKALIKES = (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l"), ("|", "l"))


def skeleton(domain: str) -> str:
    """What a domain looks like to a reader: punycode decoded, accents dropped,
    look-alike letters folded (аc-rnontpe1lier.fr and ac-montpellier.fr look the same)."""
    text = _unicode_domain(domain).translate(_CONFUSABLES)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    for seen, read in _ASCII_LOOKALIKES:
        text = text.replace(seen, read)
    return text


def imitated_domain(domain: str, organisation_domains: Iterable[str]) -> str | None:
    """The organisation domain that `domain` imitates, or None.

    Caught: the same look (homoglyphs, IDN, another ending: ac-montpellier.com), a typo
    (edit distance up to 2, swapped or doubled letters: ac-montpelier.fr), or our
    distinctive name with other words (academie-montpellier.com, ac-montpellier-fr.net,
    ac-montpellier.fr.secure.example). Not caught on purpose: an unrelated organisation
    that shares a place name (montpellier.fr, ville-montpellier.fr).
    """
    for own in organisation_domains:
        own = _unicode_domain(own)
        if own and not is_own_domain(domain, [own]) and _imitates(domain, own):
            return own
    return None


def _imitates(domain: str, own: str) -> bool:
    own_labels = own.split(".")
    sender_labels = _unicode_domain(domain).split(".")
    tail = ".".join(sender_labels[-len(own_labels) :])
    own_core, sender_core = skeleton(own).rpartition(".")[0], skeleton(tail).rpartition(".")[0]
    if not own_core or not sender_core:
        return False
    if sender_core == own_core or skeleton(own) in skeleton(domain):
        return True
    allowed = 1 if len(own_core) < 8 else 2
    if edit_distance(sender_core, own_core) <= allowed:
        return True
    # The ending (.fr, .com) is no word of the name: asso-parents.example is not example.org.
    return _borrows_our_name(skeleton(domain).rpartition(".")[0], own_core)


def _borrows_our_name(sender: str, own_core: str) -> bool:
    """Our distinctive word (montpellier) plus one of our other words or an expansion of
    one (ac -> academie), or, for a one-word name, plus any other word."""
    own_words = [w for w in re.split(r"[-.]", own_core) if w]
    distinctive = [w for w in own_words if len(w) >= 5]
    sender_words = [w for w in re.split(r"[-.]", sender) if w]
    for word in distinctive:
        near = [
            w for w in sender_words if w == word or (len(word) >= 7 and edit_distance(w, word) <= 1)
        ]
        if not near:
            continue
        others = [w for w in sender_words if w not in near]
        short_words = [w for w in own_words if w != word]
        if not short_words and len(sender_words) > 1:  # a one-word name and another word
            return True
        if any(o == s or (len(s) <= 3 and o.startswith(s)) for o in others for s in short_words):
            return True
    return False


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): a swap counts as one."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        previous2, previous = previous, current
    return previous[-1]


def _unicode_domain(domain: str) -> str:
    """Lower case, punycode labels (xn--) decoded; an undecodable label is kept as is."""
    labels = []
    for label in domain.strip().strip(".").lower().split("."):
        if label.startswith("xn--"):
            label = _punycode_label(label)
        labels.append(label)
    return ".".join(labels)


def _punycode_label(label: str) -> str:
    try:
        return codecs.decode(label[4:].encode("ascii"), "punycode")
    except (UnicodeError, ValueError):
        return label  # not valid punycode: compared as written


# ---- Links ---------------------------------------------------------------------------

# Visible text that reads as a web address: "www.impots.gouv.fr", "https://x.fr/login".
_SHOWN_ADDRESS = re.compile(
    r"^(?:https?://)?(?:[^\s/@:]+@)?((?:[\w-]+\.)+[a-z\w-]{2,})\.?(?::\d+)?(?:[/?#]\S*)?$",
    re.IGNORECASE,
)


def misleading_links(sanitised_html: str) -> tuple[tuple[str, str], ...]:
    """(shown domain, real domain) for each link whose text shows another site than
    its target. Reads the sanitiser's output with an HTML parser, never a regex."""
    found: dict[tuple[str, str], None] = {}
    for href, text in _links(sanitised_html):
        match = _SHOWN_ADDRESS.match(text.strip())
        if not match:  # most links show words, not an address: their target is not read
            continue
        target = (
            urlsplit(href.strip()).hostname if href.strip().lower().startswith("http") else None
        )
        if not target:
            continue
        shown = _unicode_domain(match.group(1))
        target = _unicode_domain(target)
        if _reads_as_site(text.strip(), shown) and base_domain(shown) != base_domain(target):
            found[(shown, target)] = None
    return tuple(found)


# Text such as "rapport.pdf" or "12.50" is not a web address.
_NOT_ENDINGS = {
    "pdf", "doc", "docx", "odt", "ods", "odp", "xls", "xlsx", "ppt", "pptx", "txt", "csv",
    "rtf", "jpg", "jpeg", "png", "gif", "svg", "zip", "eml", "ics", "vcf", "mp3", "mp4",
    "htm", "html", "php", "aspx", "exe",
}  # fmt: skip


def _reads_as_site(text: str, shown: str) -> bool:
    ending = shown.rpartition(".")[2]
    if not any(c.isalpha() for c in ending):
        return False
    return text.lower().startswith(("http://", "https://", "www.")) or ending not in _NOT_ENDINGS


def _links(sanitised_html: str) -> list[tuple[str, str]]:
    """(href, visible text) of each link, by libxml2 (lxml): a mail with hundreds of
    links is read in about a tenth of the time the standard library's parser takes."""
    if not sanitised_html.strip():
        return []
    try:
        root = lxml_html.fragment_fromstring(sanitised_html, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    # A link holding only text (most do) is read without text_content()'s XPath.
    return [
        (link.get("href") or "", link.text_content() if len(link) else link.text or "")
        for link in root.iter("a")
    ]
