"""The attendees of the event form, and the answer to an invitation."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from calendar_app import invitations, itip
from mailbox.composing import InvalidAddress, parse_address_list


class AttendeesMixin(forms.Form):
    """The people to invite, as in a To field; the event form inherits it."""

    attendees = forms.CharField(
        label=_("Attendees"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 2, "data-attendees": ""}),
        help_text=_("Addresses separated by commas: each one receives an invitation by e-mail."),
    )

    def clean_attendees(self):
        """The addresses (mailbox.parsing.Address); None when the field is disabled
        (an event someone else organises)."""
        if self.fields["attendees"].disabled:
            return None
        try:
            found = parse_address_list(self.cleaned_data["attendees"])
        except InvalidAddress as exc:
            raise ValidationError(
                _("“%(address)s” is not a valid address."), params={"address": exc.address}
            ) from exc
        if len(found) > invitations.MAX_ATTENDEES:
            raise ValidationError(
                _("Invite at most %(count)d people."), params={"count": invitations.MAX_ATTENDEES}
            )
        return found


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[(a, a) for a in itip.ANSWERS])
