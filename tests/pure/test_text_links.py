"""Plain-text bodies: escaped, with web and mail links clickable, and never lost, even
when a line is very long or the text very big (mailbox/reading.py text_to_html)."""

from mailbox.reading import LINKIFY_LIMIT, text_to_html


def test_links_and_addresses_are_clickable_and_markup_is_escaped():
    html = text_to_html("Voir https://example.org/a?b=1&c=2 ou écrire à jean@example.org <b>")

    assert '<a href="https://example.org/a?b=1&amp;c=2" target="_blank"' in html
    assert '<a href="mailto:jean@example.org"' in html
    assert "&lt;b&gt;" in html
    assert "<b>" not in html


def test_a_very_long_word_is_shown_whole_and_links_around_it_still_work():
    word = "QUJD" * 12_500  # a 50,000-character line of base64
    html = text_to_html(f"Pièce : {word}\nRéponse à marie@example.org, https://example.org")

    assert word in html
    assert '<a href="mailto:marie@example.org"' in html
    assert '<a href="https://example.org"' in html


def test_text_past_the_limit_is_shown_escaped_without_links():
    line = "Une ligne avec https://example.org & <rien>\n"
    text = line * (2 * LINKIFY_LIMIT // len(line))

    html = text_to_html(text)

    lines = text.count("\n")
    assert html.count("&amp; &lt;rien&gt;\n") == lines  # every line is there, escaped
    assert 0 < html.count('<a href="https://example.org"') < lines  # links in the first part
