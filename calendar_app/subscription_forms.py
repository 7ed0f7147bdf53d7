from django import forms
from django.utils.translation import gettext_lazy as _

from calendar_app import grid

MAX_IMPORT_BYTES = 10_000_000


class SubscriptionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    url = forms.CharField(
        label=_("Address of the calendar (.ics)"),
        max_length=2000,
        help_text=_("An http, https or webcal address published by the school, a council…"),
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )
    color = forms.ChoiceField(
        label=_("Colour"),
        choices=[(hex_color, hex_color) for hex_color in grid.PALETTE],
        initial=grid.PALETTE[2],
        widget=forms.RadioSelect,
    )


class ImportForm(forms.Form):
    calendar = forms.ChoiceField(label=_("Into the calendar"))
    file = forms.FileField(label=_("iCalendar file (.ics)"))
    replace = forms.BooleanField(
        label=_("Replace the events already in the calendar (same UID)"), required=False
    )

    def __init__(self, *args, calendars=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calendar"].choices = [(c.id, c.name) for c in calendars]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
