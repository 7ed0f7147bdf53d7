"""Filter rules, the raw Sieve script and out-of-office, kept on the server by ManageSieve."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailbox import filters
from mailbox.filter_forms import (
    ActionFormSet,
    ConditionFormSet,
    OutOfOfficeForm,
    RawScriptForm,
    RuleForm,
    rule_from_forms,
)
from mailbox.models import Label, sendable_addresses
from mailbox.services import imap
from mailbox.services.sieve import ScriptRejected
from mailbox.sieve_rules import Action, Rule

ADD_CONDITION = "add_condition"
ADD_ACTION = "add_action"


def _label_choices(user) -> list[tuple[str, str]]:
    return [(label.keyword, label.name) for label in Label.objects.filter(user=user)]


def _save_or_explain(request, script) -> bool:
    """Save; on a refusal, say why and return False (the caller shows the form again)."""
    try:
        filters.save(request.user.mail_account, script)
    except ScriptRejected as exc:
        messages.error(request, _("The server refused the rules: %s") % exc.server_message)
        return False
    return True


@login_required
def rule_list(request):
    script, version = filters.load_versioned(request.user.mail_account)
    labels = dict(_label_choices(request.user))
    for rule in script.rules:  # shown with the label's name, not its keyword
        rule.actions = [
            Action(action.kind, labels.get(action.argument, action.argument))
            if action.kind == "label"
            else action
            for action in rule.actions
        ]
    context = {"items": list(enumerate(script.items)), "version": version}
    return render(request, "mailbox/filters/rule_list.html", context)


def _item_or_404(script, index: int):
    if index >= len(script.items):
        raise Http404("no such rule")
    return script.items[index]


def _like_this(request) -> list[dict]:
    """ "Filter messages like this": the sender and the subject of the message, as
    conditions to keep or empty."""
    conditions = []
    if request.GET.get("from"):
        conditions.append({"field": "from", "match": "is", "value": request.GET["from"][:500]})
    subject = " ".join(request.GET.get("subject", "").split())[:500]
    if subject:
        conditions.append({"field": "subject", "match": "contains", "value": subject})
    return conditions


def _rule_forms(request, rule: Rule | None, initial_conditions: list[dict]):
    with imap.session_for(request.user.mail_account) as session:
        folders = [folder.name for folder in session.list_folders() if folder.is_selectable]
    form_kwargs = {"folders": folders, "labels": _label_choices(request.user)}
    if request.method == "POST":
        data = request.POST.copy()
        for name, prefix in ((ADD_CONDITION, "cond"), (ADD_ACTION, "act")):
            if name in data:  # one more empty row, without JavaScript
                total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
                data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
        return (
            RuleForm(data),
            ConditionFormSet(data, prefix="cond"),
            ActionFormSet(data, prefix="act", form_kwargs=form_kwargs),
        )
    if rule:
        rule_initial = {"name": rule.name, "match_all": "1" if rule.match_all else "0"}
        rule_initial["enabled"] = rule.enabled
        conditions = [vars(condition) for condition in rule.conditions]
        actions = [_action_initial(action) for action in rule.actions]
    else:
        rule_initial = {}
        conditions = initial_conditions or [{}]
        actions = [{}]
    return (
        RuleForm(initial=rule_initial),
        ConditionFormSet(initial=conditions, prefix="cond"),
        ActionFormSet(initial=actions, prefix="act", form_kwargs=form_kwargs),
    )


def _action_initial(action) -> dict:
    field = {"move": "folder", "label": "label", "forward": "address", "forward_copy": "address"}
    initial = {"kind": action.kind}
    if action.kind in field:
        initial[field[action.kind]] = action.argument
    return initial


def _edit(request, index: int | None):
    account = request.user.mail_account
    script, version = filters.load_versioned(account)
    rule = _item_or_404(script, index) if index is not None else None
    if rule is not None and not isinstance(rule, Rule):
        raise Http404("this rule is edited as a script")
    rule_form, conditions, actions = _rule_forms(request, rule, _like_this(request))
    adding_row = ADD_CONDITION in request.POST or ADD_ACTION in request.POST
    if request.method == "POST" and not adding_row:
        new_rule = rule_from_forms(rule_form, conditions, actions)
        if index is not None and request.POST.get("version") != version:
            rule_form.add_error(
                None,
                _(
                    "Your filters were changed elsewhere since you opened this rule. "
                    "Check it below, then save again."
                ),
            )
            new_rule = None
        if new_rule is not None:
            if index is None:
                script.items.append(new_rule)
            else:
                script.items[index] = new_rule
            if _save_or_explain(request, script):
                messages.success(request, _("The rule is saved."))
                return redirect("mailbox:filters")
    status = 422 if request.method == "POST" and not adding_row else 200
    context = {"rule_form": rule_form, "conditions": conditions, "actions": actions}
    context |= {"index": index, "version": version}
    return render(request, "mailbox/filters/rule_form.html", context, status=status)


@login_required
def rule_create(request):
    return _edit(request, None)


@login_required
def rule_edit(request, index):
    return _edit(request, index)


def _change(request, index: int, change) -> None:
    """Apply change to the list of rules, if it is still the list the user saw."""
    script, version = filters.load_versioned(request.user.mail_account)
    _item_or_404(script, index)
    if request.POST.get("version") != version:
        messages.error(
            request, _("Your filters were changed elsewhere, so nothing was done. Check them.")
        )
        return
    change(script.items)
    _save_or_explain(request, script)


def _swap_with(request, index: int, other: int):
    def swap(items):
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]

    _change(request, index, swap)
    return redirect("mailbox:filters")


@require_POST
@login_required
def rule_move_up(request, index):
    return _swap_with(request, index, index - 1)


@require_POST
@login_required
def rule_move_down(request, index):
    return _swap_with(request, index, index + 1)


@require_POST
@login_required
def rule_toggle(request, index):
    def toggle(items):
        if isinstance(items[index], Rule):
            items[index].enabled = not items[index].enabled

    _change(request, index, toggle)
    return redirect("mailbox:filters")


@require_POST
@login_required
def rule_delete(request, index):
    _change(request, index, lambda items: items.pop(index))
    return redirect("mailbox:filters")


@login_required
def raw_script(request):
    """The whole script, as text. A script that does not compile is kept in the form,
    with the server's error, and the one on the server does not change."""
    account = request.user.mail_account
    form = RawScriptForm(request.POST or None, initial={"script": filters.load_text(account)})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            filters.save_text(account, form.cleaned_data["script"])
        except ScriptRejected as exc:
            error = exc.server_message
        else:
            messages.success(request, _("The script is saved."))
            return redirect("mailbox:filters")
    status = 422 if error else 200
    context = {"form": form, "server_error": error}
    return render(request, "mailbox/filters/raw_script.html", context, status=status)


@login_required
def out_of_office(request):
    account = request.user.mail_account
    script = filters.load(account)
    own = sendable_addresses(request.user)
    initial = OutOfOfficeForm.initial_for(script.vacation, script.forwarding)
    form = OutOfOfficeForm(request.POST or None, initial=initial, own_addresses=own)
    if request.method == "POST" and form.is_valid():
        script.vacation = form.vacation()
        script.forwarding = form.forwarding()
        if _save_or_explain(request, script):
            messages.success(request, _("Your out-of-office settings are saved."))
            return redirect("mailbox:out-of-office")
    status = 422 if request.method == "POST" else 200
    return render(request, "mailbox/filters/out_of_office.html", {"form": form}, status=status)
