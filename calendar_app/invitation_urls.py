"""Answering invitations (included by calendar_app/urls.py)."""

from django.urls import path

from calendar_app import invitation_views as views

urlpatterns = [
    path(
        "invitations/answer/<int:uid>/in/<path:folder_name>",
        views.invitation_answer,
        name="invitation-answer",
    ),
]
