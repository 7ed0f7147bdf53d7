"""Writing mail: addresses, reply and forward, quoting, and the MIME message built."""

import email
from datetime import UTC, datetime
from email import policy

import pytest

from mailbox.composing import (
    AttachmentData,
    Draft,
    InvalidAddress,
    bcc_header,
    forward_subject,
    html_to_text,
    parse_address_list,
    quote_text,
    render_message,
    reply_recipients,
    reply_subject,
    thread_headers,
)
from mailbox.parsing import Address, parse_message

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("marie@example.org", [("", "marie@example.org")]),
        (
            "Marie Martin <marie@example.org>; paul@example.org",
            [("Marie Martin", "marie@example.org"), ("", "paul@example.org")],
        ),
        ('"Dupont, Jean" <jean@example.org>', [("Dupont, Jean", "jean@example.org")]),
        ("a@example.org\nb@example.org,", [("", "a@example.org"), ("", "b@example.org")]),
        ("  eleve@exemple.fr  ", [("", "eleve@exemple.fr")]),
        # An internationalised domain goes out in its ASCII (punycode) form.
        ("Zoé <zoe@académie.fr>", [("Zoé", "zoe@xn--acadmie-eya.fr")]),
        ("a@example.org, A@example.org", [("", "a@example.org")]),
        ("", []),
    ],
)
def test_address_lists(typed, expected):
    assert [(a.name, a.address) for a in parse_address_list(typed)] == expected


@pytest.mark.parametrize(
    ("typed", "bad"),
    [
        ("marie@example.org, paul-at-example.org", "paul-at-example.org"),
        ("Marie <marie@@example.org>", "Marie <marie@@example.org>"),
        ("x@-bad-.fr", "x@-bad-.fr"),
        ("élève@example.org", "élève@example.org"),  # needs SMTPUTF8
    ],
)
def test_a_bad_address_is_named(typed, bad):
    with pytest.raises(InvalidAddress) as caught:
        parse_address_list(typed)
    assert caught.value.address == bad


@pytest.mark.parametrize(
    ("original", "reply", "forward"),
    [
        ("Réunion", "Re: Réunion", "Fwd: Réunion"),
        ("Re: Réunion", "Re: Réunion", "Fwd: Re: Réunion"),
        ("RE : Re: Réunion", "Re: Réunion", "Fwd: RE : Re: Réunion"),
        ("TR: Réunion", "Re: TR: Réunion", "Fwd: Réunion"),
        ("Fwd: Fw: notes", "Re: Fwd: Fw: notes", "Fwd: notes"),
        ("", "Re: ", "Fwd: "),
    ],
)
def test_subject_prefixes_are_not_repeated(original, reply, forward):
    assert reply_subject(original) == reply
    assert forward_subject(original) == forward


def _message(**headers) -> bytes:
    lines = [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\nLigne 1\r\nLigne 2\r\n").encode()


ORIGINAL = parse_message(
    _message(
        From="Marie Martin <marie@example.org>",
        To="jean@example.org, Paul <paul@example.org>",
        Cc="JEAN@example.org, sophie@example.org",
        Subject="Conseil de classe",
        Message_ID="<m2@example.org>",
        References="<root@example.org> <m1@example.org>",
    )
)


def test_reply_goes_to_the_sender_only():
    to, cc = reply_recipients(ORIGINAL, ["jean@example.org"], reply_all=False)
    assert [a.address for a in to] == ["marie@example.org"]
    assert cc == []


def test_reply_all_leaves_out_the_users_own_address():
    to, cc = reply_recipients(ORIGINAL, ["jean@example.org"], reply_all=True)
    assert [a.address for a in to] == ["marie@example.org", "paul@example.org"]
    assert [a.address for a in cc] == ["sophie@example.org"]


def test_reply_to_header_wins():
    message = parse_message(_message(From="a@example.org", Reply_To="list@example.org"))
    to, _cc = reply_recipients(message, ["jean@example.org"], reply_all=False)
    assert [a.address for a in to] == ["list@example.org"]


def test_replying_to_ones_own_sent_message_goes_to_its_recipients():
    sent = parse_message(_message(From="jean@example.org", To="marie@example.org"))
    to, _cc = reply_recipients(sent, ["jean@example.org"], reply_all=False)
    assert [a.address for a in to] == ["marie@example.org"]


def test_thread_headers_chain_the_references():
    assert thread_headers(ORIGINAL) == (
        "<m2@example.org>",
        "<root@example.org> <m1@example.org> <m2@example.org>",
    )


def test_quote_puts_every_line_behind_a_marker():
    quoted = quote_text("Bonjour\n> déjà cité\n\nFin", "Le 3 mars, Marie a écrit :")
    assert quoted == "\n\nLe 3 mars, Marie a écrit :\n> Bonjour\n>> déjà cité\n>\n> Fin\n"


def test_html_to_text_keeps_structure():
    text = html_to_text(
        "<p>Bonjour <b>Marie</b>,</p><ul><li>un</li><li>deux</li></ul>"
        "<ol><li>premier</li></ol><blockquote><p>cité</p></blockquote>"
        '<p>Voir <a href="https://example.org/x">le site</a><br>Jean</p><script>x()</script>'
    )
    assert text == (
        "Bonjour Marie,\n- un\n- deux\n1. premier\n> cité\n"
        "Voir le site (https://example.org/x)\nJean\n"
    )


def _draft(**fields) -> Draft:
    values = {
        "sender": Address("Jean Dupont", "jean@example.org"),
        "to": [Address("Marie Martin", "marie@example.org")],
        "subject": "Bonjour",
        "text": "Texte\n",
        "message_id": "<k1@example.org>",
        "draft_key": "key123",
    }
    values.update(fields)
    return Draft(**values)


def _reparse(raw: bytes):
    return email.message_from_bytes(raw, policy=policy.default)


def test_injected_line_breaks_cannot_add_headers():
    draft = _draft(
        subject="Salut\r\nBcc: spy@evil.example",
        to=[Address("Marie\r\nX-Injected: 1", "marie@example.org")],
        in_reply_to="<a@b>\r\nX-Injected: 2",
    )
    attachment = AttachmentData("a.txt\r\nX-Injected: 3", "text/plain\r\nX-Injected: 4", b"hi")
    raw = render_message(draft, [attachment], date=NOW)
    parsed = _reparse(raw)
    assert not [line for line in raw.split(b"\r\n") if line.startswith(b"X-Injected")]
    assert parsed["X-Injected"] is None
    assert parsed["Bcc"] is None
    assert parsed["Subject"] == "Salut Bcc: spy@evil.example"
    assert [part.get_filename() for part in parsed.iter_attachments()] == ["a.txt X-Injected: 3"]


def test_non_ascii_names_subjects_and_file_names_are_encoded():
    draft = _draft(subject="Réunion à 14 h", sender=Address("Hélène N'Diaye", "h@example.org"))
    raw = render_message(
        draft, [AttachmentData("compte-rendu é.pdf", "application/pdf", b"%PDF")], date=NOW
    )
    assert raw.isascii()
    assert _reparse(raw)["Subject"] == "Réunion à 14 h"
    assert b"filename*=utf-8''compte-rendu%20%C3%A9.pdf" in raw
    parsed = _reparse(raw)
    assert str(parsed["From"]) == "Hélène N'Diaye <h@example.org>"


def test_bcc_and_draft_headers_stay_out_of_the_sent_message():
    draft = _draft(bcc=[Address("", "boss@example.org")], original="reply 4 INBOX")
    as_draft = render_message(draft, date=NOW, as_draft=True)
    assert b"Bcc: boss@example.org" in as_draft
    assert b"X-Webmail-Draft-Key: key123" in as_draft
    sent = render_message(draft, date=NOW)
    assert b"boss@" not in sent
    assert b"X-Webmail" not in sent
    assert draft.recipients == ["marie@example.org", "boss@example.org"]
    assert bcc_header(draft) == "Bcc: boss@example.org\r\n"


def test_html_message_has_a_text_alternative_and_binary_attachments_survive():
    data = bytes(range(256)) * 40
    draft = _draft(html="<p>Bonjour <b>Marie</b></p>", text="Bonjour Marie\n")
    parsed = _reparse(render_message(draft, [AttachmentData("x.bin", "", data)], date=NOW))
    body = parsed.get_body(("plain",))
    assert body.get_content().replace("\r\n", "\n") == "Bonjour Marie\n"
    assert "<b>Marie</b>" in parsed.get_body(("html",)).get_content()
    (attachment,) = parsed.iter_attachments()
    assert attachment.get_content_type() == "application/octet-stream"
    assert attachment.get_content() == data


@pytest.mark.parametrize("size", [0, 1, 56, 57, 58, 57 * 1024, 57 * 1024 + 1, 200_003])
def test_files_given_in_chunks_of_any_size_arrive_whole(size):
    data = bytes((i * 7) % 256 for i in range(size))
    pieces = [data[i : i + 1000] for i in range(0, len(data), 1000)] or [b""]
    stored = AttachmentData("f.bin", "application/octet-stream", open_chunks=lambda: iter(pieces))
    raw = render_message(_draft(), [stored, AttachmentData("g.txt", "text/plain", b"ok")], date=NOW)
    first, second = _reparse(raw).iter_attachments()
    assert first.get_payload(decode=True) == data
    assert second.get_payload(decode=True) == b"ok"
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
