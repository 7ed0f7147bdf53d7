"""URLs of the two_factor pages, included by accounts/urls.py under the accounts: namespace."""

from django.urls import path

from accounts.views import two_factor

urlpatterns = [
    path("two-factor/", two_factor.status, name="two-factor"),
    path("two-factor/start/", two_factor.start, name="two-factor-start"),
    path("two-factor/confirm/", two_factor.confirm, name="two-factor-confirm"),
    path(
        "two-factor/backup-codes/",
        two_factor.regenerate_backup_codes,
        name="two-factor-backup-codes",
    ),
    path("two-factor/disable/", two_factor.disable, name="two-factor-disable"),
    path("two-factor/verify/", two_factor.verify, name="two-factor-verify"),
]
