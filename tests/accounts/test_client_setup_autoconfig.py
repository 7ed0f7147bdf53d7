"""Mail clients configure themselves from our answers; nobody learns which accounts exist."""

import plistlib

import pytest
from defusedxml import ElementTree as ET
from django.conf import settings
from django.urls import reverse

OUTLOOK_NS = "{http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a}"

AUTODISCOVER_REQUEST = """<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request>
    <EMailAddress>{address}</EMailAddress>
    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
  </Request>
</Autodiscover>"""


@pytest.fixture
def signed_in(client, django_user_model):
    user = django_user_model.objects.create_user(
        "anne.martin", password="Un-mot-de-passe-2026", first_name="Anne", last_name="Martin"
    )
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "path", ["/.well-known/autoconfig/mail/config-v1.1.xml", "/mail/config-v1.1.xml"]
)
def test_thunderbird_autoconfig_gives_the_public_servers(client, db, path):
    domain = settings.MAIL_DOMAIN
    response = client.get(path, {"emailaddress": f"whoever@{domain}"})

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    incoming = root.find("emailProvider/incomingServer")
    outgoing = root.find("emailProvider/outgoingServer")
    assert root.find("emailProvider/domain").text == domain
    assert incoming.get("type") == "imap"
    assert (incoming.find("hostname").text, incoming.find("port").text) == (f"mail.{domain}", "993")
    assert incoming.find("socketType").text == "SSL"
    assert incoming.find("username").text == "%EMAILLOCALPART%"
    assert (outgoing.find("port").text, outgoing.find("socketType").text) == ("587", "STARTTLS")
    assert root.find("calendar/serverURL").text == f"https://webmail.{domain}/dav/"


def test_autoconfig_answers_alike_for_any_address_of_the_domain(client, db, django_user_model):
    django_user_model.objects.create_user("existe.bien", password="Un-mot-de-passe-2026")
    url = reverse("autoconfig")
    known = client.get(url, {"emailaddress": f"existe.bien@{settings.MAIL_DOMAIN}"})
    unknown = client.get(url, {"emailaddress": f"personne@{settings.MAIL_DOMAIN}"})

    assert known.content == unknown.content
    assert client.get(url, {"emailaddress": "existe.bien@gmail.com"}).status_code == 404


def test_settings_override_the_defaults(client, db, settings):
    settings.MAIL_CLIENT_IMAP_HOST = "imap.academie.example"
    settings.MAIL_CLIENT_SMTP_PORT = 465
    settings.MAIL_CLIENT_SMTP_SECURITY = "SSL"

    root = ET.fromstring(client.get(reverse("autoconfig")).content)

    assert root.find("emailProvider/incomingServer/hostname").text == "imap.academie.example"
    assert root.find("emailProvider/outgoingServer/port").text == "465"
    assert root.find("emailProvider/outgoingServer/socketType").text == "SSL"


@pytest.mark.parametrize(
    "path", ["/autodiscover/autodiscover.xml", "/Autodiscover/Autodiscover.xml"]
)
def test_outlook_autodiscover_answers_a_pox_request(client, db, path):
    address = f"Jean.Dupont@{settings.MAIL_DOMAIN}"
    response = client.post(
        path, AUTODISCOVER_REQUEST.format(address=address), content_type="text/xml"
    )

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    protocols = {p.find(f"{OUTLOOK_NS}Type").text: p for p in root.iter(f"{OUTLOOK_NS}Protocol")}
    imap, smtp = protocols["IMAP"], protocols["SMTP"]
    assert imap.find(f"{OUTLOOK_NS}Server").text == f"mail.{settings.MAIL_DOMAIN}"
    assert imap.find(f"{OUTLOOK_NS}Port").text == "993"
    assert imap.find(f"{OUTLOOK_NS}Encryption").text == "SSL"
    assert imap.find(f"{OUTLOOK_NS}LoginName").text == "jean.dupont"
    assert smtp.find(f"{OUTLOOK_NS}Port").text == "587"
    assert smtp.find(f"{OUTLOOK_NS}Encryption").text == "TLS"


def test_autodiscover_refuses_other_domains_and_hostile_xml(client, db):
    url = reverse("autodiscover")
    other = client.post(
        url, AUTODISCOVER_REQUEST.format(address="a@gmail.com"), content_type="text/xml"
    )
    billion_laughs = (
        '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "bbbbbbbbbb">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><Autodiscover><Request>'
        "<EMailAddress>&c;@example.org</EMailAddress></Request></Autodiscover>"
    )
    hostile = client.post(url, billion_laughs, content_type="text/xml")
    oversized = client.post(url, "<a>" + "x" * 20000 + "</a>", content_type="text/xml")

    assert other.status_code == 404
    assert hostile.status_code == 400
    assert oversized.status_code == 400
    assert client.get(url).status_code == 405


@pytest.mark.parametrize("path", ["/.well-known/caldav", "/.well-known/carddav"])
def test_well_known_dav_paths_redirect_permanently(client, db, path):
    response = client.get(path)

    assert response.status_code == 301
    assert response["Location"] == f"https://webmail.{settings.MAIL_DOMAIN}/dav/"


def test_apple_profile_holds_mail_calendar_and_contacts_but_no_password(signed_in):
    response = signed_in.get(reverse("client-setup-mobileconfig"))

    assert response["Content-Type"] == "application/x-apple-aspen-config"
    profile = plistlib.loads(response.content)
    mail, caldav, carddav = profile["PayloadContent"]
    assert mail["EmailAddress"] == f"anne.martin@{settings.MAIL_DOMAIN}"
    assert mail["IncomingMailServerHostName"] == f"mail.{settings.MAIL_DOMAIN}"
    assert mail["IncomingMailServerPortNumber"] == 993
    assert mail["OutgoingMailServerPortNumber"] == 587
    assert mail["IncomingMailServerUsername"] == "anne.martin"
    assert caldav["PayloadType"] == "com.apple.caldav.account"
    assert caldav["CalDAVPrincipalURL"].endswith("/dav/anne.martin/")
    assert carddav["CardDAVUseSSL"] is True
    assert not any(
        "Password" in key and "Same" not in key and "Authentication" not in key
        for payload in profile["PayloadContent"]
        for key in payload
    )
    again = plistlib.loads(signed_in.get(reverse("client-setup-mobileconfig")).content)
    assert again["PayloadUUID"] == profile["PayloadUUID"]


def test_setup_page_lists_the_settings_for_a_signed_in_user(signed_in, client):
    client.cookies["django_language"] = "en"
    page = signed_in.get(reverse("client-setup")).content.decode()

    assert f"mail.{settings.MAIL_DOMAIN}" in page
    assert "STARTTLS" in page
    assert reverse("client-setup-mobileconfig") in page


def test_setup_pages_need_a_login(client, db):
    for name in ("client-setup", "client-setup-mobileconfig"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
