"""The parts of every whole page that are the same for everyone: worked out once per
process (per language), not at each page.

A whole page repeats the same fixed markup (the keyboard shortcuts table, the language
buttons) and the same argument-less links (the user menu, the side menu). In the
template language each translated string and each {% url %} costs a node render and a
lookup at every page; these tags keep the answer instead. Translations and URLs change
only when the process restarts (new code, new .mo files), so the kept answer is exact.
With DEBUG on, templates are read afresh each time, so that editing them shows at once.
"""

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

_parts: dict[tuple[str, str | None], SafeString] = {}
_urls: dict[tuple[str, object, str], str] = {}


@register.simple_tag
def fixed_part(template_name: str) -> SafeString:
    """The named template rendered without a context, in the active language. Only for
    markup that depends on nothing but the language: no request, user or variable."""
    key = (template_name, get_language())
    part = _parts.get(key)
    if part is None or settings.DEBUG:
        part = _parts[key] = get_template(template_name).render()
    return part


@register.simple_tag
def fixed_url(view_name: str) -> str:
    """{% url view_name %} for a URL without arguments, looked up once a process."""
    key = (get_script_prefix(), get_urlconf(), view_name)
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(view_name)
    return url
