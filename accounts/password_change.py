"""A temporary password opens one page only: the one that replaces it."""

from django.shortcuts import redirect
from django.urls import reverse

# Paths a person with a temporary password may still reach.
ALLOWED_PREFIXES = ("/static/", "/i18n/", "/accounts/logout/", "/accounts/password/required/")


class ForcePasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            return redirect(f"{reverse('accounts:password-change-required')}?next={request.path}")
        return self.get_response(request)
