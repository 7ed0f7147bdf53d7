"""Mail-client auto-configuration, at the root (well-known paths). Included by webmail/urls.py."""

urlpatterns: list = []
