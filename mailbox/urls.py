from django.urls import path

from mailbox import views

app_name = "mailbox"
urlpatterns = [
    path("", views.home, name="home"),
    path("folder/<path:folder_name>/", views.folder_detail, name="folder-detail"),
]
