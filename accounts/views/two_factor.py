"""Two-factor pages: status, enrolment, backup codes, turning off, and the sign-in step."""

from __future__ import annotations

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import audit, two_factor
from accounts.forms_two_factor import CodeForm, EnrolmentCodeForm, VerifyForm
from accounts.middleware import remember_browser, two_factor_verified

WRONG_CODE = gettext_lazy("This code is wrong or was already used. Try again.")
THROTTLED = gettext_lazy("Too many wrong codes. Wait a little, then type the code shown now.")


def _check_code(form, check, wrong_message):
    """check(code) for a bound, valid form; the reason for a failure goes on the code field."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        result = check(form.cleaned_data["code"])
    except two_factor.CodeThrottled:
        form.add_error("code", THROTTLED)
        return None
    if not result:
        form.add_error("code", wrong_message)
    return result


@never_cache
@login_required
def status(request):
    user = request.user
    context = {
        "required_by_policy": two_factor.required_by_policy(user),
        "backup_codes_left": two_factor.backup_codes_left(user) if user.two_factor_enabled else 0,
        "disable_form": CodeForm(auto_id="disable_%s"),
    }
    return render(request, "accounts/two_factor/status.html", context)


@require_POST
@login_required
def start(request):
    two_factor.start_enrolment(request.user)
    return redirect("accounts:two-factor-confirm")


@never_cache
@login_required
def confirm(request):
    """Show the QR code of the pending device; a correct code from it turns two-factor on."""
    device = two_factor.pending_device(request.user)
    if device is None:
        return redirect("accounts:two-factor")
    form = EnrolmentCodeForm(request.POST or None)
    codes = _check_code(
        form,
        lambda code: two_factor.confirm_enrolment(request.user, device, code),
        _("This code is not the one your app shows now. Try again."),
    )
    if codes is not None:
        django_otp.login(request, device)
        audit.record(audit.Action.TWO_FACTOR_ENABLED, target=request.user, request=request)
        return _backup_codes_page(request, codes, first_time=True)
    context = {
        "form": form,
        "qr_code": two_factor.qr_code_data_uri(device),
        "secret": two_factor.secret_for_manual_entry(device),
    }
    return render(request, "accounts/two_factor/confirm.html", context, status=_status(form))


@require_POST
@login_required
def regenerate_backup_codes(request):
    if not request.user.two_factor_enabled:
        return redirect("accounts:two-factor")
    codes = two_factor.regenerate_backup_codes(request.user)
    return _backup_codes_page(request, codes, first_time=False)


def _backup_codes_page(request, codes: list[str], *, first_time: bool):
    """Codes are shown once, in this response only: never cached, never stored in clear
    anywhere the page could be fetched again."""
    context = {"codes": codes, "first_time": first_time}
    response = render(request, "accounts/two_factor/backup_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def disable(request):
    user = request.user
    form = CodeForm(request.POST, auto_id="disable_%s")
    if two_factor.required_by_policy(user):
        messages.error(request, _("Your organisation requires two-factor authentication."))
        return redirect("accounts:two-factor")
    if _check_code(form, lambda code: two_factor.verify_code(user, code), WRONG_CODE):
        two_factor.disable(user)
        audit.record(audit.Action.TWO_FACTOR_DISABLED, target=user, request=request)
        messages.success(request, _("Two-factor authentication is off."))
        return redirect("accounts:two-factor")
    context = {
        "required_by_policy": False,
        "backup_codes_left": two_factor.backup_codes_left(user),
        "disable_form": form,
    }
    return render(request, "accounts/two_factor/status.html", context, status=422)


@never_cache
@login_required
def verify(request):
    """The second sign-in step: a code from the app or a backup code."""
    next_url = _safe_next(request)
    if not request.user.two_factor_enabled or two_factor_verified(request):
        return redirect(next_url)
    form = VerifyForm(request.POST or None)
    device = _check_code(form, lambda code: two_factor.verify_code(request.user, code), WRONG_CODE)
    if device is not None:
        django_otp.login(request, device)
        response = redirect(next_url)
        if form.cleaned_data["trust_browser"]:
            _trust_this_browser(request, response)
        return response
    context = {"form": form, "next": next_url}
    return render(request, "accounts/two_factor/verify.html", context, status=_status(form))


def _trust_this_browser(request, response) -> None:
    label = request.headers.get("User-Agent", "")
    browser, token = two_factor.trust_browser(request.user, label)
    remember_browser(request, response, token, browser.pk)


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _status(form) -> int:
    return 422 if form.is_bound and form.errors else 200
