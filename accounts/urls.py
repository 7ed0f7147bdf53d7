from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import auth, sessions

app_name = "accounts"
urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/required/",
        auth.password_change_required,
        name="password-change-required",
    ),
    path("sessions/", sessions.session_list, name="sessions"),
    path("sessions/<int:session_id>/end/", sessions.session_revoke, name="session-revoke"),
    path("sessions/end-all/", sessions.session_revoke_all, name="session-revoke-all"),
    path("sessions/keepalive/", sessions.session_keepalive, name="session-keepalive"),
    # Each area keeps its own URL list, under this same namespace.
    path("", include("accounts.urls_recovery")),
    path("", include("accounts.urls_two_factor")),
    path("", include("accounts.urls_helpdesk")),
    path("", include("accounts.urls_profile")),
]
