"""Pure: which feed URLs and server addresses the webmail may fetch (SSRF protection).

A subscription URL is typed by a user, and the server fetches it from inside the network:
it must never reach the server itself, the school network or a cloud metadata service.
The caller resolves the host name and passes every address here, then connects to one of
the addresses it checked (so a DNS answer cannot change between check and connect).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import SplitResult, urlsplit

SCHEMES = ("http", "https")


class RefusedUrl(ValueError):
    """The URL or its server may not be fetched; the message says why, in English, for logs."""


def parse_feed_url(url: str) -> SplitResult:
    """The URL, split, if it is one we may fetch (http or https, a host, no user:password).

    webcal:// (how many sites publish calendars) is read as https://.
    Raises RefusedUrl.
    """
    url = url.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise RefusedUrl(f"not a URL: {exc}") from exc
    if parts.scheme.lower() not in SCHEMES:
        raise RefusedUrl("only http and https addresses can be subscribed to")
    if not parts.hostname:
        raise RefusedUrl("the address has no server name")
    if parts.username or parts.password:
        raise RefusedUrl("addresses with a user name or password are not accepted")
    if any(ord(c) < 33 for c in url):
        raise RefusedUrl("the address contains spaces or control characters")
    return parts


def address_refusal(address: str, allow_private: bool = False) -> str:
    """Why this server address may not be fetched, or "" when it may.

    Loopback, private (RFC 1918, unique local), link-local (cloud metadata at
    169.254.169.254), multicast, reserved and unspecified addresses are refused, IPv4 and
    IPv6 alike, including IPv4 mapped into IPv6. `allow_private` lets the tests reach their
    own HTTP server on 127.0.0.1.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address!r} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if allow_private:
        return ""
    if ip.is_loopback:
        return f"{ip} is this server itself (loopback)"
    if ip.is_link_local:
        return f"{ip} is a link-local address"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return f"{ip} is not a public address"
    if ip.is_private or not ip.is_global:
        return f"{ip} is a private network address"
    return ""


def first_allowed(addresses: list[str], allow_private: bool = False) -> str:
    """The address to connect to, once every address of the host was checked.

    A host is refused as soon as one of its addresses is refused: a name that resolves to
    both a public and an internal address is an attack, not a mirror. Raises RefusedUrl.
    """
    if not addresses:
        raise RefusedUrl("the server name does not resolve")
    for address in addresses:
        reason = address_refusal(address, allow_private)
        if reason:
            raise RefusedUrl(reason)
    return addresses[0]
