"""The public mail-client settings, read from Django settings in this one place.

MAIL_CLIENT_* settings are optional: each one left unset falls back to the default
derived from MAIL_DOMAIN (mail.<domain> on 993/SSL and 587/STARTTLS,
https://webmail.<domain>/dav/).
"""

from __future__ import annotations

from django.conf import settings

from accounts.client_setup import ClientSettings

_SETTING_NAMES = {
    "imap_host": "MAIL_CLIENT_IMAP_HOST",
    "imap_port": "MAIL_CLIENT_IMAP_PORT",
    "imap_security": "MAIL_CLIENT_IMAP_SECURITY",
    "smtp_host": "MAIL_CLIENT_SMTP_HOST",
    "smtp_port": "MAIL_CLIENT_SMTP_PORT",
    "smtp_security": "MAIL_CLIENT_SMTP_SECURITY",
    "dav_url": "MAIL_CLIENT_DAV_URL",
    "organisation": "MAIL_CLIENT_ORGANISATION",
}


def client_settings() -> ClientSettings:
    # getattr until settings.py defines these names (asked of the lead).
    overrides = {field: getattr(settings, name, None) for field, name in _SETTING_NAMES.items()}
    return ClientSettings.for_domain(settings.MAIL_DOMAIN, **overrides)
