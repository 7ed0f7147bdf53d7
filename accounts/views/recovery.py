"""Forgotten password (request, link or code, new password) and the backup address."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import backup_email, recovery
from accounts.audit import client_ip
from accounts.recovery_forms import (
    BackupCodeForm,
    BackupEmailForm,
    RecoveryCodeForm,
    RecoveryRequestForm,
    RecoverySetPasswordForm,
)

SESSION_TOKEN_KEY = "recovery_token_id"  # noqa: S105 - a session key name, not a secret
# One message for every failure, so the code form tells nothing about the account.
CODE_REJECTED = _(
    "This code does not work for this account: it may be mistyped, used, expired "
    "(30 minutes) or tried too often. Check it, or ask for a new one."
)


@never_cache
@require_http_methods(["GET", "POST"])
def request_recovery(request: HttpRequest) -> HttpResponse:
    """The form; a valid one gets the same answer whether or not anything matched."""
    if request.method == "GET":
        return _request_page(request, RecoveryRequestForm())
    login = request.POST.get("login", "")
    if recovery.recovery_throttled(client_ip(request), login):
        recovery.record_throttled_attempt(request, login)
        form = RecoveryRequestForm(initial={"login": login})
        return _request_page(request, form, throttled=True, status=429)
    form = RecoveryRequestForm(request.POST)
    if not form.is_valid():
        return _request_page(request, form, status=422)
    data = form.cleaned_data
    recovery.request_recovery(
        request,
        login=data["login"],
        last_name=data["last_name"],
        numen=data["numen"],
        birth_date=data["birth_date"],
    )
    # Nothing typed is echoed back, so every valid request gets the very same page.
    return render(request, "accounts/recovery/requested.html", {"form": RecoveryCodeForm()})


def _request_page(request, form, *, throttled=False, status=200) -> HttpResponse:
    context = {"form": form, "throttled": throttled}
    return render(request, "accounts/recovery/request.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "accounts/recovery/code.html", {"form": RecoveryCodeForm()})
    form = RecoveryCodeForm(request.POST)
    token = None
    if form.is_valid():
        token = recovery.token_from_code(form.cleaned_data["login"], form.cleaned_data["code"])
        if token is None:
            form.add_error("code", CODE_REJECTED)
    if token is None:
        return render(request, "accounts/recovery/code.html", {"form": form}, status=422)
    return _proceed_with(request, token)


@never_cache
def follow_link(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link only proves possession; the token dies when the password is set
    (mail scanners that prefetch links must not use it up)."""
    found = recovery.token_from_link(token)
    if found is None:
        return render(request, "accounts/recovery/invalid_link.html", status=410)
    return _proceed_with(request, found)


def _proceed_with(request: HttpRequest, token) -> HttpResponse:
    # A fresh session key, then the token id in it; the secret itself leaves the URL.
    request.session.cycle_key()
    request.session[SESSION_TOKEN_KEY] = token.pk
    return redirect("accounts:recovery-set-password")


@never_cache
@require_http_methods(["GET", "POST"])
def set_password(request: HttpRequest) -> HttpResponse:
    token = recovery.get_live_token(request.session.get(SESSION_TOKEN_KEY))
    if token is None:
        return render(request, "accounts/recovery/invalid_link.html", status=410)
    form = RecoverySetPasswordForm(token.user, request.POST or None)
    if request.method == "GET" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        context = {"form": form, "account": token.user}
        return render(request, "accounts/recovery/set_password.html", context, status=status)
    form.save(commit=False)
    try:
        recovery.complete_recovery(token, request)
    except recovery.TokenAlreadyUsed:
        return render(request, "accounts/recovery/invalid_link.html", status=410)
    request.session.flush()
    return redirect("accounts:recovery-done")


def done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/recovery/done.html")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def backup_address(request: HttpRequest) -> HttpResponse:
    """Show the registered backup address; a new one gets a code before it counts."""
    form = BackupEmailForm(request.POST or None)
    throttled = request.method == "POST" and backup_email.too_many_challenges(request.user)
    if request.method == "GET" or throttled or not form.is_valid():
        status = 429 if throttled else (422 if request.method == "POST" else 200)
        context = {"form": form, "throttled": throttled}
        return render(request, "accounts/recovery/backup_email.html", context, status=status)
    backup_email.start_challenge(request.user, form.cleaned_data["email"])
    return redirect("accounts:backup-email-confirm")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def confirm_backup_address(request: HttpRequest) -> HttpResponse:
    challenge = backup_email.pending_challenge(request.user)
    if challenge is None:
        return redirect("accounts:backup-email")
    form = BackupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            backup_email.confirm_code(request.user, form.cleaned_data["code"], request)
        except backup_email.CodeRejected as rejected:
            form.add_error("code", rejected.user_message)
        else:
            return redirect("accounts:backup-email")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "email": challenge.email}
    return render(request, "accounts/recovery/backup_email_confirm.html", context, status=status)
