"""Mail-client auto-configuration, at the root (well-known paths). Included by webmail/urls.py.

No namespace: reverse("client-setup"), reverse("client-setup-mobileconfig").
"""

from django.urls import path

from accounts.views import client_setup as views

urlpatterns = [
    path("setup/mail-clients/", views.client_setup_page, name="client-setup"),
    path(
        "setup/mail-clients/apple.mobileconfig",
        views.apple_profile,
        name="client-setup-mobileconfig",
    ),
    path(
        ".well-known/autoconfig/mail/config-v1.1.xml",
        views.thunderbird_autoconfig,
        name="autoconfig-well-known",
    ),
    path("mail/config-v1.1.xml", views.thunderbird_autoconfig, name="autoconfig"),
    # Outlook asks with either capitalisation, depending on its version.
    path("autodiscover/autodiscover.xml", views.outlook_autodiscover, name="autodiscover"),
    path("Autodiscover/Autodiscover.xml", views.outlook_autodiscover),
    path(".well-known/caldav", views.dav_redirect, name="well-known-caldav"),
    path(".well-known/carddav", views.dav_redirect, name="well-known-carddav"),
]
