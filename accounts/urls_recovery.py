"""URLs of the recovery pages, included by accounts/urls.py under the accounts: namespace."""

urlpatterns: list = []
