"""URLs of the two_factor pages, included by accounts/urls.py under the accounts: namespace."""

urlpatterns: list = []
