"""Forms of the accounts admin: create an account, change it, upload a CSV file."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts import time_zones
from accounts.models import Establishment, User
from accounts.provisioning import ProvisioningError, normalise_numen
from accounts.usernames import UsernameError, base_username

NAME_ERRORS = {
    "first_name": _("The first name needs at least one letter or digit (A to Z)."),
    "last_name": _("The last name needs at least one letter or digit (A to Z)."),
}


def clean_numen_field(value: str) -> str:
    """The normalised NUMEN, '' when left empty; a ValidationError that says why."""
    if not value:
        return ""
    try:
        return normalise_numen(value)
    except ProvisioningError as exc:
        raise forms.ValidationError(exc.user_message) from exc


class NumenInput(forms.TextInput):
    """The NUMEN is never shown back, not even after a form error."""

    def format_value(self, value):
        return None


class AccountAddForm(forms.Form):
    first_name = forms.CharField(label=_("first name"), max_length=150)
    last_name = forms.CharField(label=_("last name"), max_length=150)
    establishment = forms.ModelChoiceField(
        label=_("establishment"), queryset=Establishment.objects.all(), required=False
    )
    department = forms.CharField(label=_("department"), max_length=150, required=False)
    title = forms.CharField(label=_("role or title"), max_length=150, required=False)
    birth_date = forms.DateField(
        label=_("date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    backup_email = forms.EmailField(label=_("backup e-mail address"), required=False)
    numen = forms.CharField(
        label=_("NUMEN"),
        required=False,
        widget=NumenInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Optional, 13 letters and digits. It becomes the temporary password; "
            "without it a password is generated."
        ),
    )
    quota_mb = forms.IntegerField(
        label=_("mail quota (MB)"), min_value=1, initial=User._meta.get_field("quota_mb").default
    )

    def clean_numen(self) -> str:
        return clean_numen_field(self.cleaned_data["numen"])

    def clean(self):
        cleaned = super().clean()
        if "first_name" in cleaned and "last_name" in cleaned:
            try:
                base_username(cleaned["first_name"], cleaned["last_name"])
            except UsernameError as exc:
                self.add_error(exc.code, NAME_ERRORS[exc.code])
        return cleaned

    def to_session(self) -> dict:
        """The cleaned data as JSON-safe values, kept between the two steps."""
        data = dict(self.cleaned_data)
        data["establishment"] = data["establishment"].pk if data["establishment"] else None
        data["birth_date"] = data["birth_date"].isoformat() if data["birth_date"] else None
        return data


class AccountChangeForm(UserChangeForm):
    new_numen = forms.CharField(
        label=_("new NUMEN"),
        required=False,
        widget=NumenInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("The NUMEN is stored hashed and never shown. Type one to replace it."),
    )

    time_zone = forms.ChoiceField(
        label=_("time zone"),
        error_messages={"invalid_choice": _("“%(value)s” is not a time zone we know.")},
    )

    class Meta(UserChangeForm.Meta):
        model = User
        exclude = ["numen_hash"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zones.zone_choices()

    def clean_new_numen(self) -> str:
        return clean_numen_field(self.cleaned_data["new_numen"])


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: prenom, nom, numen, date_naissance, email_secours, uai, service, "
            "fonction (or first_name, last_name, numen, birth_date, backup_email, uai, "
            "department, title). UTF-8 or Windows-1252, separated by ; or ,."
        ),
    )

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload.read()
