"""The compose form: every field checked, nothing the person typed lost on an error."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mailbox.composing import Draft, InvalidAddress, html_to_text, one_line, parse_address_list
from mailbox.models import Identity
from mailbox.parsing import Address
from mailbox.sanitize import sanitize_html

DRAFT_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MESSAGE_ID = re.compile(r"^<[^<>\s@]+@[^<>\s@]+>$")
MAX_BODY_CHARS = 2_000_000
MAX_RECIPIENTS = 500
MAX_SCHEDULE_DAYS = 365


class AddressListField(forms.CharField):
    """A To/Cc/Bcc field: addresses separated by commas; each one is checked."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20_000)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"autocomplete": "off", "spellcheck": "false", "data-recipients": ""}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value) -> list[Address]:
        text = super().clean(value)
        try:
            addresses = parse_address_list(text)
        except InvalidAddress as exc:
            raise ValidationError(
                _("“%(address)s” is not a valid e-mail address. Correct it or remove it."),
                code="invalid_address",
                params={"address": exc.address},
            ) from exc
        return addresses


class ComposeForm(forms.Form):
    MODE_HTML, MODE_TEXT = "html", "text"

    draft_key = forms.CharField(widget=forms.HiddenInput)
    identity = forms.TypedChoiceField(label=_("From"), coerce=int)
    to = AddressListField(label=_("To"))
    cc = AddressListField(label=_("Cc"))
    bcc = AddressListField(label=_("Bcc"))
    subject = forms.CharField(label=_("Subject"), required=False, max_length=998)
    mode = forms.ChoiceField(
        choices=[(MODE_TEXT, _("Plain text")), (MODE_HTML, _("Formatted text"))],
        initial=MODE_TEXT,
        widget=forms.HiddenInput,
    )
    body = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 16}),
    )
    # Filled by the rich-text editor (static/js/compose.js); sanitised before use.
    body_html = forms.CharField(required=False, max_length=MAX_BODY_CHARS, widget=forms.HiddenInput)
    message_id = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput)
    in_reply_to = forms.CharField(required=False, max_length=998, widget=forms.HiddenInput)
    references = forms.CharField(required=False, max_length=8000, widget=forms.HiddenInput)
    # "<action> <uid> <folder>" of the message replied to or forwarded.
    original = forms.CharField(required=False, max_length=1100, widget=forms.HiddenInput)
    send_at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, user, identities: list[Identity], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.identities = {identity.pk: identity for identity in identities}
        self.fields["identity"].choices = [(i.pk, str(i)) for i in identities]

    def clean_draft_key(self) -> str:
        key = self.cleaned_data["draft_key"]
        if not DRAFT_KEY.match(key):
            raise ValidationError(_("This compose window is not valid any more. Reload the page."))
        return key

    def clean_message_id(self) -> str:
        """Kept from the first version of the draft; a malformed one is replaced."""
        message_id = one_line(self.cleaned_data["message_id"])
        return message_id if MESSAGE_ID.match(message_id) else ""

    def clean_original(self) -> str:
        original = one_line(self.cleaned_data["original"])
        if original and not re.match(r"^(reply|forward|forward-attachment) \d+ .+$", original):
            return ""
        return original

    def clean(self):
        cleaned = super().clean()
        count = sum(len(cleaned.get(name) or []) for name in ("to", "cc", "bcc"))
        if count > MAX_RECIPIENTS:
            raise ValidationError(
                _("A message can go to at most %(max)s recipients."),
                params={"max": MAX_RECIPIENTS},
            )
        return cleaned

    def require_recipient(self) -> bool:
        """For sending (a draft may have none): add the error and say False if empty."""
        if self.is_valid() and not any(self.cleaned_data[n] for n in ("to", "cc", "bcc")):
            self.add_error("to", _("Add at least one recipient."))
        return self.is_valid()

    def scheduled_time(self) -> datetime | None:
        """For "send later": the chosen time, or None with the error added."""
        when = self.cleaned_data.get("send_at") if self.is_valid() else None
        now = timezone.now()
        if when is None or when <= now + timedelta(minutes=1):
            self.add_error("send_at", _("Choose a date and time in the future."))
            return None
        if when > now + timedelta(days=MAX_SCHEDULE_DAYS):
            self.add_error(
                "send_at",
                _("A message can be scheduled at most %(days)s days ahead.")
                % {"days": MAX_SCHEDULE_DAYS},
            )
            return None
        return when

    def chosen_identity(self) -> Identity:
        return self.identities[self.cleaned_data["identity"]]

    def draft(self) -> Draft:
        """The checked content; the From address is always one of the user's identities."""
        data = self.cleaned_data
        identity = self.chosen_identity()
        html = None
        text = data["body"]
        if data["mode"] == self.MODE_HTML:
            html = sanitize_html(data["body_html"], allow_remote_images=True).html
            text = html_to_text(html)
        return Draft(
            sender=Address(identity.display_name, identity.address),
            to=data["to"],
            cc=data["cc"],
            bcc=data["bcc"],
            subject=one_line(data["subject"]),
            text=text.replace("\r\n", "\n"),
            html=html,
            in_reply_to=data["in_reply_to"],
            references=data["references"],
            message_id=data["message_id"],
            draft_key=data["draft_key"],
            original=data["original"],
        )
