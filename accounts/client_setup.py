"""Mail-client settings and the auto-configuration documents built from them (pure).

Mail clients reach the servers by their public names (mail.<domain> on 993 and 587),
never by the internal IMAP_HOST the web app uses; ClientSettings holds the public side.
Nothing here reads Django settings or touches the network: the caller passes a
ClientSettings (see accounts/client_setup_settings.py) and gets bytes back.
"""

from __future__ import annotations

import plistlib
import uuid
from dataclasses import dataclass, replace
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET  # noqa: S405 - we only build documents here

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

SSL = "SSL"
STARTTLS = "STARTTLS"

# Outlook reads anything bigger than this as an attack, and so do we.
MAX_AUTODISCOVER_REQUEST_BYTES = 16 * 1024

AUTODISCOVER_RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
OUTLOOK_RESPONSE_NS = (
    "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
)


@dataclass(frozen=True)
class ClientSettings:
    """What a person types into a mail client (public host names, ports, security)."""

    domain: str
    imap_host: str
    imap_port: int
    imap_security: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    dav_url: str
    organisation: str = ""

    @classmethod
    def for_domain(cls, domain: str, **overrides) -> ClientSettings:
        """Defaults derived from the mail domain; `overrides` set only the values given."""
        defaults = cls(
            domain=domain,
            imap_host=f"mail.{domain}",
            imap_port=993,
            imap_security=SSL,
            smtp_host=f"mail.{domain}",
            smtp_port=587,
            smtp_security=STARTTLS,
            dav_url=f"https://webmail.{domain}/dav/",
            organisation=domain,
        )
        return replace(defaults, **{key: value for key, value in overrides.items() if value})

    @property
    def dav_host(self) -> str:
        return urlsplit(self.dav_url).hostname or ""

    @property
    def dav_port(self) -> int:
        parts = urlsplit(self.dav_url)
        return parts.port or (443 if parts.scheme == "https" else 80)

    @property
    def dav_uses_tls(self) -> bool:
        return urlsplit(self.dav_url).scheme == "https"

    def dav_principal_url(self, username: str) -> str:
        """Radicale keeps each person's calendars and address books under /<username>/."""
        return f"{self.dav_url.rstrip('/')}/{username}/"


def address_in_domain(address: str, domain: str) -> bool:
    local, at, address_domain = address.strip().rpartition("@")
    return bool(local) and bool(at) and address_domain.lower() == domain.lower()


def local_part(address: str) -> str:
    return address.strip().rpartition("@")[0].lower()


def _element(parent: ET.Element, tag: str, text: str | int | None = None) -> ET.Element:
    child = ET.SubElement(parent, tag)
    if text is not None:
        child.text = str(text)
    return child


def _to_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _mozilla_server(parent: ET.Element, tag: str, kind: str, host: str, port: int, security: str):
    server = _element(parent, tag, None)
    server.set("type", kind)
    _element(server, "hostname", host)
    _element(server, "port", port)
    _element(server, "socketType", security)
    # The login is the username (prenom.nom); the full address works too.
    _element(server, "username", "%EMAILLOCALPART%")
    _element(server, "authentication", "password-cleartext")


def thunderbird_autoconfig(cs: ClientSettings) -> bytes:
    """Mozilla's config-v1.1.xml: the same answer for every address of the domain."""
    root = ET.Element("clientConfig", version="1.1")
    provider = _element(root, "emailProvider")
    provider.set("id", cs.domain)
    _element(provider, "domain", cs.domain)
    _element(provider, "displayName", cs.organisation or cs.domain)
    _element(provider, "displayShortName", cs.organisation or cs.domain)
    _mozilla_server(
        provider, "incomingServer", "imap", cs.imap_host, cs.imap_port, cs.imap_security
    )
    _mozilla_server(
        provider, "outgoingServer", "smtp", cs.smtp_host, cs.smtp_port, cs.smtp_security
    )
    for tag, kind in (("addressBook", "carddav"), ("calendar", "caldav")):
        dav = _element(root, tag)
        dav.set("type", kind)
        _element(dav, "username", "%EMAILLOCALPART%")
        _element(dav, "authentication", "http-basic")
        _element(dav, "serverURL", cs.dav_url)
    return _to_bytes(root)


def autodiscover_request_address(body: bytes) -> str | None:
    """The EMailAddress of an Outlook POX request, or None if the request is unusable.

    defusedxml refuses entity declarations and external references, so a hostile
    body can neither expand nor fetch anything.
    """
    if not body or len(body) > MAX_AUTODISCOVER_REQUEST_BYTES:
        return None
    try:
        root = safe_fromstring(body)
    except (ET.ParseError, DefusedXmlException):
        return None
    for element in root.iter():
        if element.tag.rpartition("}")[2] == "EMailAddress" and element.text:
            return element.text.strip()
    return None


def _outlook_protocol(
    account: ET.Element, kind: str, host: str, port: int, security: str, login: str
):
    protocol = _element(account, "Protocol")
    _element(protocol, "Type", kind)
    _element(protocol, "Server", host)
    _element(protocol, "Port", port)
    _element(protocol, "LoginName", login)
    _element(protocol, "DomainRequired", "off")
    _element(protocol, "SPA", "off")
    # Encryption wins over SSL in Outlook: SSL = implicit TLS, TLS = STARTTLS.
    _element(protocol, "Encryption", "SSL" if security == SSL else "TLS")
    _element(protocol, "AuthRequired", "on")
    if kind == "SMTP":
        _element(protocol, "UsePOPAuth", "on")
        _element(protocol, "SMTPLast", "off")


def outlook_autodiscover(cs: ClientSettings, address: str) -> bytes:
    """Outlook's POX answer; the login is taken from the address asked about."""
    root = ET.Element("Autodiscover", xmlns=AUTODISCOVER_RESPONSE_NS)
    response = _element(root, "Response")
    response.set("xmlns", OUTLOOK_RESPONSE_NS)
    account = _element(response, "Account")
    _element(account, "AccountType", "email")
    _element(account, "Action", "settings")
    login = local_part(address)
    _outlook_protocol(account, "IMAP", cs.imap_host, cs.imap_port, cs.imap_security, login)
    _outlook_protocol(account, "SMTP", cs.smtp_host, cs.smtp_port, cs.smtp_security, login)
    return _to_bytes(root)


def _payload_uuid(cs: ClientSettings, username: str, kind: str) -> str:
    # Stable identifiers: downloading the profile again replaces it instead of adding one.
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{kind}.{username}.{cs.domain}")).upper()


def _payload(cs: ClientSettings, username: str, kind: str, payload_type: str, name: str) -> dict:
    return {
        "PayloadType": payload_type,
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{_reverse_domain(cs.domain)}.webmail.{username}.{kind}",
        "PayloadUUID": _payload_uuid(cs, username, kind),
        "PayloadDisplayName": name,
    }


def _reverse_domain(domain: str) -> str:
    return ".".join(reversed(domain.split(".")))


def _dav_payload(cs: ClientSettings, username: str, kind: str, name: str) -> dict:
    prefix = "CalDAV" if kind == "caldav" else "CardDAV"
    return _payload(cs, username, kind, f"com.apple.{kind}.account", name) | {
        f"{prefix}AccountDescription": name,
        f"{prefix}HostName": cs.dav_host,
        f"{prefix}Port": cs.dav_port,
        f"{prefix}PrincipalURL": cs.dav_principal_url(username),
        f"{prefix}UseSSL": cs.dav_uses_tls,
        f"{prefix}Username": username,
    }


def apple_mobileconfig(cs: ClientSettings, username: str, address: str, full_name: str) -> bytes:
    """An unsigned .mobileconfig with mail, calendar and contacts; it holds no password
    (the device asks for it when the profile is installed)."""
    title = cs.organisation or cs.domain
    mail = _payload(cs, username, "mail", "com.apple.mail.managed", address) | {
        "EmailAccountDescription": title,
        "EmailAccountName": full_name or username,
        "EmailAccountType": "EmailTypeIMAP",
        "EmailAddress": address,
        "IncomingMailServerAuthentication": "EmailAuthPassword",
        "IncomingMailServerHostName": cs.imap_host,
        "IncomingMailServerPortNumber": cs.imap_port,
        "IncomingMailServerUseSSL": cs.imap_security in (SSL, STARTTLS),
        "IncomingMailServerUsername": username,
        "OutgoingMailServerAuthentication": "EmailAuthPassword",
        "OutgoingMailServerHostName": cs.smtp_host,
        "OutgoingMailServerPortNumber": cs.smtp_port,
        "OutgoingMailServerUseSSL": cs.smtp_security in (SSL, STARTTLS),
        "OutgoingMailServerUsername": username,
        "OutgoingPasswordSameAsIncomingPassword": True,
    }
    profile = _payload(cs, username, "profile", "Configuration", title) | {
        "PayloadOrganization": title,
        "PayloadContent": [
            mail,
            _dav_payload(cs, username, "caldav", f"{title} – calendar"),
            _dav_payload(cs, username, "carddav", f"{title} – contacts"),
        ],
    }
    return plistlib.dumps(profile)
