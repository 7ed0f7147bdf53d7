"""Search criteria are lists for imapclient to quote; nothing typed reaches a command."""

from datetime import date

import pytest

from mailbox.searching import (
    SearchQuery,
    highlight_terms,
    imap_criteria,
    words,
    words_to_highlight,
)


def test_each_quick_search_word_is_looked_for_in_sender_recipients_subject_and_body():
    assert imap_criteria(SearchQuery(text="conseil")) == [
        "OR", "FROM", "conseil", "OR", "TO", "conseil", "OR", "CC", "conseil",
        "OR", "SUBJECT", "conseil", "BODY", "conseil",
    ]  # fmt: skip
    assert imap_criteria(SearchQuery(text="conseil classe")).count("BODY") == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (SearchQuery(sender="leroy"), ["FROM", "leroy"]),
        (SearchQuery(recipient="dupont"), ["TO", "dupont"]),
        (SearchQuery(subject="sortie"), ["SUBJECT", "sortie"]),
        (SearchQuery(body="parking car"), ["BODY", "parking", "BODY", "car"]),
        (
            SearchQuery(since=date(2026, 1, 5), until=date(2026, 1, 31)),
            ["SINCE", date(2026, 1, 5), "BEFORE", date(2026, 2, 1)],  # until is inclusive
        ),
        (SearchQuery(has_attachment=True), ["KEYWORD", "$HasAttachment"]),
        (SearchQuery(larger_than=1024, smaller_than=2048), ["LARGER", 1024, "SMALLER", 2048]),
        (SearchQuery(flagged=True, unread=True), ["FLAGGED", "UNSEEN"]),
        (SearchQuery(keyword="$label1"), ["KEYWORD", "$label1"]),
    ],
)
def test_advanced_conditions_become_imap_criteria(query, expected):
    assert imap_criteria(query) == expected


def test_quotes_and_brackets_stay_inside_one_string_argument():
    criteria = imap_criteria(SearchQuery(subject='"a) OR (ALL'))
    assert criteria == ["SUBJECT", '"a)', "SUBJECT", "OR", "SUBJECT", "(ALL"]


def test_an_empty_query_has_no_criteria():
    assert SearchQuery().is_empty
    assert not SearchQuery(unread=True).is_empty


def test_words_drop_repeats_whatever_their_case():
    assert words("  Conseil conseil  CLASSE ") == ["Conseil", "CLASSE"]


def test_the_highlighted_words_are_the_text_ones_not_the_sender():
    query = SearchQuery(text="parking", sender="leroy", subject="sortie", body="car parking")
    assert highlight_terms(query) == ["parking", "car", "sortie"]


def test_words_to_highlight_are_bounded_and_printable():
    assert words_to_highlight("ab parking mot") == ["parking", "mot"]
    assert words_to_highlight("a\x07bc parking") == ["parking"]
    assert len(words_to_highlight(" ".join(f"mot{i}" for i in range(40)))) == 10
