"""The fixed parts of every page are worked out once a language and process
(webmail/templatetags/shell.py): each language keeps its own, and links follow the
script prefix the site is served under."""

from django.template import engines
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import translation


def render(source: str) -> str:
    return engines["django"].from_string("{% load shell %}" + source).render({})


def test_each_language_keeps_its_own_shortcuts_table():
    tag = '{% fixed_part "mailbox/partials/shortcuts_table.html" %}'
    for _ in range(2):  # the second time from what was kept
        with translation.override("fr"):
            french = render(tag)
        with translation.override("en"):
            english = render(tag)
        assert "Raccourcis clavier" in french
        assert "Keyboard shortcuts" not in french
        assert "Keyboard shortcuts" in english
        assert "Raccourcis clavier" not in english


def test_the_language_buttons_press_the_active_language():
    tag = '{% fixed_part "accounts/partials/language_buttons.html" %}'
    with translation.override("en"):
        english = render(tag)
    with translation.override("fr"):
        french = render(tag)
    assert 'value="en" lang="en" aria-pressed="true"' in english
    assert 'value="fr" lang="fr" aria-pressed="true"' in french


def test_a_fixed_url_is_the_url_under_the_current_script_prefix():
    assert render("{% fixed_url 'accounts:profile' %}") == reverse("accounts:profile")
    set_script_prefix("/webmail/")
    try:
        assert render("{% fixed_url 'accounts:profile' %}") == reverse("accounts:profile")
        assert render("{% fixed_url 'accounts:profile' %}").startswith("/webmail/")
    finally:
        clear_script_prefix()
    assert render("{% fixed_url 'accounts:profile' as url %}[{{ url }}]") == (
        f"[{reverse('accounts:profile')}]"
    )
