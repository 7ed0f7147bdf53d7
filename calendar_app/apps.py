from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarAppConfig(AppConfig):
    name = "calendar_app"
    verbose_name = _("Calendar")

    def ready(self) -> None:
        # Connects the reminders to calendar writes (dav.calendars_written).
        from calendar_app import reminders  # noqa: F401
