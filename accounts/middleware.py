"""The second sign-in step: no page opens until two-factor is verified (or enrolled).

Install after django_otp.middleware.OTPMiddleware, which sets request.user.is_verified().

A trusted browser has no OTP device to hand to django_otp.login(), so it marks the
session instead (TRUSTED_SESSION_KEY = the TrustedBrowser id); the mark counts only as
long as that TrustedBrowser exists and has not expired, so revoking it on the profile
page also ends its trust in sessions already open.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.signing import BadSignature
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accounts import two_factor
from accounts.models import TrustedBrowser

TRUSTED_COOKIE = "webmail_trusted_browser"
TRUSTED_COOKIE_SALT = "accounts.trusted-browser"
TRUSTED_SESSION_KEY = "two_factor_trusted_browser"

# Reachable before the second step: the step itself, leaving, and what its page needs.
ALWAYS_OPEN = {"accounts:two-factor-verify", "accounts:logout", "accounts:login", "set_language"}
ENROLMENT_PAGES = {
    "accounts:two-factor",
    "accounts:two-factor-start",
    "accounts:two-factor-confirm",
}


def remember_browser(request: HttpRequest, response: HttpResponse, token: str, pk: int) -> None:
    """Set the signed trust cookie and mark this session as verified by it."""
    response.set_signed_cookie(
        TRUSTED_COOKIE,
        token,
        salt=TRUSTED_COOKIE_SALT,
        max_age=two_factor.TRUSTED_BROWSER_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    request.session[TRUSTED_SESSION_KEY] = pk


def _trusted_session(request: HttpRequest) -> bool:
    pk = request.session.get(TRUSTED_SESSION_KEY)
    if pk is not None:
        return TrustedBrowser.objects.filter(
            pk=pk, user=request.user, expires_at__gt=timezone.now()
        ).exists()
    try:
        token = request.get_signed_cookie(TRUSTED_COOKIE, default=None, salt=TRUSTED_COOKIE_SALT)
    except BadSignature:
        return False
    browser = two_factor.trusted_browser_for(request.user, token)
    if browser is None:
        return False
    request.session[TRUSTED_SESSION_KEY] = browser.pk
    return True


def two_factor_verified(request: HttpRequest) -> bool:
    """True when this session passed the second step, by a code or a trusted browser."""
    return request.user.is_verified() or _trusted_session(request)


def _redirect_with_next(name: str, request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if view_name in ALWAYS_OPEN or view_name.startswith("captcha-"):
            return None
        if user.two_factor_enabled:
            if two_factor_verified(request):
                return None
            return _redirect_with_next("accounts:two-factor-verify", request)
        if view_name not in ENROLMENT_PAGES and two_factor.required_by_policy(user):
            return _redirect_with_next("accounts:two-factor", request)
        return None
