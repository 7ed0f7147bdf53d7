"""Hostile mail HTML comes out unable to run code or reach the network."""

import re

import pytest

from mailbox.sanitize import sanitize_html

HOSTILE = [
    "<script>alert(1)</script><p>texte</p>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">clic</a>',
    '<a href=" JaVaScRiPt:alert(1)">clic</a>',
    '<a href="vbscript:msgbox(1)">clic</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">clic</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="https://evil.example/x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example/"><input name="password"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<div style="background-image:url(https://tracker.example/p.gif)">x</div>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>@import url(https://evil.example/x.css); p { color: red }</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<table background="https://tracker.example/bg.gif"><tr><td>x</td></tr></table>',
    '<img srcset="https://tracker.example/a.gif 1x">',
    '<p onmouseover="alert(1)" style="color:red">survol</p>',
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    '<a href="https://ok.example/" onclick="alert(1)">lien</a>',
]
FORBIDDEN = re.compile(
    r"<script|<iframe|<object|<embed|<form|<input|<meta|<base|<link|<style|<svg|"
    r"\son\w+=|javascript:|vbscript:|data:|url\(|expression\(|https://(evil|tracker)",
    re.IGNORECASE,
)


@pytest.mark.parametrize("html", HOSTILE)
def test_nothing_hostile_survives(html):
    cleaned = sanitize_html(html).html
    assert not FORBIDDEN.search(cleaned), cleaned


def test_remote_images_are_blocked_and_the_reader_is_told():
    result = sanitize_html('<p>Bonjour</p><img src="https://news.example/logo.png" alt="Logo">')
    assert result.remote_content_blocked
    assert "news.example" not in result.html
    assert 'alt="Logo"' in result.html


def test_remote_images_load_once_allowed():
    result = sanitize_html('<img src="https://news.example/logo.png">', allow_remote_images=True)
    assert not result.remote_content_blocked
    assert 'src="https://news.example/logo.png"' in result.html


def test_cid_images_point_at_the_message_own_parts():
    result = sanitize_html(
        '<img src="cid:logo@college"><img src="cid:missing@x">',
        cid_url=lambda cid: "/mail/part/2/" if cid == "logo@college" else None,
    )
    assert result.html == '<img src="/mail/part/2/"><img>'


def test_links_open_in_a_new_tab_without_referrer():
    html = sanitize_html('<a href="https://www.education.gouv.fr/">Ministère</a>').html
    assert 'target="_blank"' in html
    assert 'rel="noopener noreferrer"' in html


def test_harmless_layout_and_colours_are_kept():
    html = sanitize_html(
        '<table width="600" cellpadding="4"><tr><td align="center" '
        'style="color: #003366; font-weight: bold; position: fixed">Conseil</td></tr></table>'
    ).html
    assert 'width="600"' in html
    assert "color:#003366" in html.replace(" ", "")
    assert "position" not in html
