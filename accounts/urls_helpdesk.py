"""URLs of the helpdesk pages, included by accounts/urls.py under the accounts: namespace."""

urlpatterns: list = []
