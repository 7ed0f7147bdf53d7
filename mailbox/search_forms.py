"""The search box and the advanced search form (GET forms: a search is a link).

Both give a searching.SearchQuery. What the user types goes to IMAP as strings in an
imapclient criteria list, never into a command line; still, control characters (a line
break would end an IMAP command) and over-long input are refused here, with the reason.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mailbox.models import Label
from mailbox.searching import MAX_WORDS, MIN_WORD_LENGTH, SearchQuery, words

MAX_TEXT_LENGTH = 200
MAX_SIZE_KB = 10 * 1024 * 1024  # 10 GB: far beyond any message, small enough for IMAP


class SearchTextField(forms.CharField):
    """Words to search: printable, at most MAX_WORDS words, each MIN_WORD_LENGTH long."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_length=MAX_TEXT_LENGTH, required=False, strip=True, **kwargs)
        self.error_messages["max_length"] = _(
            "Search for at most %(limit_value)d characters (this has %(show_value)d)."
        )

    def validate(self, value: str) -> None:
        super().validate(value)
        if any(not char.isprintable() for char in value):
            raise ValidationError(_("Search words cannot hold control characters or line breaks."))
        found = words(value)
        if len(found) > MAX_WORDS:
            raise ValidationError(_("Search for at most %(max)d words."), params={"max": MAX_WORDS})
        short = [word for word in found if len(word) < MIN_WORD_LENGTH]
        if short:
            raise ValidationError(
                _("Search words need at least %(min)d characters: “%(word)s” is too short."),
                params={"min": MIN_WORD_LENGTH, "word": short[0]},
            )


class QuickSearchForm(forms.Form):
    """The search box above the list: each word in the sender, recipients, subject or body."""

    q = SearchTextField(label=_("Search mail"))
    all_folders = forms.BooleanField(required=False, label=_("In all folders"))

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("q"):
            raise ValidationError(_("Type the words to search for."), code="empty")
        return cleaned

    def query(self) -> SearchQuery:
        data = self.cleaned_data
        return SearchQuery(text=data["q"], all_folders=data["all_folders"])


class AdvancedSearchForm(forms.Form):
    """Every condition is optional; at least one is needed, and all given must hold."""

    SCOPES = [("folder", _("This folder")), ("all", _("All folders"))]

    sender = SearchTextField(label=_("From"))
    recipient = SearchTextField(label=_("To"))
    subject = SearchTextField(label=_("Subject"))
    body = SearchTextField(label=_("Words in the message or its attachments"))
    since = forms.DateField(
        required=False, label=_("From date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label=_("To date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    has_attachment = forms.BooleanField(required=False, label=_("Has attachments"))
    larger_than_kb = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_SIZE_KB, label=_("Larger than (KB)")
    )
    smaller_than_kb = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_SIZE_KB, label=_("Smaller than (KB)")
    )
    flagged = forms.BooleanField(required=False, label=_("Flagged"))
    unread = forms.BooleanField(required=False, label=_("Unread"))
    label = forms.ModelChoiceField(
        queryset=Label.objects.none(),
        required=False,
        label=_("Label"),
        empty_label=_("Any label"),
        error_messages={"invalid_choice": _("This label does not exist.")},
    )
    scope = forms.ChoiceField(
        choices=SCOPES,
        initial="folder",
        required=False,  # this folder unless told otherwise
        widget=forms.RadioSelect,
        label=_("Search in"),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        # Only the user's own labels: another user's label id is "not a choice".
        self.fields["label"].queryset = Label.objects.filter(user=user)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        larger, smaller = cleaned.get("larger_than_kb"), cleaned.get("smaller_than_kb")
        if larger is not None and smaller is not None and larger >= smaller:
            self.add_error("smaller_than_kb", _("No message can be both larger and smaller."))
        if not self.errors and self.query().is_empty:
            raise ValidationError(_("Fill in at least one condition to search."), code="empty")
        return cleaned

    def query(self) -> SearchQuery:
        data = self.cleaned_data
        label = data.get("label")
        return SearchQuery(
            sender=data.get("sender", ""),
            recipient=data.get("recipient", ""),
            subject=data.get("subject", ""),
            body=data.get("body", ""),
            since=data.get("since"),
            until=data.get("until"),
            has_attachment=bool(data.get("has_attachment")),
            larger_than=_bytes(data.get("larger_than_kb")),
            smaller_than=_bytes(data.get("smaller_than_kb")),
            flagged=bool(data.get("flagged")),
            unread=bool(data.get("unread")),
            keyword=label.keyword if label else "",
            all_folders=data.get("scope") == "all",
        )


def _bytes(kilobytes: int | None) -> int | None:
    return None if kilobytes is None else kilobytes * 1024
