"""The profile page and its actions: password, language, time zone, app passwords,
trusted browsers."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import app_passwords, audit, time_zones, two_factor
from accounts.forms_profile import (
    AppPasswordForm,
    LanguageForm,
    ProfilePasswordForm,
    TimeZoneForm,
)

# Pages other parts of the accounts area provide; linked only once they exist.
OPTIONAL_PAGES = {"sessions_url": "accounts:sessions", "backup_email_url": "accounts:backup-email"}


def _optional_links() -> dict[str, str]:
    links = {}
    for key, name in OPTIONAL_PAGES.items():
        try:
            links[key] = reverse(name)
        except NoReverseMatch:
            continue
    return links


def _render_profile(request, status: int = 200, **forms):
    user = request.user
    context = {
        "password_form": ProfilePasswordForm(user),
        "language_form": LanguageForm(initial={"language": user.language}),
        "time_zone_form": TimeZoneForm(initial={"time_zone": time_zones.user_zone(user).key}),
        "app_password_form": AppPasswordForm(),
        "app_passwords": app_passwords.active_app_passwords(user),
        "trusted_browsers": two_factor.list_trusted_browsers(user),
        **_optional_links(),
        **forms,
    }
    return render(request, "accounts/profile/profile.html", context, status=status)


@never_cache
@login_required
def profile(request):
    return _render_profile(request)


@require_POST
@login_required
def change_password(request):
    form = ProfilePasswordForm(request.user, request.POST)
    if not form.is_valid():
        return _render_profile(request, status=422, password_form=form)
    user = form.save(commit=False)
    # A password the person chose themself is no longer a temporary one.
    user.must_change_password = False
    user.temporary_password_expires_at = None
    user.save()
    update_session_auth_hash(request, user)
    audit.record(audit.Action.PASSWORD_CHANGED, target=user, request=request)
    messages.success(request, _("Your password is changed. Use the new one in your mail programs."))
    return redirect("accounts:profile")


@require_POST
@login_required
def change_language(request):
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, status=422, language_form=form)
    language = form.cleaned_data["language"]
    request.user.language = language
    request.user.save(update_fields=["language"])
    translation.activate(language)
    messages.success(request, _("The language is saved."))
    response = redirect("accounts:profile")
    # The same cookie Django's set_language view writes, so LocaleMiddleware follows it.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_POST
@login_required
def change_time_zone(request):
    form = TimeZoneForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, status=422, time_zone_form=form)
    request.user.time_zone = form.cleaned_data["time_zone"]
    request.user.save(update_fields=["time_zone"])
    messages.success(request, _("The time zone is saved."))
    return redirect("accounts:profile")


@require_POST
@login_required
def create_app_password(request):
    form = AppPasswordForm(request.POST)
    if not request.user.two_factor_enabled:
        messages.error(request, _("App passwords work once two-factor authentication is on."))
        return redirect("accounts:profile")
    if not form.is_valid():
        return _render_profile(request, status=422, app_password_form=form)
    app_password, password = app_passwords.create_app_password(
        request.user, form.cleaned_data["name"]
    )
    audit.record(
        audit.Action.APP_PASSWORD_CREATED,
        target=request.user,
        request=request,
        name=app_password.name,
        prefix=app_password.prefix,
    )
    context = {"app_password": app_password, "password": password}
    response = render(request, "accounts/profile/app_password_created.html", context)
    response["Cache-Control"] = "no-store"  # the password is shown in this response only
    return response


@require_POST
@login_required
def revoke_app_password(request, pk: int):
    app_password = app_passwords.get_app_password_for_user(request.user, pk)
    if app_password is None:
        raise Http404
    app_passwords.revoke(app_password)
    audit.record(
        audit.Action.APP_PASSWORD_REVOKED,
        target=request.user,
        request=request,
        name=app_password.name,
        prefix=app_password.prefix,
    )
    messages.success(request, _("“%(name)s” can no longer sign in.") % {"name": app_password.name})
    return redirect("accounts:profile")


@require_POST
@login_required
def revoke_trusted_browser(request, pk: int):
    browser = get_object_or_404(two_factor.list_trusted_browsers(request.user), pk=pk)
    browser.delete()
    messages.success(request, _("This browser will ask for a code again."))
    return redirect("accounts:profile")
