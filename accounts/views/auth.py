from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from accounts import audit
from accounts.forms import LoginForm, RequiredPasswordChangeForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def password_change_required(request):
    """The page a temporary password leads to, and the only one it opens."""
    if not request.user.must_change_password:
        return redirect("mailbox:home")
    form = RequiredPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        audit.record(audit.Action.PASSWORD_CHANGED, target=user, request=request, temporary=True)
        return redirect(_safe_next(request) or "mailbox:home")
    return render(request, "accounts/password_change_required.html", {"form": form})


def _safe_next(request) -> str | None:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target or None
    return None
