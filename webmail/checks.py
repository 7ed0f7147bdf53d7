"""System checks that catch a broken deployment at start-up."""

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.checks import Error, Tags, register


@register()
def check_mailbox_app_is_ours(app_configs, **kwargs):
    """Our `mailbox` app must shadow the stdlib module (STYLE.md §2)."""
    import mailbox

    location = Path(getattr(mailbox, "__file__", "") or "").resolve()
    if not location.is_relative_to(settings.BASE_DIR):
        return [
            Error(
                f"'mailbox' was imported from {location}, not from this project.",
                hint="PYTHONPATH must start with the repository root (PYTHONPATH=.).",
                id="webmail.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_master_password(app_configs, **kwargs):
    if len(settings.MAIL_MASTER_PASSWORD) < 16:
        return [
            checks.Warning(
                "MAIL_MASTER_PASSWORD is missing or shorter than 16 characters.",
                hint="Set a long random secret, shared with Dovecot's master-users file.",
                id="webmail.W001",
            )
        ]
    return []
