"""Untrusted mail HTML -> HTML that cannot run code or reach the network. Pure.

nh3 (the Rust ammonia sanitiser) does all the work from an allowlist of tags,
attributes, URL schemes and CSS properties: no script, event handler, form, frame,
object, meta, base or style element survives, nor a javascript:, vbscript: or data: URL.
Remote images are dropped unless the reader allowed them (the caller shows that they
were blocked); cid: images are pointed at the message's own parts. CSS survives only as
`style` attributes limited to properties that cannot load anything (no url()). The
result is shown in a sandboxed iframe under a strict CSP, so a sanitiser miss still
cannot run. Nothing rewrites the HTML after this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import nh3

TAGS = {
    "a", "abbr", "address", "b", "bdi", "bdo", "blockquote", "br", "caption", "center",
    "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
    "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
}  # fmt: skip
# Removed with everything inside them, not just unwrapped.
CONTENT_REMOVED = {"script", "style", "title", "head", "noscript", "template", "iframe", "object"}
LAYOUT_ATTRIBUTES = {"align", "valign", "width", "height", "bgcolor", "dir", "lang", "title"}
ATTRIBUTES = {
    "*": LAYOUT_ATTRIBUTES | {"style"},
    "a": {"href", "name"},
    "img": {"src", "alt", "border"},
    "font": {"color", "face", "size"},
    "table": {"border", "cellpadding", "cellspacing"},
    "td": {"colspan", "rowspan", "nowrap"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type"},
    "ul": {"type"},
    "li": {"value"},
    "time": {"datetime"},
    "blockquote": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel", "cid"}
# CSS properties that can only change the look; none of them can load a resource.
STYLE_PROPERTIES = {
    "color", "background-color", "font", "font-family", "font-size", "font-style",
    "font-weight", "font-variant", "text-align", "text-decoration", "text-indent",
    "text-transform", "letter-spacing", "word-spacing", "line-height", "white-space",
    "vertical-align", "direction", "margin", "margin-top", "margin-right", "margin-bottom",
    "margin-left", "padding", "padding-top", "padding-right", "padding-bottom",
    "padding-left", "border", "border-top", "border-right", "border-bottom", "border-left",
    "border-color", "border-style", "border-width", "border-collapse", "border-spacing",
    "border-radius", "width", "max-width", "min-width", "height", "max-height",
    "min-height", "display", "list-style-type", "table-layout", "overflow-wrap",
    "word-break",
}  # fmt: skip
REMOTE_SCHEMES = ("http://", "https://", "//")
STYLE_VALUE_MARKERS = ("url(", "expression(", "\\", "@import", "javascript:")


@dataclass(frozen=True)
class SanitizedHtml:
    html: str
    remote_content_blocked: bool


def sanitize_html(
    html: str,
    *,
    allow_remote_images: bool = False,
    cid_url: Callable[[str], str | None] | None = None,
) -> SanitizedHtml:
    """Clean a message's HTML body.

    cid_url maps a Content-ID ("logo@example") to the URL that serves that part of the
    message, or None when the message has no such part (the image is then dropped).
    """
    blocked = False

    def filter_attribute(tag: str, attribute: str, value: str) -> str | None:
        nonlocal blocked
        if attribute == "style":
            # Allowed properties cannot load anything, but their values are not parsed:
            # a style holding url(), expression() or CSS escapes is dropped whole.
            lowered = value.lower()
            if any(marker in lowered for marker in STYLE_VALUE_MARKERS):
                blocked = blocked or "url(" in lowered
                return None
            return value
        if tag != "img" or attribute != "src":
            return value
        lowered = value.strip().lower()
        if lowered.startswith("cid:"):
            return cid_url(value.strip()[4:].strip("<>")) if cid_url else None
        if lowered.startswith(REMOTE_SCHEMES) and not allow_remote_images:
            blocked = True
            return None
        return value

    cleaned = nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=CONTENT_REMOVED,
        attributes=ATTRIBUTES,
        attribute_filter=filter_attribute,
        url_schemes=URL_SCHEMES,
        filter_style_properties=STYLE_PROPERTIES,
        link_rel="noopener noreferrer",
        set_tag_attribute_values={"a": {"target": "_blank"}},
        strip_comments=True,
    )
    return SanitizedHtml(html=cleaned, remote_content_blocked=blocked)
