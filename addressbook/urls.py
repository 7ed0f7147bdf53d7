from django.urls import path

from addressbook import views

app_name = "addressbook"
urlpatterns = [
    path("", views.directory, name="directory"),
]
