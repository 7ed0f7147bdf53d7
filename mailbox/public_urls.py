"""The download page of a large-file link: reached without an account (webmail/urls.py)."""

from django.urls import path

from mailbox.views import shared_files

urlpatterns = [
    path("<str:token>/", shared_files.shared_file_page, name="shared-file"),
    path("<str:token>/download", shared_files.shared_file_download, name="shared-file-download"),
]
