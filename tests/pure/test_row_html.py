"""The rows of the message list are formatted by a faster twin of Django's
format_html (mailbox/templatetags/list_row_tags.py): it must escape exactly as
format_html does."""

import pytest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from mailbox.templatetags.list_row_tags import _html

HOSTILE_VALUES = [
    '<img src=x onerror="alert(1)">',
    'Tom & Jerry\'s "quotes"',
    "javascript:alert(1)",
    12345,
    None,
    mark_safe("<b>already safe</b>"),
    gettext_lazy("Unread:"),
]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_each_value_is_escaped_as_format_html_escapes_it(value):
    template = '<a title="{}" href="/m/{}">{}</a>'

    assert _html(template, value, value, value) == format_html(template, value, value, value)


def test_the_result_is_safe_html_to_put_in_a_page():
    assert isinstance(_html("<td>{}</td>", "<i>"), SafeString)
