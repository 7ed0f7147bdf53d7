"""Search words are marked in safe HTML by editing text nodes, never the markup."""

from mailbox.highlight import highlight_html
from mailbox.reading import text_to_html
from mailbox.sanitize import sanitize_html


def test_words_are_marked_in_text_whatever_their_case():
    html = sanitize_html("<p>Le <b>Parking</b> du parking.</p>").html
    assert highlight_html(html, ["parking"]) == (
        "<p>Le <b><mark>Parking</mark></b> du <mark>parking</mark>.</p>"
    )


def test_link_targets_and_attributes_are_left_alone():
    html = sanitize_html('<a href="https://example.org/parking">le parking</a>').html
    marked = highlight_html(html, ["parking"])
    assert 'href="https://example.org/parking"' in marked
    assert "le <mark>parking</mark></a>" in marked


def test_a_search_word_that_looks_like_markup_stays_text():
    html = text_to_html("Tapez <script>alert(1)</script> ici")
    marked = highlight_html(html, ["<script>alert(1)</script>", "script"])
    assert "<script>" not in marked
    assert "&lt;<mark>script</mark>&gt;" in marked or "<mark>&lt;script&gt;" in marked


def test_text_before_the_first_tag_and_between_tags_is_marked():
    marked = highlight_html("conseil <br>et conseil", ["conseil"])
    assert marked == "<mark>conseil</mark> <br>et <mark>conseil</mark>"


def test_no_words_leave_the_html_unchanged():
    assert highlight_html("<p>x</p>", []) == "<p>x</p>"
    assert highlight_html("<p>x</p>", ["  "]) == "<p>x</p>"
