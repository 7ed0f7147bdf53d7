"""URLs of the profile pages, included by accounts/urls.py under the accounts: namespace."""

urlpatterns: list = []
