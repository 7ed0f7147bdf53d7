"""Label names become IMAP keywords that other clients keep; lists show only people's keywords."""

import pytest

from mailbox.labels import is_atom, keyword_for, user_keywords


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("Parents", [], "parents"),  # what Thunderbird writes for a tag "Parents"
        ("Réunion parents", [], "reunion_parents"),
        ("Conseil de classe (3e B)", [], "conseil_de_classe__3e_b"),
        ("À faire !", [], "a_faire_!"),
        ("100% urgent*", [], "100__urgent"),
        ("Élèves", ["eleves"], "eleves_2"),
        ("Élèves", ["ELEVES", "eleves_2"], "eleves_3"),
        ("Junk", [], "$label_junk"),  # would mean "spam" to Thunderbird
        ("$Forwarded", [], "$label_forwarded"),
        ("数学", [], "$label_x"),  # nothing ASCII left
        ("数学", ["$label_x"], "$label_x_2"),
        ("a" * 80, [], "a" * 60),
        ("a" * 80, ["a" * 60], "a" * 58 + "_2"),
    ],
)
def test_keyword_for(name, taken, expected):
    keyword = keyword_for(name, taken)

    assert keyword == expected
    assert is_atom(keyword)


@pytest.mark.parametrize(
    ("keyword", "valid"),
    [
        ("parents", True),
        ("$label1", True),
        ("two words", False),
        ("\\Seen", False),
        ("élèves", False),
        ("a]b", False),
        ("tab\there", False),
        ("", False),
    ],
)
def test_is_atom(keyword, valid):
    assert is_atom(keyword) is valid


def test_user_keywords_leave_out_system_flags_and_software_keywords():
    flags = ["\\Seen", "$Forwarded", "NonJunk", "parents", "$label1", "Parents", "$MDNSent", "x"]

    assert user_keywords(flags) == ["parents", "$label1", "x"]
