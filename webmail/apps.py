from django.apps import AppConfig


class WebmailConfig(AppConfig):
    name = "webmail"
    verbose_name = "Webmail"

    def ready(self) -> None:
        from webmail import checks  # noqa: F401  (registers the system checks)
