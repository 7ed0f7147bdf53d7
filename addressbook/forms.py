from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Establishment


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the directory"),
        max_length=100,
        required=False,
        help_text=_("First name, last name or address; accents do not matter."),
    )
    establishment = forms.ModelChoiceField(
        label=_("Establishment"),
        queryset=Establishment.objects.order_by("name"),
        required=False,
        empty_label=_("All establishments"),
    )
