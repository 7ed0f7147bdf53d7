from django import forms
from django.utils.translation import gettext_lazy as _

RIGHTS = [
    ("read", _("Can see the events")),
    ("write", _("Can see and change the events")),
]


class ShareForm(forms.Form):
    colleague = forms.CharField(
        label=_("Colleague"),
        max_length=254,
        help_text=_("Type a name and pick a colleague, or type their address."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "list": "colleague-suggestions", "spellcheck": "false"}
        ),
    )
    rights = forms.ChoiceField(
        label=_("Rights"), choices=RIGHTS, initial="read", widget=forms.RadioSelect
    )


class ShareRightsForm(forms.Form):
    rights = forms.ChoiceField(choices=RIGHTS)
