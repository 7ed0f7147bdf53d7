from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from webmail import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="mailbox:home", permanent=False)),
    path("accounts/", include("accounts.urls")),
    path("mail/", include("mailbox.urls")),
    # Large-file download links: no account needed (recipients may be outside).
    path("files/", include("mailbox.public_urls")),
    path("calendar/", include("calendar_app.urls")),
    path("contacts/", include("addressbook.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("status/", views.service_status, name="service-status"),
    path("admin/", admin.site.urls),
    path("captcha/", include("captcha.urls")),
    path("", include("accounts.urls_client_setup")),
]
