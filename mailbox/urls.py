from django.urls import path

from mailbox import attachment_urls, compose_urls, filter_urls, live_urls, search_urls
from mailbox.views import (
    conversations,
    export,
    folder_actions,
    folders,
    labels,
    message_actions,
    message_extras,
    messages,
    preferences,
    trusted_senders,
)

app_name = "mailbox"
urlpatterns = [
    path("", folders.home, name="home"),
    path("folder/<path:folder_name>/", folders.folder_detail, name="folder-detail"),
    path("preferences/", preferences.preferences, name="preferences"),
    path("list-order/in/<path:folder_name>", preferences.list_order, name="list-order"),
    path(
        "conversation/<int:uid>/in/<path:folder_name>",
        conversations.conversation_detail,
        name="conversation-detail",
    ),
    path("folders/", folder_actions.folder_list, name="folders"),
    path("folders/create", folder_actions.folder_create, name="folder-create"),
    path("folders/rename/<path:folder_name>", folder_actions.folder_rename, name="folder-rename"),
    path("folders/delete/<path:folder_name>", folder_actions.folder_delete, name="folder-delete"),
    # The folder comes last: its name may hold slashes (nested folders).
    path("message/<int:uid>/in/<path:folder_name>", messages.message_detail, name="message-detail"),
    path("message/<int:uid>/body/<path:folder_name>", messages.message_body, name="message-body"),
    path(
        "message/<int:uid>/part/<str:part_id>/<path:folder_name>",
        messages.message_part,
        name="message-part",
    ),
    path(
        "message/<int:uid>/trust-images/<path:folder_name>",
        trusted_senders.trust_sender_images,
        name="message-trust-images",
    ),
    path("trusted-senders/", trusted_senders.trusted_sender_list, name="trusted-senders"),
    path(
        "trusted-senders/<int:trusted_id>/delete",
        trusted_senders.trusted_sender_delete,
        name="trusted-sender-delete",
    ),
    path(
        "message/<int:uid>/source/<path:folder_name>",
        message_extras.message_source,
        name="message-source",
    ),
    path(
        "message/<int:uid>/eml/<path:folder_name>",
        message_extras.message_eml,
        name="message-eml",
    ),
    path(
        "message/<int:uid>/print/<path:folder_name>",
        message_extras.message_print,
        name="message-print",
    ),
    path(
        "message/<int:uid>/attachments/<path:folder_name>",
        message_extras.message_attachments_zip,
        name="message-attachments-zip",
    ),
    # Export of the selected messages (POST, from the list's toolbar) and its progress.
    path("messages/export/mbox/in/<path:folder_name>", export.export_mbox, name="export-mbox"),
    path("messages/export/zip/in/<path:folder_name>", export.export_zip, name="export-zip"),
    path("messages/export/progress/<str:token>", export.export_progress, name="export-progress"),
    # Actions on selected messages (POST): one URL each, the folder last.
    path(
        "messages/mark-read/in/<path:folder_name>",
        message_actions.mark_read,
        name="messages-mark-read",
    ),
    path(
        "messages/mark-unread/in/<path:folder_name>",
        message_actions.mark_unread,
        name="messages-mark-unread",
    ),
    path(
        "messages/flag/in/<path:folder_name>",
        message_actions.flag,
        name="messages-flag",
    ),
    path(
        "messages/unflag/in/<path:folder_name>",
        message_actions.unflag,
        name="messages-unflag",
    ),
    path(
        "messages/move/in/<path:folder_name>",
        message_actions.move,
        name="messages-move",
    ),
    path(
        "messages/archive/in/<path:folder_name>",
        message_actions.archive,
        name="messages-archive",
    ),
    path(
        "messages/delete/in/<path:folder_name>",
        message_actions.delete,
        name="messages-delete",
    ),
    path(
        "messages/delete-for-good/in/<path:folder_name>",
        message_actions.delete_for_good,
        name="messages-delete-for-good",
    ),
    path(
        "messages/spam/in/<path:folder_name>",
        message_actions.spam,
        name="messages-spam",
    ),
    path(
        "messages/not-spam/in/<path:folder_name>",
        message_actions.not_spam,
        name="messages-not-spam",
    ),
    path("messages/label/in/<path:folder_name>", labels.apply_label, name="messages-label"),
    path("messages/unlabel/in/<path:folder_name>", labels.remove_label, name="messages-unlabel"),
    # Labels: names and colours here, IMAP keywords on the messages.
    path("labels/", labels.label_list, name="labels"),
    path("labels/create", labels.label_create, name="label-create"),
    path("labels/<int:label_id>/edit", labels.label_edit, name="label-edit"),
    path("labels/<int:label_id>/delete", labels.label_delete, name="label-delete"),
    path(
        "labels/<int:label_id>/in/<path:folder_name>",
        labels.label_messages,
        name="label-messages",
    ),
]

# Attachments, large files and their download links (the sender's side).
urlpatterns += attachment_urls.urlpatterns
# Compose, drafts, sending and identities.
urlpatterns += compose_urls.urlpatterns
# New mail as it arrives, and snoozed mail.
urlpatterns += live_urls.urlpatterns
# Search, in one folder or all of them.
urlpatterns += search_urls.urlpatterns
# Filter rules and out-of-office (Sieve, through ManageSieve).
urlpatterns += filter_urls.urlpatterns
