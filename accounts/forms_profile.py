"""Forms of the profile page."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the interface"), choices=settings.LANGUAGES)


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
