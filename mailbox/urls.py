from django.urls import path

from mailbox.views import folder_actions, folders, message_actions, messages

app_name = "mailbox"
urlpatterns = [
    path("", folders.home, name="home"),
    path("folder/<path:folder_name>/", folders.folder_detail, name="folder-detail"),
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
]
