"""File names from browsers become safe to store and to put in a MIME header."""

import pytest

from mailbox.filenames import clean_filename, human_size


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("rapport.pdf", "rapport.pdf"),
        ("C:\\Users\\jean\\Bureau\\note.odt", "note.odt"),
        ("../../etc/passwd", "passwd"),
        ("evil.txt\r\nBcc: victim@example.com", "evil.txt Bcc: victim@example.com"),
        ("nul\x00byte.txt", "nul byte.txt"),
        ("  .hidden  ", "hidden"),
        ("..", "file"),
        ("", "file"),
        ("élève – bulletin.pdf", "élève – bulletin.pdf"),
        ("e\u0301le\u0300ve.pdf", "élève.pdf"),  # NFD from macOS becomes NFC
    ],
)
def test_clean_filename(raw, clean):
    assert clean_filename(raw) == clean


def test_long_names_keep_their_extension():
    name = clean_filename("a" * 300 + ".pdf")
    assert len(name) == 255
    assert name.endswith("aaa.pdf")


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 B"), (1023, "1023 B"), (1536, "1.5 KB"), (25 * 1024 * 1024, "25.0 MB")],
)
def test_human_size(size, text):
    assert human_size(size) == text
