"""Subscribed calendars, import and export (included by calendar_app/urls.py)."""

from django.urls import path

from calendar_app import subscription_views as views

urlpatterns = [
    path("subscriptions/", views.subscription_list, name="subscriptions"),
    path("subscriptions/add/", views.subscription_add, name="subscription-add"),
    path("subscriptions/<int:pk>/delete/", views.subscription_delete, name="subscription-delete"),
    path(
        "subscriptions/<int:pk>/visibility/",
        views.subscription_visibility,
        name="subscription-visibility",
    ),
    path("import/", views.calendar_import, name="import"),
    path("calendars/<str:calendar_id>/export.ics", views.calendar_export, name="export"),
]
