from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Connect the login/logout and lockout signal receivers.
        from accounts import lockouts, web_sessions  # noqa: F401
