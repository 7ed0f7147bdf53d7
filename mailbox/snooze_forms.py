"""The snooze menu's form: the selected messages and when they come back."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mailbox.forms import MessageSelectionForm
from mailbox.snooze_times import is_acceptable, preset_times

PRESET_LABELS = {
    "later_today": _("Later today"),
    "tomorrow": _("Tomorrow morning"),
    "next_week": _("Next Monday morning"),
}
CUSTOM = "custom"
# What <input type="datetime-local"> sends.
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class SnoozeForm(MessageSelectionForm):
    """preset: one of PRESET_LABELS, or "custom" with `until` typed in the user's time
    zone. cleaned_data["wake_at"] is the aware time the messages come back."""

    preset = forms.ChoiceField(
        choices=[*PRESET_LABELS.items(), (CUSTOM, _("Chosen date and time"))],
        error_messages={
            "required": _("Choose when the messages should come back."),
            "invalid_choice": _("Choose when the messages should come back."),
        },
    )
    until = forms.DateTimeField(
        required=False,
        input_formats=[DATETIME_LOCAL_FORMAT],
        error_messages={"invalid": _("Enter a date and a time, such as 24/11/2026 08:00.")},
    )

    def clean(self):
        cleaned = super().clean()
        preset = cleaned.get("preset")
        if self.errors or not preset:
            return cleaned
        now = timezone.localtime()
        if preset == CUSTOM:
            if cleaned.get("until") is None:
                raise ValidationError(_("Choose the date and time the messages come back."))
            wake_at = cleaned["until"]  # read in the user's (current) time zone
        else:
            wake_at = preset_times(now).get(preset)
        if wake_at is None or not is_acceptable(wake_at, now):
            raise ValidationError(_("Choose a time in the future, within a year."))
        cleaned["wake_at"] = wake_at
        return cleaned
