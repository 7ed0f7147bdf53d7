"""Radicale authentication through Dovecot, aware of Dovecot's master user.

Radicale's own `dovecot` backend returns the login exactly as typed. When the webmail
opens a user's calendars as "jean.dupont*webmail" (Dovecot master-user login), the
collections must still be jean.dupont's, so the master part is cut from the result
once Dovecot has accepted the credentials. Plain logins are unchanged, so Thunderbird
or a phone logging in as jean.dupont with the account's password works the same way.

Configure with `[auth] type = webmail_radicale_auth` and the usual dovecot_* options,
and `[server] validate_user_value = none` (Radicale's default check refuses the '*' of a
master login before authentication; the user name that comes out is checked here
instead). This file must be importable (PYTHONPATH).
"""

import re

from radicale.auth import dovecot

MASTER_SEPARATOR = "*"
# Our usernames: prenom.nom, ASCII lower case, digits, dots and hyphens (accounts app).
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,149}")


class Auth(dovecot.Auth):
    def _login_ext(self, login, password, context):
        accepted = super()._login_ext(login, password, context)
        user = accepted.split(MASTER_SEPARATOR, 1)[0]
        return user if USERNAME.fullmatch(user) else ""
