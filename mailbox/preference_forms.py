"""Forms for the user's mail preferences and the list's order control."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mailbox.models import MailPreferences
from mailbox.services.listing import ListOrder

DIRECTIONS = [("desc", _("Descending")), ("asc", _("Ascending"))]


class ListOrderForm(forms.Form):
    """The order control above the message list."""

    sort_key = forms.ChoiceField(label=_("Sort by"), choices=MailPreferences.SortKey.choices)
    direction = forms.ChoiceField(label=_("Order"), choices=DIRECTIONS)

    def as_fields(self) -> dict:
        """The MailPreferences fields this form sets."""
        return {
            "sort_key": self.cleaned_data["sort_key"],
            "sort_descending": self.cleaned_data["direction"] == "desc",
        }


class MailPreferencesForm(forms.ModelForm):
    """The preferences page: rows per page, order, conversation view."""

    direction = forms.ChoiceField(label=_("Order"), choices=DIRECTIONS)

    class Meta:
        model = MailPreferences
        fields = ["page_size", "sort_key", "conversations", "open_next_after_action"]
        labels = {
            "page_size": _("Messages per page"),
            "sort_key": _("Sort by"),
            "conversations": _("Group messages into conversations"),
            "open_next_after_action": _(
                "After archiving, deleting or moving an open message, open the next one"
            ),
        }
        help_texts = {
            "sort_key": _("Arrival order is the fastest on very large folders."),
            "conversations": _("One row per conversation: its latest message, and how many."),
            "open_next_after_action": _("Otherwise the list is shown again."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["direction"].initial = "desc" if self.instance.sort_descending else "asc"
        self.order_fields(
            ["page_size", "sort_key", "direction", "conversations", "open_next_after_action"]
        )

    def save(self, commit: bool = True) -> MailPreferences:
        """Save through update_or_create: two quick posts may race to create the row."""
        self.instance.sort_descending = self.cleaned_data["direction"] == "desc"
        fields = {
            name: getattr(self.instance, name) for name in (*self.Meta.fields, "sort_descending")
        }
        preferences, _created = MailPreferences.objects.update_or_create(
            user=self.instance.user, defaults=fields
        )
        # The user was read with their preferences (accounts/backends.py): keep them current.
        self.instance.user.mail_preferences = preferences
        return preferences


def list_order(preferences: MailPreferences) -> ListOrder:
    """The listing service's view of the preferences."""
    return ListOrder(
        key=preferences.sort_key,
        descending=preferences.sort_descending,
        conversations=preferences.conversations,
        page_size=preferences.page_size,
    )
