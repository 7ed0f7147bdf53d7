"""Forms of the rules and out-of-office pages, turned into mailbox.sieve_rules objects."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mailbox import sieve_rules
from mailbox.sieve_rules import Action, Condition, Forwarding, Rule, Vacation

FIELD_CHOICES = [
    ("from", _("From")),
    ("to_cc", _("To or Cc")),
    ("subject", _("Subject")),
    ("header", _("Another header")),
    ("size", _("Size (KB)")),
]
MATCH_CHOICES = [
    ("contains", _("contains")),
    ("is", _("is")),
    ("matches", _("matches (* and ?)")),
    ("over", _("is over")),
    ("under", _("is under")),
]
ACTION_CHOICES = [
    ("move", _("Move to folder")),
    ("label", _("Add the label")),
    ("mark_read", _("Mark as read")),
    ("forward", _("Forward to")),
    ("forward_copy", _("Forward a copy to")),
    ("keep", _("Keep a copy in the inbox")),
    ("discard", _("Delete for good")),
    ("stop", _("Stop here (no further rules)")),
]
MAX_ROWS = 10


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name of the rule"), max_length=80)
    match_all = forms.TypedChoiceField(
        label=_("Apply when"),
        choices=[("1", _("all the conditions are met")), ("0", _("any condition is met"))],
        coerce=lambda value: value == "1",
        initial="1",
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)


class ConditionForm(forms.Form):
    field = forms.ChoiceField(label=_("Field"), choices=FIELD_CHOICES)
    header_name = forms.CharField(label=_("Header name"), max_length=76, required=False)
    match = forms.ChoiceField(label=_("Comparison"), choices=MATCH_CHOICES)
    value = forms.CharField(label=_("Value"), max_length=500)

    def has_changed(self) -> bool:
        """A row without a value is an empty row: ignored."""
        return bool(str(self.data.get(self.add_prefix("value"), "")).strip())

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        condition = Condition(data["field"], data["match"], data["value"], data["header_name"])
        if data["field"] == "size" and data["match"] not in sieve_rules.SIZE_MATCHES:
            raise ValidationError(_("Compare a size with “is over” or “is under”."))
        if data["field"] != "size" and data["match"] in sieve_rules.SIZE_MATCHES:
            raise ValidationError(_("“is over” and “is under” are for the size."))
        try:
            condition.validate()
        except sieve_rules.RuleError:
            if data["field"] == "size":
                raise ValidationError(_("Give the size as a whole number of KB.")) from None
            if data["field"] == "header":
                raise ValidationError(
                    _("Give the header's name, e.g. X-Priority (no spaces or colon).")
                ) from None
            raise ValidationError(_("The value must fit on one line.")) from None
        data["condition"] = condition
        return data


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Action"), choices=[("", "—"), *ACTION_CHOICES])
    folder = forms.ChoiceField(label=_("Folder"), required=False)
    label = forms.ChoiceField(label=_("Label"), required=False)
    address = forms.EmailField(label=_("Address"), required=False)

    def __init__(self, *args, folders=(), labels=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["folder"].choices = [("", "—"), *[(name, name) for name in folders]]
        self.fields["label"].choices = [("", "—"), *[(kw, name) for kw, name in labels]]

    def has_changed(self) -> bool:
        """A row without an action ("—") is an empty row: ignored."""
        return bool(self.data.get(self.add_prefix("kind")))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        kind = data["kind"]
        argument = {
            "move": data.get("folder"),
            "label": data.get("label"),
            "forward": data.get("address"),
            "forward_copy": data.get("address"),
        }.get(kind, "")
        if kind in sieve_rules.ACTIONS_WITH_ARGUMENT and not argument:
            raise ValidationError(
                {
                    "move": _("Choose the folder."),
                    "label": _("Choose the label."),
                }.get(kind, _("Give the address to forward to."))
            )
        data["action"] = Action(kind, argument)
        return data


class BaseRowFormSet(forms.BaseFormSet):
    """Rows left empty are ignored; a row can be emptied to remove it."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "empty_permitted": True}

    def filled(self) -> list:
        return [form for form in self.forms if form.has_changed() and form.is_valid()]


ConditionFormSet = forms.formset_factory(
    ConditionForm, formset=BaseRowFormSet, extra=0, max_num=MAX_ROWS, absolute_max=MAX_ROWS
)
ActionFormSet = forms.formset_factory(
    ActionForm, formset=BaseRowFormSet, extra=0, max_num=MAX_ROWS, absolute_max=MAX_ROWS
)


def rule_from_forms(rule_form, conditions, actions) -> Rule | None:
    """The rule, or None (the forms then hold the errors to show)."""
    valid = rule_form.is_valid() & conditions.is_valid() & actions.is_valid()
    chosen_conditions = [form.cleaned_data["condition"] for form in conditions.filled()]
    chosen_actions = [form.cleaned_data["action"] for form in actions.filled()]
    if valid and not chosen_conditions:
        rule_form.add_error(None, _("Add at least one condition."))
        return None
    if valid and not chosen_actions:
        rule_form.add_error(None, _("Add at least one action."))
        return None
    if not valid:
        return None
    return Rule(
        name=rule_form.cleaned_data["name"],
        conditions=chosen_conditions,
        actions=chosen_actions,
        match_all=rule_form.cleaned_data["match_all"],
        enabled=rule_form.cleaned_data["enabled"],
    )


class RawScriptForm(forms.Form):
    script = forms.CharField(
        label=_("Sieve script"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}),
    )


class OutOfOfficeForm(forms.Form):
    vacation_enabled = forms.BooleanField(label=_("Reply automatically"), required=False)
    start = forms.DateField(
        label=_("From (included)"),
        required=False,
        help_text=_("Leave both dates empty to reply until you switch it off."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("Until (included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    subject = forms.CharField(label=_("Subject of the reply"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Text of the reply"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    days = forms.IntegerField(
        label=_("Days before the same sender is answered again"),
        min_value=1,
        max_value=365,
        initial=7,
    )
    forwarding_enabled = forms.BooleanField(label=_("Forward all my mail"), required=False)
    forward_to = forms.EmailField(label=_("Forward to"), required=False)
    keep_copy = forms.BooleanField(
        label=_("Keep a copy here"),
        required=False,
        initial=True,
        help_text=_("Without a copy, your rules no longer run: everything goes to that address."),
    )

    def __init__(self, *args, own_addresses=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.own_addresses = list(own_addresses)

    def clean_subject(self) -> str:
        return " ".join(self.cleaned_data["subject"].split())  # one line

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["vacation_enabled"]:
            if not data["body"].strip():
                self.add_error("body", _("Write the reply that senders will receive."))
            if data["start"] and data["end"] and data["end"] < data["start"]:
                self.add_error("end", _("The last day comes after the first."))
            if any(line.startswith(sieve_rules.MARKER) for line in data["body"].splitlines()):
                self.add_error("body", _("A line cannot start with “# webmail-”."))
        if data["forwarding_enabled"]:
            if not data["forward_to"]:
                self.add_error("forward_to", _("Give the address to forward to."))
            elif data["forward_to"].lower() in {a.lower() for a in self.own_addresses}:
                self.add_error("forward_to", _("Forwarding to yourself would loop."))
        return data

    def vacation(self) -> Vacation:
        data = self.cleaned_data
        subject = data["subject"] or str(_("Out of office"))
        return Vacation(
            enabled=data["vacation_enabled"],
            subject=subject,
            body=data["body"],
            addresses=self.own_addresses,
            days=data["days"],
            start=data["start"],
            end=data["end"],
        )

    def forwarding(self) -> Forwarding:
        data = self.cleaned_data
        return Forwarding(data["forwarding_enabled"], data["forward_to"] or "", data["keep_copy"])

    @staticmethod
    def initial_for(vacation: Vacation | None, forwarding: Forwarding | None) -> dict:
        initial = {}
        if vacation:
            initial |= {
                "vacation_enabled": vacation.enabled,
                "start": vacation.start,
                "end": vacation.end,
                "subject": vacation.subject,
                "body": vacation.body,
                "days": vacation.days,
            }
        if forwarding:
            initial |= {
                "forwarding_enabled": forwarding.enabled,
                "forward_to": forwarding.address,
                "keep_copy": forwarding.keep_copy,
            }
        return initial
