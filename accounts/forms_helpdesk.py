"""Forms of the helpdesk pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, username, establishment or UAI"),
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autofocus": True}),
    )


class ResetPasswordForm(forms.Form):
    show_on_screen = forms.BooleanField(
        label=_("Show the temporary password on this screen (once)"), required=False, initial=True
    )
    send_to_backup = forms.BooleanField(
        label=_("Send it to the account's backup address"), required=False
    )

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("send_to_backup") and not self.account.backup_email:
            self.add_error("send_to_backup", _("This account has no backup address to send to."))
        elif not cleaned.get("show_on_screen") and not cleaned.get("send_to_backup"):
            raise forms.ValidationError(
                _("Choose how the person will get the password: on screen, by mail, or both.")
            )
        return cleaned
