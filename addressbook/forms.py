from django import forms
from django.utils.translation import gettext_lazy as _


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Search the directory"), max_length=100, required=False)
