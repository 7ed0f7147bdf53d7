from django.urls import path

from calendar_app import reminder_views, subscription_urls, task_views, views
from calendar_app.invitation_urls import urlpatterns as invitation_patterns
from calendar_app.sharing_urls import urlpatterns as sharing_patterns

app_name = "calendar_app"
urlpatterns = [
    path("", views.calendar_home, name="home"),
    *subscription_urls.urlpatterns,
    *sharing_patterns,
    *invitation_patterns,
    path("events/new/", views.event_new, name="event-new"),
    path("events/<str:calendar_id>/<str:uid>/", views.event_edit, name="event-edit"),
    path("events/<str:calendar_id>/<str:uid>/delete/", views.event_delete, name="event-delete"),
    path(
        "calendars/<str:calendar_id>/visibility/",
        views.calendar_visibility,
        name="calendar-visibility",
    ),
    path("events/<str:calendar_id>/<str:uid>/move/", views.event_move, name="event-move"),
    path("events/<str:calendar_id>/<str:uid>/resize/", views.event_resize, name="event-resize"),
    path("tasks/new/", views.task_new, name="task-new"),
    path("tasks/<str:calendar_id>/<str:uid>/done/", views.task_done, name="task-done"),
    path("tasks/<str:calendar_id>/<str:uid>/", task_views.task_edit, name="task-edit"),
    path("tasks/<str:calendar_id>/<str:uid>/delete/", task_views.task_delete, name="task-delete"),
    path("calendars/<str:calendar_id>/color/", views.calendar_color, name="calendar-color"),
    path("reminders/", reminder_views.upcoming_reminders, name="reminders"),
    path("<slug:view>/<str:date>/", views.calendar_view, name="view"),
]
