"""mboxrd, zip streaming and file names for exports: round trips byte for byte."""

import io
import zipfile
from datetime import UTC, datetime

import pytest

from mailbox.export_formats import (
    MAX_NAME_LENGTH,
    eml_filename,
    from_line,
    mboxrd_entry,
    safe_filename,
    split_mboxrd,
    unique_names,
    zip_stream,
)

WHEN = datetime(2026, 11, 3, 9, 5, tzinfo=UTC)

TRICKY_MESSAGES = [
    b"Subject: simple\r\n\r\nBonjour.\r\n",
    # Body lines that an mbox reader would take for the start of a new message.
    b"Subject: quoting\r\n\r\nFrom here on\r\n>From quoted\r\n>>From twice\r\nFrom\r\n",
    b"From nobody Mon Jan  1 00:00:00 2001\r\nSubject: starts with From_\r\n\r\nx\r\n",
    b"Subject: no final newline\r\n\r\nthe end",
    b"Subject: bare LF\n\nline\n\nFrom the bottom\n",
    b"Subject: =?utf-8?q?=C3=A9t=C3=A9?=\r\n\r\n\xe9t\xe9 en latin-1\r\n\r\n\r\n",
    b"",
]


def test_mboxrd_gives_back_every_message_byte_for_byte():
    mbox = b"".join(mboxrd_entry(raw, "marie@example.org", WHEN) for raw in TRICKY_MESSAGES)

    assert split_mboxrd(mbox) == TRICKY_MESSAGES


def test_from_lines_start_each_message_and_body_from_lines_are_quoted():
    entry = mboxrd_entry(TRICKY_MESSAGES[1], "marie@example.org", WHEN)

    assert entry.startswith(b"From marie@example.org Tue Nov  3 09:05:00 2026\n")
    assert b"\r\n>From here on\r\n>>From quoted\r\n>>>From twice\r\nFrom\r\n" in entry


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("marie@example.org", b"From marie@example.org "),
        ("", b"From MAILER-DAEMON "),
        ("evil address@example.org", b"From MAILER-DAEMON "),
        ("a\n@example.org", b"From MAILER-DAEMON "),
        ("élève@example.org", b"From MAILER-DAEMON "),
    ],
)
def test_the_from_line_never_carries_spaces_or_line_breaks(sender, expected):
    line = from_line(sender, WHEN)

    assert line.startswith(expected)
    assert line.count(b"\n") == 1


def test_a_message_without_date_gets_the_epoch():
    assert from_line("a@b", None) == b"From a@b Thu Jan  1 00:00:00 1970\n"


def test_zip_stream_writes_a_valid_archive_chunk_by_chunk():
    files = [(f"{n} message.eml", raw, WHEN) for n, raw in enumerate(TRICKY_MESSAGES)]
    files.append(("Bulletin été.pdf", bytes(range(256)) * 100, None))

    chunks = list(zip_stream(files))

    assert len(chunks) == len(files) + 1  # one per file, then the central directory
    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [name for name, _data, _when in files]
        for name, content, _when in files:
            assert archive.read(name) == content
        assert archive.getinfo("0 message.eml").date_time == (2026, 11, 3, 9, 5, 0)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Bulletin été 2026.pdf", "Bulletin été 2026.pdf"),
        ("../../etc/passwd", "etc_passwd"),
        ("C:\\Users\\marie\\notes.txt", "C_Users_marie_notes.txt"),
        (".htaccess", "htaccess"),
        ("a\r\nContent-Type: text/html", "a_Content-Type_ text_html"),
        ('facture<2026>:"final"?.pdf', "facture_2026_final_.pdf"),
        ("   ", "fichier"),
        ("", "fichier"),
    ],
)
def test_safe_filename_keeps_only_a_name(name, expected):
    assert safe_filename(name, "fichier") == expected


def test_a_long_name_is_cut_but_keeps_its_extension():
    name = safe_filename("r" * 300 + ".pdf", "x")

    assert len(name) == MAX_NAME_LENGTH
    assert name.endswith("r.pdf")


def test_repeated_names_get_a_counter_regardless_of_case():
    names = ["a.pdf", "A.pdf", "a.pdf", "notes", "notes", "a (2).pdf"]

    assert list(unique_names(names)) == [
        "a.pdf",
        "A (2).pdf",
        "a (3).pdf",
        "notes",
        "notes (2)",
        "a (2) (2).pdf",
    ]


def test_eml_filename_uses_the_uid_and_subject():
    assert eml_filename("Conseil de classe / 3e B", 42) == "42 Conseil de classe _ 3e B.eml"
    assert eml_filename("", 7) == "7.eml"
