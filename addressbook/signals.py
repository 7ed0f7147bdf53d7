"""Keep the directory's search words in step with the accounts."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from addressbook.directory import index_people


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="addressbook_index_person")
def index_saved_person(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw:
        return
    names = {"first_name", "last_name", "username", "is_active"}
    if update_fields is not None and not names.intersection(update_fields):
        return
    index_people([instance])
