from django.urls import path

from mailbox.views import folder_actions, folders, messages

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
]
