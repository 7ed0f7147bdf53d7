"""Helpdesk pages: find an account, read its state, and act on it (each act audited)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import helpdesk, two_factor
from accounts.audit import Action, record
from accounts.client_setup_settings import client_settings
from accounts.forms_helpdesk import ResetPasswordForm, SearchForm
from accounts.models import AuditLogEntry
from accounts.welcome_letter import WelcomeLetter, render_welcome_letter
from webmail.system_mail import queue_system_mail

PAGE_SIZE = 25
RECENT_AUDIT_ENTRIES = 20


def helpdesk_required(view):
    """Signed in and a helpdesk agent (or superuser); anyone else gets 403."""

    @wraps(view)
    @login_required
    @never_cache
    def wrapper(request, *args, **kwargs):
        if not helpdesk.is_helpdesk(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_account_for_agent(request: HttpRequest, pk: int):
    """404 both for a missing account and for one the agent may not touch."""
    return get_object_or_404(helpdesk.accounts_for_agent(request.user), pk=pk)


def login_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("accounts:login"))


@require_GET
@helpdesk_required
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    page = None
    if form.is_valid():
        results = helpdesk.search_accounts(request.user, form.cleaned_data["q"])
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/helpdesk/search.html", {"form": form, "page": page})


@require_GET
@helpdesk_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_agent(request, pk)
    return render_account(request, account, ResetPasswordForm(account=account))


def render_account(request, account, reset_form, status=200) -> HttpResponse:
    context = {
        "account": account,
        "status": helpdesk.account_status(account),
        "reset_form": reset_form,
        "audit_entries": AuditLogEntry.objects.filter(target=account)[:RECENT_AUDIT_ENTRIES],
    }
    return render(request, "accounts/helpdesk/account.html", context, status=status)


@require_POST
@helpdesk_required
def reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_agent(request, pk)
    form = ResetPasswordForm(request.POST, account=account)
    if not form.is_valid():
        return render_account(request, account, form, status=422)
    password = helpdesk.reset_password(account)
    send = form.cleaned_data["send_to_backup"]
    if send:
        # Only ever the registered backup address, never one typed by the agent.
        subject, body = helpdesk.temporary_password_message(account, password, login_url(request))
        queue_system_mail(account.backup_email, subject, body)
    record(
        Action.PASSWORD_RESET,
        target=account,
        request=request,
        shown=form.cleaned_data["show_on_screen"],
        sent_to_backup=send,
    )
    context = {
        "account": account,
        "password": password if form.cleaned_data["show_on_screen"] else "",
        "sent_to": helpdesk.mask_email(account.backup_email) if send else "",
    }
    # Rendered, not redirected: the password lives in this one response and nowhere else.
    return render(request, "accounts/helpdesk/password_reset_done.html", context)


@require_POST
@helpdesk_required
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_agent(request, pk)
    cleared = helpdesk.unlock(account)
    record(Action.ACCOUNT_UNLOCKED, target=account, request=request, attempts_cleared=cleared)
    messages.success(request, _("The account is unlocked."))
    return redirect("accounts:helpdesk-account", pk=account.pk)


@require_POST
@helpdesk_required
def reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_agent(request, pk)
    two_factor.remove_two_factor(account)
    record(Action.TWO_FACTOR_RESET, target=account, request=request)
    messages.success(request, _("Two-factor authentication is reset."))
    return redirect("accounts:helpdesk-account", pk=account.pk)


@require_POST
@helpdesk_required
def send_welcome(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_account_for_agent(request, pk)
    if not account.backup_email:
        messages.error(request, _("This account has no backup address to send to."))
        return redirect("accounts:helpdesk-account", pk=account.pk)
    subject, body = helpdesk.welcome_message(account, client_settings(), login_url(request))
    queue_system_mail(account.backup_email, subject, body)
    record(Action.WELCOME_SENT, target=account, request=request)
    messages.success(
        request,
        _("The welcome message is on its way to %(address)s.")
        % {"address": helpdesk.mask_email(account.backup_email)},
    )
    return redirect("accounts:helpdesk-account", pk=account.pk)


@require_http_methods(["GET", "POST"])
@helpdesk_required
def welcome_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (printing replaces the password); POST prints."""
    account = get_account_for_agent(request, pk)
    if request.method != "POST":
        return render(
            request, "accounts/helpdesk/welcome_letter_confirm.html", {"account": account}
        )
    password = helpdesk.reset_password(account)
    record(Action.WELCOME_LETTER, target=account, request=request, password_reset=True)
    letter = WelcomeLetter(
        full_name=account.get_full_name(),
        username=account.username,
        address=account.mail_address,
        temporary_password=password,
        language=account.language,
        login_url=login_url(request),
        client=client_settings(),
    )
    response = HttpResponse(render_welcome_letter(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="welcome-{account.username}.pdf"'
    return response
