"""Forms of the profile page."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from accounts import time_zones


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the interface"), choices=settings.LANGUAGES)


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Dates and times of your mail, calendar and reminders are shown in it."),
        error_messages={
            "invalid_choice": _("“%(value)s” is not a time zone we know. Pick one in the list.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The tz database is read here, not at import, so the list follows tzdata updates.
        self.fields["time_zone"].choices = time_zones.zone_choices()
        # The template's help paragraph has this id (two_factor/partials/field.html).
        self.fields["time_zone"].widget.attrs["aria-describedby"] = "id_time_zone_help"


class AppPasswordForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the device or program"),
        max_length=100,
        help_text=_("For example “Thunderbird at home” or “Phone”."),
        error_messages={"required": _("Give it a name, so you can recognise it later.")},
    )


class ProfilePasswordForm(PasswordChangeForm):
    """Django's form (current password required, AUTH_PASSWORD_VALIDATORS applied), without
    the autofocus that would scroll the profile page to it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
