"""New mail shown as it arrives, and snoozed mail: included into mailbox/urls.py."""

from django.urls import path

from mailbox.views import new_mail, snooze

urlpatterns = [
    # Background polling (static/js/new_mail.js); the folder comes last.
    path("folder-changes/<path:folder_name>", new_mail.folder_changes, name="folder-changes"),
    path("messages/snooze/in/<path:folder_name>", snooze.snooze_messages, name="messages-snooze"),
    path("snoozed/", snooze.snoozed_list, name="snoozed"),
    path("snoozed/<int:snoozed_id>/wake", snooze.unsnooze, name="snoozed-wake"),
]
