"""Forms of the attachment endpoints: what the compose page's script sends."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LargeFileStartForm(forms.Form):
    filename = forms.CharField(max_length=1000)
    size = forms.IntegerField(min_value=1)
    content_type = forms.CharField(max_length=255, required=False)
    link_days = forms.IntegerField(
        label=_("Link works for (days)"),
        min_value=1,
        max_value=settings.LARGE_FILE_LINK_MAX_DAYS,
        initial=settings.LARGE_FILE_LINK_DAYS,
    )
    password = forms.CharField(
        label=_("Password for the link (optional)"),
        required=False,
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
    )


class LinkPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Password"), max_length=128, strip=False, widget=forms.PasswordInput
    )
