"""URLs of the helpdesk pages, included by accounts/urls.py under the accounts: namespace."""

from django.urls import path

from accounts.views import helpdesk as views

urlpatterns = [
    path("helpdesk/", views.search, name="helpdesk"),
    path("helpdesk/<int:pk>/", views.account_detail, name="helpdesk-account"),
    path(
        "helpdesk/<int:pk>/reset-password/",
        views.reset_password,
        name="helpdesk-reset-password",
    ),
    path("helpdesk/<int:pk>/unlock/", views.unlock, name="helpdesk-unlock"),
    path(
        "helpdesk/<int:pk>/reset-two-factor/",
        views.reset_two_factor,
        name="helpdesk-reset-two-factor",
    ),
    path("helpdesk/<int:pk>/send-welcome/", views.send_welcome, name="helpdesk-send-welcome"),
    path(
        "helpdesk/<int:pk>/welcome-letter/",
        views.welcome_letter,
        name="helpdesk-welcome-letter",
    ),
]
