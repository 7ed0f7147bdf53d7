"""The accounts admin's own pages: create an account in two steps (the generated username
is confirmed first) and import accounts from a CSV file (upload, preview, confirm).

Reached through AccountAdmin.get_urls, so the admin site checks staff status; each view
checks the model permission it needs.
"""

from __future__ import annotations

import base64
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import audit, importing
from accounts.admin_forms import AccountAddForm, CsvUploadForm
from accounts.models import Establishment
from accounts.provisioning import ProvisioningError, create_account, propose_username

PENDING_ACCOUNT_KEY = "admin_pending_account"
PENDING_IMPORT_KEY = "admin_pending_import"


def _context(model_admin, request, title: str, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        **extra,
    }


def _require(model_admin, request, permission: str) -> None:
    if not getattr(model_admin, f"has_{permission}_permission")(request):
        raise PermissionDenied


@never_cache
def add_account(request, model_admin):
    """Step 1: the form; a valid form leads to the confirmation of the username."""
    _require(model_admin, request, "add")
    form = AccountAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session[PENDING_ACCOUNT_KEY] = form.to_session()
        return _confirmation(request, model_admin, form.to_session())
    status = 422 if request.method == "POST" else 200
    context = _context(model_admin, request, _("Add account"), form=form)
    return render(request, "accounts/admin/account_add.html", context, status=status)


def _confirmation(request, model_admin, pending: dict, notice: str = ""):
    username = propose_username(pending["first_name"], pending["last_name"])
    establishment = (
        Establishment.objects.filter(pk=pending["establishment"]).first()
        if pending["establishment"]
        else None
    )
    context = _context(
        model_admin,
        request,
        _("Confirm the new account"),
        username=username,
        pending=pending,
        establishment=establishment,
        notice=notice,
    )
    return render(request, "accounts/admin/account_add_confirm.html", context)


@never_cache
@require_POST
def confirm_account(request, model_admin):
    """Step 2: create the account under the username the admin saw, then show the
    temporary password once (this response is never cached or stored)."""
    _require(model_admin, request, "add")
    pending = request.session.get(PENDING_ACCOUNT_KEY)
    if pending is None:
        return redirect("admin:accounts_user_add")
    birth_date = date.fromisoformat(pending["birth_date"]) if pending["birth_date"] else None
    try:
        user, password = create_account(
            pending["first_name"],
            pending["last_name"],
            actor=request.user,
            ip_address=audit.client_ip(request),
            username=request.POST.get("username", ""),
            numen=pending["numen"] or None,
            birth_date=birth_date,
            backup_email=pending["backup_email"],
            establishment=Establishment.objects.filter(pk=pending["establishment"]).first(),
            department=pending["department"],
            title=pending["title"],
            quota_mb=pending["quota_mb"],
        )
    except ProvisioningError as exc:
        # Someone took the name between the two steps: confirm the next one.
        return _confirmation(request, model_admin, pending, notice=exc.user_message)
    del request.session[PENDING_ACCOUNT_KEY]
    context = _context(
        model_admin,
        request,
        _("Account created"),
        account=user,
        temporary_password=password,
        from_numen=bool(pending["numen"]),
        expiry_days=settings.TEMPORARY_PASSWORD_VALID_DAYS,
    )
    return render(request, "accounts/admin/account_created.html", context)


@never_cache
def import_upload(request, model_admin):
    """Upload a CSV file and see what importing it would do; nothing is written yet."""
    _require(model_admin, request, "add")
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"]
        plan = importing.plan_import(content)
        # The file waits in the (server-side) session until the admin confirms.
        request.session[PENDING_IMPORT_KEY] = base64.b64encode(content).decode("ascii")
        context = _context(model_admin, request, _("Preview of the import"), plan=plan)
        return render(request, "accounts/admin/import_preview.html", context)
    status = 422 if request.method == "POST" else 200
    context = _context(model_admin, request, _("Import accounts from a CSV file"), form=form)
    return render(request, "accounts/admin/import_upload.html", context, status=status)


@never_cache
@require_POST
def import_confirm(request, model_admin):
    """Import the file previewed: create the good rows and report the others."""
    _require(model_admin, request, "add")
    encoded = request.session.pop(PENDING_IMPORT_KEY, None)
    if encoded is None:
        return redirect("admin:accounts_user_import")
    report = importing.import_accounts(
        base64.b64decode(encoded), actor=request.user, ip_address=audit.client_ip(request)
    )
    context = _context(model_admin, request, _("Import finished"), plan=report)
    return render(request, "accounts/admin/import_done.html", context)
