from django.urls import path

from addressbook import contact_urls, views

app_name = "addressbook"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("autocomplete/", views.autocomplete, name="autocomplete"),
    *contact_urls.urlpatterns,
]
