"""Brute-force protection, web side (django-axes) recorded in the audit log.

Mail-client side: Dovecot's auth penalty slows every failed login from an address (2 s,
then doubling up to 15 s); the web app's own address is in login_trusted_networks so its
master-user logins never count (deploy/*/dovecot.conf*). tests/accounts/
test_brute_force.py shows both.
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.dispatch import receiver

from accounts import audit


@receiver(user_locked_out)
def record_lockout(sender, request, username, ip_address, **kwargs):
    target = get_user_model().objects.filter(username=username).first()
    audit.record(
        audit.Action.ACCOUNT_LOCKED,
        actor=None,
        target=target,
        request=request,
        username=username or "",
        ip_address=ip_address or "",
    )
