"""The form of a personal group: its name and members chosen among the user's contacts."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from addressbook import contacts, vcards
from addressbook.models import ContactIndex


class ContactChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ContactIndex) -> str:
        return f"{obj.display_name} <{obj.primary_email}>"


class GroupForm(forms.Form):
    """Members are the ticked contacts (those with an e-mail address), plus everyone in
    the category chosen, if any."""

    name = forms.CharField(label=_("Group name"), max_length=200)
    members = ContactChoiceField(
        label=_("Members"),
        queryset=ContactIndex.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    category = forms.ChoiceField(label=_("Also add every contact of the category"), required=False)
    # The version of the card the form was filled from: saving over a newer one is refused.
    etag = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["members"].queryset = (
            ContactIndex.objects.filter(user=user).exclude(kind=vcards.GROUP).exclude(emails=[])
        )
        self.fields["category"].choices = [("", "—")] + [
            (name, name) for name in contacts.category_names(user)
        ]

    def clean(self):
        data = super().clean()
        chosen = list(data.get("members") or [])
        if data.get("category"):
            in_category = self.fields["members"].queryset.filter(categories__name=data["category"])
            chosen += [entry for entry in in_category if entry not in chosen]
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Choose at least one contact with an e-mail address."))
        data["chosen"] = chosen
        return data
