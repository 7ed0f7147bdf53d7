"""Forms of the personal contacts pages."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from addressbook import vcards

MIN_SLOTS = 2
MAX_SLOTS = 20
EMAIL_TYPE_CHOICES = [
    ("work", pgettext_lazy("e-mail or phone type", "Work")),
    ("home", pgettext_lazy("e-mail or phone type", "Home")),
    ("other", pgettext_lazy("e-mail or phone type", "Other")),
]
PHONE_TYPE_CHOICES = [
    ("cell", _("Mobile")),
    ("work", pgettext_lazy("e-mail or phone type", "Work")),
    ("home", pgettext_lazy("e-mail or phone type", "Home")),
    ("fax", _("Fax")),
    ("other", pgettext_lazy("e-mail or phone type", "Other")),
]
MAX_IMPORT_BYTES = 10 * 1024 * 1024
_PHONE = re.compile(r"^[0-9+().\s/-]{2,40}$")
_SLOT = re.compile(r"^(email|phone)_(\d+)_value$")


class ContactForm(forms.Form):
    """A contact's fields; e-mail addresses and phones come as numbered slots
    (email_0_type, email_0_value, …), one empty slot more than used."""

    given_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    formatted_name = forms.CharField(
        label=_("Display name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the first and last names."),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    title = forms.CharField(label=_("Role or title"), max_length=200, required=False)
    street = forms.CharField(label=_("Street"), max_length=300, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    country = forms.CharField(label=_("Country"), max_length=100, required=False)
    note = forms.CharField(
        label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    categories = forms.CharField(
        label=_("Categories"),
        max_length=500,
        required=False,
        help_text=_("Separated by commas, e.g. “Colleagues, Parents”."),
    )
    photo = forms.ImageField(label=_("Photo"), required=False)
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)
    # The version of the card the form was filled from: saving over a newer one is refused.
    etag = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args, contact: vcards.Contact | None = None, **kwargs) -> None:
        data = kwargs.get("data") if "data" in kwargs else (args[0] if args else None)
        if contact is not None and data is None:
            kwargs["initial"] = {**initial_from(contact), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        source = data if data is not None else kwargs.get("initial", {})
        self.email_slots = _slot_count(source, "email")
        self.phone_slots = _slot_count(source, "phone")
        for index in range(self.email_slots):
            self.fields[f"email_{index}_type"] = forms.ChoiceField(
                label=_("Type"), choices=EMAIL_TYPE_CHOICES, required=False
            )
            self.fields[f"email_{index}_value"] = forms.CharField(
                label=_("E-mail address"), max_length=320, required=False
            )
        for index in range(self.phone_slots):
            self.fields[f"phone_{index}_type"] = forms.ChoiceField(
                label=_("Type"), choices=PHONE_TYPE_CHOICES, required=False
            )
            self.fields[f"phone_{index}_value"] = forms.CharField(
                label=_("Phone"), max_length=40, required=False
            )

    def email_rows(self):
        return [
            (self[f"email_{i}_type"], self[f"email_{i}_value"]) for i in range(self.email_slots)
        ]

    def phone_rows(self):
        return [
            (self[f"phone_{i}_type"], self[f"phone_{i}_value"]) for i in range(self.phone_slots)
        ]

    def clean(self):
        data = super().clean()
        for index in range(self.email_slots):
            value = (data.get(f"email_{index}_value") or "").strip()
            if value:
                try:
                    validate_email(value)
                except forms.ValidationError:
                    self.add_error(f"email_{index}_value", _("This is not an e-mail address."))
        for index in range(self.phone_slots):
            value = (data.get(f"phone_{index}_value") or "").strip()
            if value and not _PHONE.match(value):
                self.add_error(f"phone_{index}_value", _("Digits, spaces, + ( ) . - / only."))
        names = ("given_name", "family_name", "formatted_name", "organisation")
        has_email = any(data.get(f"email_{i}_value") for i in range(self.email_slots))
        if not any(data.get(name) for name in names) and not has_email:
            raise forms.ValidationError(_("Give at least a name or an e-mail address."))
        return data

    def contact(self, uid: str = "") -> vcards.Contact:
        data = self.cleaned_data
        emails = [
            (data.get(f"email_{i}_type") or "other", data[f"email_{i}_value"].strip().lower())
            for i in range(self.email_slots)
            if (data.get(f"email_{i}_value") or "").strip()
        ]
        phones = [
            (data.get(f"phone_{i}_type") or "other", data[f"phone_{i}_value"].strip())
            for i in range(self.phone_slots)
            if (data.get(f"phone_{i}_value") or "").strip()
        ]
        categories = [c.strip()[:60] for c in data["categories"].split(",") if c.strip()]
        given, family = data["given_name"].strip(), data["family_name"].strip()
        return vcards.Contact(
            uid=uid,
            formatted_name=data["formatted_name"].strip()
            or " ".join(p for p in (given, family) if p),
            given_name=given,
            family_name=family,
            emails=tuple(emails),
            phones=tuple(phones),
            organisation=data["organisation"].strip(),
            title=data["title"].strip(),
            address=vcards.Address(
                street=data["street"].strip(),
                city=data["city"].strip(),
                postcode=data["postcode"].strip(),
                region=data["region"].strip(),
                country=data["country"].strip(),
            ),
            note=data["note"].strip(),
            categories=tuple(dict.fromkeys(categories)),
        )


def initial_from(contact: vcards.Contact) -> dict[str, str]:
    joined = " ".join(p for p in (contact.given_name, contact.family_name) if p)
    initial = {
        "given_name": contact.given_name,
        "family_name": contact.family_name,
        "formatted_name": "" if contact.formatted_name == joined else contact.formatted_name,
        "organisation": contact.organisation,
        "title": contact.title,
        "street": contact.address.street,
        "postcode": contact.address.postcode,
        "city": contact.address.city,
        "region": contact.address.region,
        "country": contact.address.country,
        "note": contact.note,
        "categories": ", ".join(contact.categories),
    }
    for index, (kind, value) in enumerate(contact.emails):
        initial[f"email_{index}_type"], initial[f"email_{index}_value"] = kind, value
    for index, (kind, value) in enumerate(contact.phones):
        initial[f"phone_{index}_type"], initial[f"phone_{index}_value"] = kind, value
    return initial


def _slot_count(source, kind: str) -> int:
    used = [
        int(match.group(2))
        for key in (source or {})
        if (match := _SLOT.match(key)) and match.group(1) == kind and source.get(key)
    ]
    return min(MAX_SLOTS, max(MIN_SLOTS, max(used, default=-1) + 2))


class ContactSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    category = forms.CharField(label=_("Category"), max_length=60, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("vCard file (.vcf)"),
        help_text=_("vCard 2.1, 3.0 or 4.0, one or many contacts; up to 10 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("This file is larger than 10 MB."))
        return upload


class ExportForm(forms.Form):
    version = forms.ChoiceField(
        label=_("vCard version"),
        choices=[("3.0", "vCard 3.0"), ("4.0", "vCard 4.0")],
        required=False,
    )


class MergeForm(forms.Form):
    """Which contact each field is taken from (index in the group); e-mail addresses,
    phones and categories of all of them are always kept."""

    def __init__(self, *args, options: dict[str, list[tuple[int, str]]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in options.items():
            self.fields[name] = forms.TypedChoiceField(
                choices=choices, coerce=int, widget=forms.RadioSelect, initial=choices[0][0]
            )
