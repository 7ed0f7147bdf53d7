"""Sign in with the username (jean.dupont) or the full address (jean.dupont@example.org)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def username_from_login(login: str, mail_domain: str) -> str:
    """'Jean.Dupont@Example.org ' -> 'jean.dupont'; another domain is left as typed."""
    login = login.strip().lower()
    local, at, domain = login.rpartition("@")
    if at and domain == mail_domain.lower():
        return local
    return login


class UsernameOrAddressBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            return None
        return super().authenticate(
            request,
            username=username_from_login(username, settings.MAIL_DOMAIN),
            password=password,
            **kwargs,
        )

    def get_user(self, user_id):
        """The signed-in user of each request, with their mail preferences read in the same
        query: every mail page needs them (mailbox.models.MailPreferences.for_user)."""
        users = get_user_model()._default_manager.select_related("mail_preferences")
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def axes_username(request, credentials) -> str:
    """django-axes counts failures per account, whichever form of the login was typed."""
    login = (credentials or {}).get("username") or request.POST.get("username", "")
    return username_from_login(login, settings.MAIL_DOMAIN)
