from django.conf import settings
from django.contrib.auth.models import AbstractUser

from accounts.mail_account import MailAccount


class User(AbstractUser):
    """A staff member. The username (prenom.nom) is also the mail, calendar and contacts login.

    Dovecot reads this table directly (see deploy/*/dovecot-sql.conf) and verifies the
    password hash stored here, so one password works in the browser and in mail clients.
    """

    @property
    def mail_address(self) -> str:
        return f"{self.username}@{settings.MAIL_DOMAIN}"

    @property
    def mail_account(self) -> MailAccount:
        return MailAccount(username=self.username, address=self.mail_address)
