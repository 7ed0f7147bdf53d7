from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AddressbookConfig(AppConfig):
    name = "addressbook"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from addressbook import signals  # noqa: F401  (connects the receivers)
