"""Fetching subscribed ICS feeds over HTTP(S): the only module that fetches a feed URL.

Every fetch has a timeout and a size limit, follows at most a few redirects, and checks the
server's addresses before connecting (calendar_app/feed_urls.py), on every redirect too. The
connection goes to the checked address (the Host header and TLS name stay the URL's), so a
DNS answer that changes between check and connect cannot reach an internal server.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings

from calendar_app import feed_urls

MAX_REDIRECTS = 5
USER_AGENT = "Webmail-education calendar subscription (+https://github.com/)"


class FeedFetchError(Exception):
    """The feed could not be fetched; str() says why, in English, for the admin and logs."""


@dataclass(frozen=True)
class Fetched:
    not_modified: bool
    content: bytes = b""
    etag: str = ""
    last_modified: str = ""


def fetch(url: str, etag: str = "", last_modified: str = "") -> Fetched:
    """GET the feed, conditionally when an ETag or Last-Modified is known.

    Raises FeedFetchError (refused address, network error, HTTP error, too large).
    """
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _hop in range(MAX_REDIRECTS + 1):
        status, response_headers, body = _get_once(url, headers)
        if status in (301, 302, 303, 307, 308):
            location = response_headers.get("location", "")
            if not location:
                raise FeedFetchError(f"HTTP {status} without a Location")
            url = urljoin(url, location)
            continue
        if status == 304:
            return Fetched(not_modified=True)
        if status != 200:
            raise FeedFetchError(f"HTTP {status}")
        return Fetched(
            not_modified=False,
            content=body,
            etag=response_headers.get("etag", "")[:500],
            last_modified=response_headers.get("last-modified", "")[:100],
        )
    raise FeedFetchError("too many redirects")


def check_url(url: str) -> None:
    """Refuse at once an address the fetch would refuse (form validation).

    Raises feed_urls.RefusedUrl.
    """
    parts = feed_urls.parse_feed_url(url)
    feed_urls.first_allowed(_resolve(parts.hostname, parts.port or 443), _allow_private())


def _allow_private() -> bool:
    return settings.ICS_FEED_ALLOW_PRIVATE


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise feed_urls.RefusedUrl(f"the server name does not resolve ({exc})") from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def _get_once(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    try:
        parts = feed_urls.parse_feed_url(url)
        https = parts.scheme.lower() == "https"
        port = parts.port or (443 if https else 80)
        address = feed_urls.first_allowed(_resolve(parts.hostname, port), _allow_private())
    except feed_urls.RefusedUrl as exc:
        raise FeedFetchError(str(exc)) from exc
    timeout = settings.ICS_FEED_TIMEOUT_SECONDS
    connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, timeout=timeout, address=address)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        limit = settings.ICS_FEED_MAX_BYTES
        body = response.read(limit + 1) if response.status == 200 else b""
        if len(body) > limit:
            raise FeedFetchError(f"larger than {limit / 1_000_000:g} MB")
        found = {name.lower(): value for name, value in response.getheaders()}
        return response.status, found, body
    except (OSError, http.client.HTTPException) as exc:
        raise FeedFetchError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        connection.close()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an already checked address, with the URL's Host header."""

    def __init__(self, host, port, *, timeout, address):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address; the certificate is verified for the URL's host name."""

    def __init__(self, host, port, *, timeout, address):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
