"""Which feed URLs and server addresses a subscription may fetch (SSRF protection)."""

import pytest

from calendar_app.feed_urls import RefusedUrl, address_refusal, first_allowed, parse_feed_url


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "10.1.2.3",
        "172.16.0.5",
        "192.168.1.20",
        "169.254.169.254",  # cloud metadata
        "fe80::1%eth0",
        "fd00::1234",
        "0.0.0.0",  # noqa: S104 - an address to refuse, not one to bind
        "::",
        "224.0.0.1",
        "100.64.0.1",  # carrier-grade NAT
        "::ffff:127.0.0.1",  # IPv4 loopback mapped into IPv6
        "::ffff:10.0.0.1",
    ],
)
def test_internal_addresses_are_refused(address):
    assert address_refusal(address) != ""


@pytest.mark.parametrize("address", ["193.51.24.1", "2001:660:3001:4002::10", "8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert address_refusal(address) == ""


def test_the_tests_may_allow_their_own_loopback_server():
    assert address_refusal("127.0.0.1", allow_private=True) == ""
    assert "not an IP address" in address_refusal("localhost", allow_private=True)


def test_a_host_with_one_internal_address_among_public_ones_is_refused():
    with pytest.raises(RefusedUrl, match="10.0.0.7"):
        first_allowed(["193.51.24.1", "10.0.0.7"])
    assert first_allowed(["193.51.24.1", "2001:660:3001:4002::10"]) == "193.51.24.1"
    with pytest.raises(RefusedUrl, match="does not resolve"):
        first_allowed([])


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/cal.ics",
        "gopher://example.org/",
        "javascript:alert(1)",
        "https:///no-host.ics",
        "https://user:secret@example.org/cal.ics",
        "https://example.org:99999/cal.ics",
        "https://example.org/a b.ics",
    ],
)
def test_urls_other_than_plain_http_and_https_are_refused(url):
    with pytest.raises(RefusedUrl):
        parse_feed_url(url)


def test_webcal_is_read_as_https():
    parts = parse_feed_url("webcal://www.education.gouv.fr/calendrier.ics")
    assert (parts.scheme, parts.hostname, parts.path) == (
        "https",
        "www.education.gouv.fr",
        "/calendrier.ics",
    )
