"""The sender, subject and Message-ID a list row shows, read from the raw header fields
the list FETCHes (mailbox/parsing.py row_headers)."""

import pytest

from mailbox.parsing import parse_message, row_headers
from tests.pure.test_message_parsing import CORPUS, EMAILS


def test_an_encoded_name_and_subject_are_decoded():
    headers = row_headers(
        b"From: =?utf-8?q?H=C3=A9l=C3=A8ne_Dupont?= <helene.dupont@ac-montpellier.fr>\r\n"
        b"Subject: =?utf-8?q?R=C3=A9union_p=C3=A9dagogique?=\r\n"
        b"Message-ID: <abc@ac-montpellier.fr>\r\n\r\n"
    )

    assert headers.sender_name == "Hélène Dupont"
    assert headers.sender_address == "helene.dupont@ac-montpellier.fr"
    assert headers.subject == "Réunion pédagogique"
    assert headers.message_id == "<abc@ac-montpellier.fr>"


def test_a_comma_inside_an_encoded_name_does_not_split_the_sender():
    headers = row_headers(b"From: =?utf-8?q?Dupont=2C_H=C3=A9l=C3=A8ne?= <hd@example.org>\r\n\r\n")

    assert headers.sender_name == "Dupont, Hélène"
    assert headers.sender_address == "hd@example.org"


def test_a_folded_subject_is_one_line():
    headers = row_headers(b"Subject: Conseil de classe\r\n  du 3e trimestre\r\n\r\n")

    assert headers.subject == "Conseil de classe du 3e trimestre"


def test_undeclared_utf8_and_latin1_bytes_are_read():
    utf8 = row_headers("From: Élodie <e@example.org>\r\nSubject: Été\r\n\r\n".encode())
    latin1 = row_headers("Subject: Année scolaire\r\n\r\n".encode("latin-1"))

    assert (utf8.sender_name, utf8.subject) == ("Élodie", "Été")
    assert latin1.subject == "Année scolaire"


def test_missing_or_broken_headers_give_empty_fields():
    assert row_headers(None) == row_headers(b"")
    assert row_headers(b"").sender_address == ""
    bare = row_headers(b"From: marie@example.org\r\n\r\n")
    assert (bare.sender_name, bare.sender_address) == ("", "marie@example.org")
    group = row_headers(b"From: undisclosed-recipients:;\r\n\r\n")
    assert group.sender_address == ""


@pytest.mark.skipif(not EMAILS, reason=f"the shared e-mail corpus is absent ({CORPUS}/email)")
@pytest.mark.parametrize("path", EMAILS, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_corpus_message_shows_in_the_list_as_on_its_page(path):
    raw = path.read_bytes()
    header_end = raw.find(b"\r\n\r\n") if b"\r\n\r\n" in raw else raw.find(b"\n\n")
    row = row_headers(raw[: header_end + 2] if header_end >= 0 else raw)
    page = parse_message(raw)

    assert row.subject.split() == page.subject.split()


def test_a_no_break_space_in_a_subject_is_kept():
    headers = row_headers("Subject: Rappel\u00a0: conseil\r\n\r\n".encode())

    assert headers.subject == "Rappel\u00a0: conseil"
