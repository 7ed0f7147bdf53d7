"""Close the user's kept IMAP connection (mailbox/services/imap_pool.py) when they sign
out or their account is deactivated, so that nothing keeps reading their mail."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from mailbox.services import imap


@receiver(user_logged_out)
def close_connection_on_sign_out(sender, request, user, **kwargs):
    if user is not None:
        imap.forget_connection(user.mail_account)


@receiver(post_save, sender=get_user_model())
def close_connection_of_deactivated_account(sender, instance, **kwargs):
    if not instance.is_active:
        imap.forget_connection(instance.mail_account)


@receiver(post_delete, sender=get_user_model())
def close_connection_of_deleted_account(sender, instance, **kwargs):
    imap.forget_connection(instance.mail_account)
