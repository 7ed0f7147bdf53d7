"""Sharing calendars with colleagues (included by calendar_app/urls.py)."""

from django.urls import path

from calendar_app import freebusy_views
from calendar_app import sharing_views as views

urlpatterns = [
    path("sharing/colleagues/", views.colleague_suggestions, name="colleague-suggestions"),
    path("sharing/busy/", freebusy_views.colleagues_busy, name="colleagues-busy"),
    path("calendars/<str:calendar_id>/sharing/", views.calendar_sharing, name="calendar-sharing"),
    path("calendars/<str:calendar_id>/sharing/add/", views.calendar_share, name="calendar-share"),
    path(
        "calendars/<str:calendar_id>/sharing/<str:username>/",
        views.calendar_share_change,
        name="calendar-share-change",
    ),
    path(
        "calendars/<str:calendar_id>/sharing/<str:username>/remove/",
        views.calendar_unshare,
        name="calendar-unshare",
    ),
]
