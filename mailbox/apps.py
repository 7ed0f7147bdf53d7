from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailboxConfig(AppConfig):
    name = "mailbox"
    verbose_name = _("Mail")

    def ready(self):
        from mailbox import signals  # noqa: F401  (connects the receivers)
