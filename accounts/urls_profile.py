"""URLs of the profile pages, included by accounts/urls.py under the accounts: namespace."""

from django.urls import path

from accounts.views import profile

urlpatterns = [
    path("profile/", profile.profile, name="profile"),
    path("profile/password/", profile.change_password, name="profile-password"),
    path("profile/language/", profile.change_language, name="profile-language"),
    path("profile/time-zone/", profile.change_time_zone, name="profile-time-zone"),
    path("profile/app-passwords/", profile.create_app_password, name="app-password-create"),
    path(
        "profile/app-passwords/<int:pk>/revoke/",
        profile.revoke_app_password,
        name="app-password-revoke",
    ),
    path(
        "profile/trusted-browsers/<int:pk>/revoke/",
        profile.revoke_trusted_browser,
        name="trusted-browser-revoke",
    ),
]
