"""The only module that talks CardDAV to Radicale: plain WebDAV requests through niquests
(the HTTP client the caldav library already brings), as the user through Dovecot's master
user, like calendar_app/services/dav.py.

The user's contacts live in one address book, <home>/contacts/, created on first use, which
phones and Thunderbird find through the same account. Changes are read with the
sync-collection REPORT (RFC 6578), so a page load costs one small request when nothing
changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit
from xml.etree.ElementTree import Element  # noqa: S405 - only for type hints

import niquests
from defusedxml import ElementTree
from django.conf import settings
from niquests.exceptions import RequestException

from accounts.mail_account import MailAccount
from webmail.errors import ContactsServerUnavailable

DAV = "{DAV:}"
CARD = "{urn:ietf:params:xml:ns:carddav}"
BOOK_NAME = "contacts"
MULTIGET_BATCH = 100

_PROPFIND_HOME = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:sync-token/></d:prop></d:propfind>"""
_MKCOL = """<?xml version="1.0" encoding="utf-8"?>
<d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop>
<d:resourcetype><d:collection/><c:addressbook/></d:resourcetype>
<d:displayname>{name}</d:displayname></d:prop></d:set></d:mkcol>"""
_SYNC = """<?xml version="1.0" encoding="utf-8"?>
<d:sync-collection xmlns:d="DAV:"><d:sync-token>{token}</d:sync-token>
<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>"""
_MULTIGET = """<?xml version="1.0" encoding="utf-8"?>
<c:addressbook-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">
<d:prop><d:getetag/><c:address-data/></d:prop>{hrefs}</c:addressbook-multiget>"""


class CardChangedElsewhere(Exception):
    """The card was changed or deleted on another device since it was read (412/404)."""


class SyncTokenExpired(Exception):
    """The server no longer knows the sync token (or the address book was deleted from
    another client): read the whole address book again."""


@dataclass(frozen=True)
class Changes:
    token: str
    changed: dict[str, str]  # href: its etag now
    deleted: list[str]


@dataclass(frozen=True)
class StoredCard:
    href: str
    etag: str
    vcard: str


class CardDavSession:
    def __init__(self, http: niquests.Session, base_url: str, username: str) -> None:
        self._http = http
        self._base = base_url if base_url.endswith("/") else base_url + "/"
        self.home = f"/{quote(username)}/"
        self.book = f"{self.home}{BOOK_NAME}/"

    def ensure_address_book(self) -> str:
        """The address book's path, created (with the user's home) when missing."""
        response = self._request("PROPFIND", self.book, _PROPFIND_HOME, {"Depth": "0"})
        if response.status_code == 207:
            return self.book
        if response.status_code != 404:
            raise ContactsServerUnavailable(f"PROPFIND {response.status_code}")
        # Radicale creates the principal's home when it is first reached.
        self._request("PROPFIND", self.home, _PROPFIND_HOME, {"Depth": "0"})
        created = self._request("MKCOL", self.book, _MKCOL.format(name="Contacts"))
        if created.status_code not in (201, 405):
            raise ContactsServerUnavailable(f"MKCOL {created.status_code}")
        return self.book

    def changes_since(self, token: str) -> Changes:
        """What changed since token ("" = everything). Raises SyncTokenExpired."""
        body = _SYNC.format(token=_xml_escape(token))
        response = self._request("REPORT", self.book, body, {"Depth": "1"})
        if response.status_code == 404 or (response.status_code in (403, 409) and token):
            raise SyncTokenExpired(token)
        root = self._multistatus(response)
        changed: dict[str, str] = {}
        deleted: list[str] = []
        for entry in root.iter(f"{DAV}response"):
            href = self._path(entry.findtext(f"{DAV}href", ""))
            if href.rstrip("/") == self.book.rstrip("/"):
                continue
            if " 404 " in entry.findtext(f"{DAV}status", ""):
                deleted.append(href)
            else:
                changed[href] = entry.findtext(f".//{DAV}getetag", "")
        return Changes(root.findtext(f"{DAV}sync-token", ""), changed, deleted)

    def fetch(self, hrefs: list[str]) -> list[StoredCard]:
        """The cards at hrefs (addressbook-multiget, by batches); missing ones are left out."""
        cards: list[StoredCard] = []
        for start in range(0, len(hrefs), MULTIGET_BATCH):
            batch = hrefs[start : start + MULTIGET_BATCH]
            body = _MULTIGET.format(
                hrefs="".join(f"<d:href>{_xml_escape(h)}</d:href>" for h in batch)
            )
            root = self._multistatus(self._request("REPORT", self.book, body, {"Depth": "1"}))
            for entry in root.iter(f"{DAV}response"):
                data = entry.find(f".//{CARD}address-data")
                if data is None or not data.text:
                    continue
                cards.append(
                    StoredCard(
                        href=self._path(entry.findtext(f"{DAV}href", "")),
                        etag=entry.findtext(f".//{DAV}getetag", ""),
                        vcard=data.text,
                    )
                )
        return cards

    def get(self, href: str) -> StoredCard:
        """One card. Raises CardChangedElsewhere when it is gone."""
        response = self._request("GET", href)
        if response.status_code == 404:
            raise CardChangedElsewhere(href)
        self._expect(response, 200)
        return StoredCard(href, response.headers.get("ETag", ""), response.text)

    def put(self, uid: str, vcard: str, href: str = "", etag: str = "") -> StoredCard:
        """Store a card: a new one at <book>/<uid>.vcf (If-None-Match), or replace the one at
        href if it still has etag (If-Match). Raises CardChangedElsewhere (also when the
        UID is already used by another card)."""
        if href:
            headers = {"If-Match": etag} if etag else {}
        else:
            href = self.book + quote(_safe_name(uid)) + ".vcf"
            headers = {"If-None-Match": "*"}
        headers["Content-Type"] = "text/vcard; charset=utf-8"
        response = self._request("PUT", href, vcard.encode("utf-8"), headers)
        # 409: the server holds this UID under another name (RFC 6352 no-uid-conflict).
        if response.status_code in (409, 412, 404):
            raise CardChangedElsewhere(href)
        self._expect(response, 201, 204, 200)
        etag = response.headers.get("ETag", "")
        return StoredCard(href, etag, vcard)

    def delete(self, href: str, etag: str = "") -> None:
        """Remove a card; already gone is fine. Raises CardChangedElsewhere on 412."""
        response = self._request("DELETE", href, None, {"If-Match": etag} if etag else {})
        if response.status_code == 412:
            raise CardChangedElsewhere(href)
        self._expect(response, 200, 204, 404)

    def _request(self, method: str, path: str, body=None, headers=None) -> niquests.Response:
        all_headers = {"Content-Type": "application/xml; charset=utf-8", **(headers or {})}
        try:
            return self._http.request(
                method,
                urljoin(self._base, path),
                data=body.encode("utf-8") if isinstance(body, str) else body,
                headers=all_headers,
                timeout=settings.SERVICE_TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        except (OSError, RequestException) as exc:
            raise ContactsServerUnavailable(type(exc).__name__) from exc

    def _multistatus(self, response: niquests.Response) -> Element:
        self._expect(response, 207)
        try:
            return ElementTree.fromstring(response.content)
        except ElementTree.ParseError as exc:
            raise ContactsServerUnavailable("bad XML") from exc

    @staticmethod
    def _expect(response: niquests.Response, *statuses: int) -> None:
        if response.status_code not in statuses:
            raise ContactsServerUnavailable(f"HTTP {response.status_code}")

    @staticmethod
    def _path(href: str) -> str:
        return urlsplit(href).path


@contextmanager
def session_for(account: MailAccount) -> Iterator[CardDavSession]:
    """A CardDAV session as the user, through the master user.

    Raises ContactsServerUnavailable (from any call) when Radicale cannot be reached.
    """
    with niquests.Session() as http:
        http.auth = (
            f"{account.username}*{settings.MAIL_MASTER_USER}",
            settings.MAIL_MASTER_PASSWORD,
        )
        yield CardDavSession(http, settings.CALDAV_URL, account.username)


def _safe_name(uid: str) -> str:
    cleaned = "".join(c for c in uid if c.isalnum() or c in "-_.@")[:100]
    return cleaned or "contact"


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
