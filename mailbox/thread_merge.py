"""Pure: place newly arrived messages into a folder's cached conversations by their
Message-ID, In-Reply-To and References, instead of threading the whole folder again.

The server's THREAD=REFERENCES (RFC 5256) links a message to every message whose
Message-ID it references, and to every message that references the same IDs (a missing
parent, e.g. a message in Sent, stands as an empty container between them); roots with
the same base subject are merged too. A new message can then:

- join the one cached conversation it is linked to;
- start a conversation of its own (with other new messages linked to it), when no old
  message is linked to it and none has its base subject;

Anything else (a new message that old ones reply to, that links two conversations, that
repeats a Message-ID, or whose subject an old message shares) is "unsure": the caller
threads the whole folder again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import compat32

from mailbox.parsing import decode_header_text

# The headers a FETCH asks for, to place a message.
HEADER_FIELDS = ("MESSAGE-ID", "IN-REPLY-TO", "REFERENCES", "SUBJECT")
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
# RFC 5256 section 2.1, loosely: any "re:", "fw:", "fwd:" and "[list]" prefixes, and
# "(fwd)" suffixes. Loose on purpose: a subject taken for a twin only costs a THREAD.
_PREFIX = re.compile(r"^\s*((re|fwd?|tr|aw)\s*(\[\d+\])?\s*:|\[[^\]]*\])\s*", re.IGNORECASE)
_SUFFIX = re.compile(r"\s*\(fwd\)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ThreadHeaders:
    """What threading reads of one message."""

    uid: int
    message_id: str  # "" without one
    parents: tuple[str, ...]  # References, else In-Reply-To: the IDs it answers
    subject: str  # base subject, lowercased

    @property
    def ids(self) -> set[str]:
        """Its own Message-ID and those it references."""
        return {*self.parents, self.message_id} - {""}


def parse_thread_headers(uid: int, header: bytes) -> ThreadHeaders:
    """The threading headers of a message from the bytes of its header fields."""
    fields = BytesHeaderParser(policy=compat32).parsebytes(header)
    own = _MESSAGE_ID.findall(str(fields.get("Message-ID", "")))
    parents = _MESSAGE_ID.findall(str(fields.get("References", "")))
    if not parents:
        parents = _MESSAGE_ID.findall(str(fields.get("In-Reply-To", "")))[:1]
    return ThreadHeaders(
        uid,
        own[0] if own else "",
        tuple(parents),
        base_subject(decode_header_text(fields.get("Subject"))),
    )


def base_subject(subject: str) -> str:
    """The subject without reply and forward markers, lowercased, spaces collapsed."""
    text = " ".join(subject.split())
    while True:
        shorter = _SUFFIX.sub("", _PREFIX.sub("", text, count=1))
        if shorter == text:
            return text.lower()
        text = shorter


def merge_arrivals(
    conversations: Sequence[Sequence[int]],
    arrivals: Sequence[ThreadHeaders],
    linked_old: Iterable[ThreadHeaders],
    old_subjects: Iterable[str],
) -> list[tuple[int, ...]] | None:
    """The conversations with the arrivals placed (each conversation's UIDs ascending,
    in no particular order), or None when unsure.

    linked_old: the old messages that share an ID with an arrival (as found by a header
    SEARCH: extra ones are ignored); old_subjects: the base subjects of the old messages
    that might share an arrival's (as found by a subject SEARCH).
    """
    conversation_of = {uid: index for index, uids in enumerate(conversations) for uid in uids}
    groups = _Groups()
    for arrival in arrivals:
        groups.add(("new", arrival.uid))
        for other in [*linked_old, *arrivals]:
            if other.uid == arrival.uid:
                continue
            old = other.uid in conversation_of
            if other.message_id and other.message_id == arrival.message_id:
                return None  # the same message twice: which one the server keeps varies
            if old and arrival.message_id and arrival.message_id in other.parents:
                return None  # an old message answers the new one: the tree changes shape
            if other.message_id in arrival.parents or set(other.parents) & set(arrival.parents):
                if old:
                    groups.join(("new", arrival.uid), ("old", conversation_of[other.uid]))
                elif other.uid in {a.uid for a in arrivals}:
                    groups.join(("new", arrival.uid), ("new", other.uid))
                else:
                    return None  # linked to a message neither cached nor new
    return _placed(conversations, arrivals, groups, set(old_subjects))


def _placed(
    conversations: Sequence[Sequence[int]],
    arrivals: Sequence[ThreadHeaders],
    groups: _Groups,
    old_subjects: set[str],
) -> list[tuple[int, ...]] | None:
    members: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for arrival in arrivals:
        node = ("new", arrival.uid)
        members.setdefault(groups.find(node), []).append(node)
    placed = [list(uids) for uids in conversations]
    new_subjects: set[str] = set()
    for root, nodes in members.items():
        olds = {index for kind, index in groups.members(root) if kind == "old"}
        uids = [uid for _kind, uid in nodes]
        if len(olds) > 1:
            return None  # the arrivals link conversations the server kept apart
        if olds:
            placed[olds.pop()].extend(uids)
            continue
        subjects = {a.subject for a in arrivals if a.uid in uids} - {""}
        if subjects & (old_subjects | new_subjects):
            return None  # the server may merge conversations of the same subject
        new_subjects |= subjects
        placed.append(uids)
    return [tuple(sorted(uids)) for uids in placed if uids]


class _Groups:
    """Union-find over ("old", conversation index) and ("new", uid) nodes."""

    def __init__(self) -> None:
        self._parent: dict[tuple[str, int], tuple[str, int]] = {}

    def add(self, node: tuple[str, int]) -> None:
        self._parent.setdefault(node, node)

    def find(self, node: tuple[str, int]) -> tuple[str, int]:
        self.add(node)
        while self._parent[node] != node:
            node = self._parent[node]
        return node

    def join(self, a: tuple[str, int], b: tuple[str, int]) -> None:
        self._parent[self.find(a)] = self.find(b)

    def members(self, root: tuple[str, int]) -> list[tuple[str, int]]:
        return [node for node in self._parent if self.find(node) == root]
