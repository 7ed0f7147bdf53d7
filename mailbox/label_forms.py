"""Forms for labels: a label's name and colour, and the label an action applies."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mailbox.forms import MessageSelectionForm
from mailbox.models import Label

# Dovecot's Maildir writes at most 26 keywords per folder into the file names (one letter
# each); more live only in its index and are lost if the index is rebuilt. This leaves
# room for the keywords that other mail clients set.
MAX_LABELS_PER_USER = 20


class LabelForm(forms.ModelForm):
    """Name and colour of a new or existing label of `user`; names are unique per user,
    without regard to case ("Parents" and "parents" would look the same in a list).
    """

    class Meta:
        model = Label
        fields = ["name", "colour"]
        widgets = {"colour": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["name"].error_messages["required"] = _("Give the label a name.")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name or any(not char.isprintable() for char in name):
            raise ValidationError(_("A label name cannot hold control characters."))
        others = Label.objects.filter(user=self.user, name__iexact=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(_("You already have a label with this name."), code="exists")
        return name

    def clean(self):
        cleaned = super().clean()
        if (
            not self.instance.pk
            and Label.objects.filter(user=self.user).count() >= MAX_LABELS_PER_USER
        ):
            raise ValidationError(
                _("You can have at most %(max)s labels. Delete one you no longer use first."),
                code="too_many",
                params={"max": MAX_LABELS_PER_USER},
            )
        return cleaned


class LabelChoiceForm(MessageSelectionForm):
    """The selected messages and one of the user's own labels."""

    label = forms.ModelChoiceField(
        queryset=Label.objects.none(),
        error_messages={
            "required": _("Choose a label."),
            "invalid_choice": _("This label does not exist (any more)."),
        },
    )

    def __init__(self, data, user, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["label"].queryset = Label.objects.filter(user=user)
