"""Attachment, large-file and shared-file URLs of the mail app (included by urls.py)."""

from django.urls import path

from mailbox.views import attachments, shared_files

urlpatterns = [
    path(
        "attachments/<str:draft_key>/upload",
        attachments.upload_attachment,
        name="attachment-upload",
    ),
    path(
        "attachments/<str:draft_key>/status",
        attachments.attachment_statuses,
        name="attachment-statuses",
    ),
    path(
        "attachment/<uuid:upload_id>/delete",
        attachments.delete_attachment,
        name="attachment-delete",
    ),
    path(
        "attachment/<uuid:upload_id>/rescan",
        attachments.rescan_attachment,
        name="attachment-rescan",
    ),
    path(
        "large-files/<str:draft_key>/start",
        attachments.start_large_file,
        name="large-file-start",
    ),
    path(
        "large-file/<uuid:upload_id>/chunk", attachments.large_file_chunk, name="large-file-chunk"
    ),
    path(
        "large-file/<uuid:upload_id>/offset",
        attachments.large_file_offset,
        name="large-file-offset",
    ),
    path("shared-files/", shared_files.shared_file_list, name="shared-files"),
    path(
        "shared-files/<int:shared_id>/revoke",
        shared_files.revoke_shared_file,
        name="shared-file-revoke",
    ),
]
