"""The public mail-client settings, read from Django settings in this one place.

MAIL_CLIENT_* settings are optional: each one left unset falls back to the default
derived from MAIL_DOMAIN (mail.<domain> on 993/SSL and 587/STARTTLS,
https://webmail.<domain>/dav/).
"""

from __future__ import annotations

from django.conf import settings

from accounts.client_setup import ClientSettings


def client_settings() -> ClientSettings:
    overrides = {
        "imap_host": settings.MAIL_CLIENT_IMAP_HOST,
        "imap_port": settings.MAIL_CLIENT_IMAP_PORT,
        "imap_security": settings.MAIL_CLIENT_IMAP_SECURITY,
        "smtp_host": settings.MAIL_CLIENT_SMTP_HOST,
        "smtp_port": settings.MAIL_CLIENT_SMTP_PORT,
        "smtp_security": settings.MAIL_CLIENT_SMTP_SECURITY,
        "dav_url": settings.MAIL_CLIENT_DAV_URL,
        "organisation": settings.MAIL_CLIENT_ORGANISATION,
    }
    return ClientSettings.for_domain(settings.MAIL_DOMAIN, **overrides)
