"""Whole messages: bodies, addresses, attachments; and every real message in the corpus."""

import os
from pathlib import Path

import pytest

from mailbox.parsing import parse_message, part_bytes
from mailbox.sanitize import sanitize_html

CORPUS = Path(
    os.environ.get("CORPUS_DIR", Path(__file__).resolve().parents[3] / "shared" / "corpus")
)
EMAILS = sorted(path for path in (CORPUS / "email").rglob("*") if path.is_file())

MIXED = (
    b"From: =?utf-8?q?H=C3=A9l=C3=A8ne_N=27Diaye?= <helene.n-diaye@example.org>\r\n"
    b"To: Jean Dupont <jean.dupont@example.org>, marie.martin@example.org\r\n"
    b"Subject: =?iso-8859-1?q?Compte_rendu_du_conseil_p=E9dagogique?=\r\n"
    b"Date: Tue, 14 Oct 2025 17:05:00 +0200\r\n"
    b"Message-ID: <cr-42@example.org>\r\n"
    b"References: <a@example.org> <b@example.org>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="OUT"\r\n\r\n'
    b"--OUT\r\n"
    b'Content-Type: multipart/alternative; boundary="ALT"\r\n\r\n'
    b"--ALT\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonne lecture.\r\n"
    b"--ALT\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Bonne <b>lecture</b>.</p>\r\n"
    b"--ALT--\r\n"
    b"--OUT\r\n"
    b"Content-Type: application/pdf\r\n"
    b"Content-Disposition: attachment; filename*=utf-8''compte-rendu-%C3%A9t%C3%A9.pdf\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"
    b"--OUT--\r\n"
)


def test_a_multipart_message_is_read_whole():
    message = parse_message(MIXED)

    assert message.subject == "Compte rendu du conseil pédagogique"
    assert str(message.from_[0]) == "Hélène N'Diaye <helene.n-diaye@example.org>"
    assert [a.address for a in message.to] == [
        "jean.dupont@example.org",
        "marie.martin@example.org",
    ]
    assert message.date.isoformat() == "2025-10-14T17:05:00+02:00"
    assert message.references == ("<a@example.org>", "<b@example.org>")
    assert message.text.strip() == "Bonne lecture."
    assert "<b>lecture</b>" in message.html
    (attachment,) = message.attachments
    assert (attachment.filename, attachment.content_type) == (
        "compte-rendu-été.pdf",
        "application/pdf",
    )
    assert part_bytes(MIXED, attachment.part_id)[1] == b"%PDF-1.4\n"
    assert message.notices == ()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Tue, 14 Oct 2025 17:05:00 +0200", "2025-10-14T17:05:00+02:00"),
        ("Tue, 14 Oct 2025 15:05:00 -0000", "2025-10-14T15:05:00+00:00"),  # zone unknown
        ("Tue, 14 Oct 2025 15:05:00", "2025-10-14T15:05:00+00:00"),  # zone missing
        ("14 Oct 2025 15:05 GMT", "2025-10-14T15:05:00+00:00"),
        ("mardi dernier", None),
    ],
)
def test_a_message_date_is_always_a_moment_shown_in_the_readers_zone(header, expected):
    message = parse_message(f"Subject: x\r\nDate: {header}\r\n\r\nTexte\r\n".encode())

    assert (message.date.isoformat() if message.date else None) == expected


def test_a_broken_message_says_so_instead_of_failing():
    raw = (
        b"Subject: coupe\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n"
        b"--X\r\nContent-Type: text/plain; charset=x-inconnu\r\n\r\nTexte\r\n"
    )
    message = parse_message(raw)

    assert message.text.strip() == "Texte"
    assert "unknown_charset" in message.notices
    assert "malformed" in message.notices


@pytest.mark.skipif(not EMAILS, reason=f"the shared e-mail corpus is absent ({CORPUS}/email)")
@pytest.mark.parametrize("path", EMAILS, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_message_parses_and_sanitises(path):
    message = parse_message(path.read_bytes())
    if message.html:
        sanitize_html(message.html, cid_url=lambda cid: f"/part/{cid}")
    for attachment in message.attachments:
        assert part_bytes(path.read_bytes(), attachment.part_id) is not None
