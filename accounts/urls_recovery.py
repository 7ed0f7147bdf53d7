"""URLs of the recovery pages, included by accounts/urls.py under the accounts: namespace."""

from django.urls import path

from accounts.views import recovery

urlpatterns = [
    path("recovery/", recovery.request_recovery, name="recovery"),
    path("recovery/code/", recovery.enter_code, name="recovery-code"),
    path("recovery/link/<str:token>/", recovery.follow_link, name="recovery-link"),
    path("recovery/new-password/", recovery.set_password, name="recovery-set-password"),
    path("recovery/done/", recovery.done, name="recovery-done"),
    path("backup-email/", recovery.backup_address, name="backup-email"),
    path("backup-email/confirm/", recovery.confirm_backup_address, name="backup-email-confirm"),
]
