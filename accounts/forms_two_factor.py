"""Forms of the two-factor pages. Codes are never echoed back into a re-shown form."""

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a backup code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        error_messages={"required": _("Type the code shown in your app.")},
    )


class EnrolmentCodeForm(CodeForm):
    """Only the app's code will do here: the backup codes do not exist yet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("6-digit code shown by the app")
        code.widget.attrs["inputmode"] = "numeric"
        code.error_messages["required"] = _("Type the 6-digit code shown in your app.")


class VerifyForm(CodeForm):
    trust_browser = forms.BooleanField(
        label=_("Trust this browser for 30 days (not on a shared computer)"), required=False
    )
