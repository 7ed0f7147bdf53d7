"""Our filter rules, out-of-office reply and forwarding, written as one Sieve script
and read back from it. Pure: no Django, no network.

The script is the only copy of the rules (the server owns them, as it owns the mail).
Each block we write starts with a marker comment holding its settings as one line of
JSON, and ends with "# webmail-end":

    # webmail-rule {"name": "Classe", "enabled": true, ...}
    if anyof (header :contains "subject" "3e B") { fileinto "Classes"; }
    # webmail-end

Reading back, a block is ours only if its code is exactly what its settings produce;
a block edited by hand, or text written by another client, becomes a RawBlock kept
verbatim (its `require` lines merged into ours, since Sieve wants them first).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date

MARKER = "# webmail-"
END = "# webmail-end"
HEADER_COMMENT = (
    "# Written by the webmail (rules and out-of-office pages). Blocks between\n"
    "# '# webmail-' markers are rewritten by those pages; other text is kept as written.\n"
)

FIELDS = ("from", "to_cc", "subject", "header", "size")
MATCHES = ("contains", "is", "matches")
SIZE_MATCHES = ("over", "under")
ACTIONS = ("move", "label", "mark_read", "forward", "forward_copy", "keep", "discard", "stop")
# Actions that take an argument: a folder, a label keyword, an address.
ACTIONS_WITH_ARGUMENT = ("move", "label", "forward", "forward_copy")
_HEADER_NAME = re.compile(r"^[!-9;-~]+$")  # RFC 5322 field name: printable, no colon
_REQUIRE = re.compile(r"^\s*require\s+(\[[^\]]*\]|\"[^\"]*\")\s*;[ \t]*\r?\n?", re.MULTILINE)
_MARKER_LINE = re.compile(r"^# webmail-(rule|vacation|forwarding) (\{.*\})[ \t]*$")


class RuleError(ValueError):
    """A rule that cannot be written: an empty value, a bad header name..."""


def quote(value: str) -> str:
    """A Sieve quoted string (RFC 5228 2.4.2): backslash and double quote escaped.

    Line breaks are allowed inside quoted strings; they are written as LF.
    """
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\r\n", "\n").replace("\r", "\n")
    return f'"{escaped}"'


def quote_list(values: list[str]) -> str:
    return "[" + ", ".join(quote(value) for value in values) + "]"


@dataclass
class Condition:
    field: str  # one of FIELDS
    match: str  # one of MATCHES, or SIZE_MATCHES for "size"
    value: str  # text, or a size in kilobytes for "size"
    header_name: str = ""  # for field "header"

    def validate(self) -> None:
        if self.field not in FIELDS:
            raise RuleError(f"unknown field {self.field!r}")
        if self.field == "size":
            if self.match not in SIZE_MATCHES or not self.value.isdigit():
                raise RuleError("a size is a whole number of kilobytes")
            return
        if self.match not in MATCHES:
            raise RuleError(f"unknown comparison {self.match!r}")
        if self.field == "header" and not _HEADER_NAME.match(self.header_name):
            raise RuleError("a header name is letters, digits and dashes")
        if not self.value or "\n" in self.value or "\r" in self.value:
            raise RuleError("a condition needs a value on one line")

    def sieve(self) -> str:
        if self.field == "size":
            return f"size :{self.match} {int(self.value)}K"
        names = {
            "from": ["from"],
            "to_cc": ["to", "cc"],
            "subject": ["subject"],
            "header": [self.header_name],
        }[self.field]
        # "contains" on From/To also finds the display name; is/matches compare addresses.
        test = (
            "address" if self.field in ("from", "to_cc") and self.match != "contains" else "header"
        )
        return f"{test} :{self.match} {quote_list(names)} {quote(self.value)}"


@dataclass
class Action:
    kind: str  # one of ACTIONS
    argument: str = ""  # folder name, label keyword or address

    def validate(self) -> None:
        if self.kind not in ACTIONS:
            raise RuleError(f"unknown action {self.kind!r}")
        if self.kind in ACTIONS_WITH_ARGUMENT and not self.argument:
            raise RuleError(f"action {self.kind} needs an argument")
        if "\n" in self.argument or "\r" in self.argument:
            raise RuleError("an action's argument is one line")

    def sieve(self) -> str:
        return {
            "move": lambda: f"fileinto {quote(self.argument)};",
            "label": lambda: f"addflag {quote(self.argument)};",
            "mark_read": lambda: 'addflag "\\\\Seen";',
            "forward": lambda: f"redirect {quote(self.argument)};",
            "forward_copy": lambda: f"redirect :copy {quote(self.argument)};",
            "keep": lambda: "keep;",
            "discard": lambda: "discard;",
            "stop": lambda: "stop;",
        }[self.kind]()


# Flags must be set before the message is filed or kept (imap4flags, RFC 5232), and stop
# ends the script: the rule's actions are written in this order, whatever the form's.
_ACTION_ORDER = {kind: index for index, kind in enumerate(("label", "mark_read"))}


def _action_rank(action: Action) -> int:
    if action.kind in _ACTION_ORDER:
        return _ACTION_ORDER[action.kind]
    return 9 if action.kind == "stop" else 5


@dataclass
class Rule:
    name: str
    conditions: list[Condition]
    actions: list[Action]
    match_all: bool = True
    enabled: bool = True

    def validate(self) -> None:
        if not self.conditions:
            raise RuleError("a rule needs a condition")
        if not self.actions:
            raise RuleError("a rule needs an action")
        for part in [*self.conditions, *self.actions]:
            part.validate()

    def settings(self) -> dict:
        return asdict(self)

    def code(self) -> str:
        if not self.enabled:
            return ""
        tests = ", ".join(condition.sieve() for condition in self.conditions)
        combinator = "allof" if self.match_all else "anyof"
        actions = sorted(self.actions, key=_action_rank)
        body = "".join(f"    {action.sieve()}\n" for action in actions)
        return f"if {combinator} ({tests}) {{\n{body}}}\n"

    @classmethod
    def from_settings(cls, data: dict) -> Rule:
        return cls(
            name=str(data["name"]),
            conditions=[Condition(**item) for item in data["conditions"]],
            actions=[Action(**item) for item in data["actions"]],
            match_all=bool(data["match_all"]),
            enabled=bool(data["enabled"]),
        )


@dataclass
class RawBlock:
    """Sieve text the page cannot show as a rule: kept, moved and deleted as a whole."""

    text: str
    enabled: bool = True  # always: we do not know how to switch foreign code off


@dataclass
class Vacation:
    enabled: bool
    subject: str
    body: str
    addresses: list[str]  # the user's own addresses (:addresses, and :from the first)
    days: int = 7
    start: date | None = None
    end: date | None = None

    def settings(self) -> dict:
        data = asdict(self)
        data["start"] = self.start.isoformat() if self.start else None
        data["end"] = self.end.isoformat() if self.end else None
        return data

    @classmethod
    def from_settings(cls, data: dict) -> Vacation:
        return cls(
            enabled=bool(data["enabled"]),
            subject=str(data["subject"]),
            body=str(data["body"]),
            addresses=[str(address) for address in data["addresses"]],
            days=int(data["days"]),
            start=date.fromisoformat(data["start"]) if data.get("start") else None,
            end=date.fromisoformat(data["end"]) if data.get("end") else None,
        )

    def code(self) -> str:
        if not self.enabled:
            return ""
        tests = []
        if self.start:
            tests.append(f'currentdate :value "ge" "date" {quote(self.start.isoformat())}')
        if self.end:
            tests.append(f'currentdate :value "le" "date" {quote(self.end.isoformat())}')
        # Never answer mailing lists, bulk mail or other robots.
        tests += [
            'not exists ["list-id", "list-unsubscribe"]',
            'not header :contains "precedence" ["bulk", "list", "junk"]',
            'not header :contains "auto-submitted" "auto-"',
        ]
        arguments = f":days {int(self.days)} :subject {quote(self.subject)}"
        if self.addresses:
            arguments += f" :from {quote(self.addresses[0])}"
            arguments += f" :addresses {quote_list(self.addresses)}"
        joined = ",\n          ".join(tests)
        return (
            f"if allof ({joined}) {{\n    vacation {arguments}\n        {quote(self.body)};\n}}\n"
        )


@dataclass
class Forwarding:
    enabled: bool
    address: str
    keep_copy: bool = True

    def settings(self) -> dict:
        return asdict(self)

    @classmethod
    def from_settings(cls, data: dict) -> Forwarding:
        return cls(bool(data["enabled"]), str(data["address"]), bool(data["keep_copy"]))

    def code(self) -> str:
        if not self.enabled or not self.address:
            return ""
        if self.keep_copy:
            return f"redirect :copy {quote(self.address)};\n"
        # Without a copy nothing else runs: later rules would file one.
        return f"redirect {quote(self.address)};\nstop;\n"


@dataclass
class FilterScript:
    items: list[Rule | RawBlock] = field(default_factory=list)
    vacation: Vacation | None = None
    forwarding: Forwarding | None = None
    extra_requires: list[str] = field(default_factory=list)  # from preserved text

    @property
    def rules(self) -> list[Rule]:
        return [item for item in self.items if isinstance(item, Rule)]


_EXTENSIONS_FOR = {
    "fileinto": "fileinto",
    "addflag": "imap4flags",
    "redirect :copy": "copy",
    "vacation": "vacation",
    "currentdate": "date",
    ':value "': "relational",
}


def _requires(code: str, extra: list[str]) -> list[str]:
    needed = {extension for token, extension in _EXTENSIONS_FOR.items() if token in code}
    return sorted(needed | set(extra))


def _block(kind: str, settings: dict, code: str) -> str:
    return f"{MARKER}{kind} {json.dumps(settings, ensure_ascii=True)}\n{code}{END}\n"


def to_sieve(script: FilterScript) -> str:
    """The whole script: out-of-office first, then forwarding, then the rules in order."""
    blocks = []
    if script.vacation:
        blocks.append(_block("vacation", script.vacation.settings(), script.vacation.code()))
    if script.forwarding:
        forwarding = script.forwarding
        blocks.append(_block("forwarding", forwarding.settings(), forwarding.code()))
    for item in script.items:
        if isinstance(item, RawBlock):
            text = item.text if item.text.endswith("\n") else item.text + "\n"
            blocks.append(text)
        else:
            item.validate()
            blocks.append(_block("rule", item.settings(), item.code()))
    body = "".join(blocks)
    requires = _requires(body, script.extra_requires)
    require_line = f"require {quote_list(requires)};\n" if requires else ""
    return HEADER_COMMENT + require_line + body


def _our_block(kind: str, settings: dict, code: str):
    """The object a marker's settings describe, if its code is what they produce."""
    try:
        item = {"rule": Rule, "vacation": Vacation, "forwarding": Forwarding}[kind]
        item = item.from_settings(settings)
    except (KeyError, TypeError, ValueError):
        return None
    return item if item.code() == code else None


def parse(text: str) -> FilterScript:
    """Read a script: our blocks become objects, anything else a RawBlock, verbatim."""
    text = text.replace("\r\n", "\n")
    script = FilterScript()
    if text.startswith(HEADER_COMMENT):
        text = text[len(HEADER_COMMENT) :]
    for match in _REQUIRE.finditer(text):
        script.extra_requires += re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
    text = _REQUIRE.sub("", text)
    lines = text.split("\n")
    raw: list[str] = []
    index = 0
    while index < len(lines):
        marker = _MARKER_LINE.match(lines[index])
        end = _find_end(lines, index + 1) if marker else None
        if marker and end is not None:
            code = "".join(line + "\n" for line in lines[index + 1 : end])
            item = _our_block(marker.group(1), _json(marker.group(2)), code)
            if item is not None:
                _flush_raw(script, raw)
                _place(script, item)
                index = end + 1
                continue
        raw.append(lines[index])
        index += 1
    _flush_raw(script, raw)
    # What our own code needs is worked out again when writing. Text kept verbatim keeps
    # every extension the script asked for: it may use one in a way we do not look for
    # (setflag needs imap4flags too), and a missing require stops the whole script.
    kept_text = any(isinstance(item, RawBlock) for item in script.items)
    script.extra_requires = sorted(set(script.extra_requires)) if kept_text else []
    return script


def _find_end(lines: list[str], start: int) -> int | None:
    for index in range(start, len(lines)):
        if lines[index] == END:
            return index
        if _MARKER_LINE.match(lines[index]):
            return None
    return None


def _json(text: str) -> dict:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _flush_raw(script: FilterScript, raw: list[str]) -> None:
    text = "\n".join(raw).strip("\n")
    if text.strip():
        script.items.append(RawBlock(text + "\n"))
    raw.clear()


def _place(script: FilterScript, item) -> None:
    if isinstance(item, Vacation):
        script.vacation = item
    elif isinstance(item, Forwarding):
        script.forwarding = item
    else:
        script.items.append(item)
