"""The identity settings form: the address is one of the user's own, never typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mailbox.models import Identity, sendable_addresses


class IdentityForm(forms.ModelForm):
    class Meta:
        model = Identity
        fields = ["address", "display_name", "signature", "is_default"]
        widgets = {"signature": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "signature": _("Added under your messages, after a line “-- ”. Plain text."),
            "is_default": _("Chosen first when you write a message."),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address"] = forms.ChoiceField(
            label=_("Address"), choices=[(a, a) for a in sendable_addresses(user)]
        )

    def clean_display_name(self) -> str:
        # One line: the name goes into the From header.
        return " ".join(self.cleaned_data["display_name"].split())
