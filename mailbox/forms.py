from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class PageForm(forms.Form):
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False)

    def page_number(self) -> int:
        if self.is_valid():
            return self.cleaned_data["page"] or 1
        return 1


# A page shows 50 rows; "all in folder" goes through all_in_folder, not through a list.
MAX_SELECTED_MESSAGES = 500
# A conversation's checkbox carries all its UIDs ("3,7,12"): a page of long conversations
# selects more messages than rows, within what one IMAP command line takes.
MAX_SELECTED_UIDS = 5000
MAX_UID = 2**32 - 1  # UIDs are 32-bit unsigned numbers (RFC 3501)


class UidListField(forms.Field):
    """The checked message UIDs (repeated 'uids' fields), each a positive 32-bit number,
    or, for a conversation's row, its UIDs joined by commas."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("“%(value)s” is not a message number."),
        "too_many": _("Select at most %(max)s messages, or choose all messages in the folder."),
        "too_many_in_conversations": _(
            "These conversations hold more than %(max)s messages: select fewer of them."
        ),
    }

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        if len(value) > MAX_SELECTED_MESSAGES:
            raise ValidationError(
                self.error_messages["too_many"],
                code="too_many",
                params={"max": MAX_SELECTED_MESSAGES},
            )
        items = [part for item in value for part in str(item).split(",")]
        if len(items) > MAX_SELECTED_UIDS:
            raise ValidationError(
                self.error_messages["too_many_in_conversations"],
                code="too_many",
                params={"max": MAX_SELECTED_UIDS},
            )
        # A message ticked twice (its row and its conversation's) is acted on once.
        return list(dict.fromkeys(self._uid(item) for item in items))

    def _uid(self, text: str) -> int:
        # isascii + isdigit: refuses "-1", " 1", "1e3" and non-ASCII digits that int() takes.
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_UID:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": text[:20]}
            )
        return int(text)


MAX_LIST_POSITION = 10_000_000
RESULTS_KEY_PATTERN = r"^[0-9a-f]{16}\Z"  # services/list_context.results_token


class ListPlaceForm(forms.Form):
    """Where the message page was opened from (mailbox/message_links.py). A wrong value
    is dropped, not an error: the page then shows no previous/next links."""

    pos = forms.IntegerField(min_value=0, max_value=MAX_LIST_POSITION, required=False)

    def __init__(self, data) -> None:
        super().__init__(data)
        self.fields["in"] = forms.RegexField(RESULTS_KEY_PATTERN, required=False)  # a keyword

    def place(self) -> tuple[int | None, str]:
        """(position, results token), each None or "" when absent or invalid."""
        self.is_valid()
        cleaned = self.cleaned_data
        return cleaned.get("pos"), cleaned.get("in") or ""


class MessageSelectionForm(forms.Form):
    """The messages an action applies to: the checked ones, or all in the folder."""

    uids = UidListField(required=False)
    all_in_folder = forms.BooleanField(required=False)
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False)
    # Sent by the message page, so that flagging there comes back to the message.
    back_to_message = forms.BooleanField(required=False)
    # With all_in_folder: only messages up to this UID, the ones the user was shown
    # (mail that arrives after the confirmation page is not deleted with the rest).
    up_to_uid = forms.IntegerField(min_value=1, max_value=MAX_UID, required=False)
    # Sent by the message page: where the message stood in the list it was opened from,
    # and which message takes its place there once it is moved away (opened next if the
    # user chose so in their preferences).
    list_position = forms.IntegerField(min_value=0, max_value=MAX_LIST_POSITION, required=False)
    results = forms.RegexField(RESULTS_KEY_PATTERN, required=False)
    advance_to = forms.IntegerField(min_value=1, max_value=MAX_UID, required=False)
    advance_position = forms.IntegerField(min_value=0, max_value=MAX_LIST_POSITION, required=False)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("uids") and not cleaned.get("all_in_folder"):
            raise ValidationError(_("Select at least one message."), code="empty")
        return cleaned


class MoveForm(MessageSelectionForm):
    target = forms.ChoiceField(
        error_messages={
            "required": _("Choose the folder to move the messages to."),
            "invalid_choice": _("This folder does not exist."),
        }
    )

    def __init__(self, data, folders, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["target"].choices = [(f.name, f.name) for f in folders]
