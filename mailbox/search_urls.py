"""Search: the quick search box and the advanced form; included into mailbox/urls.py."""

from django.urls import path

from mailbox.views import search

urlpatterns = [
    # The folder comes last: its name may hold slashes. It is the folder searched, or the
    # one the user came from when searching all folders.
    path("search/in/<path:folder_name>", search.quick_search, name="search"),
    path("search/advanced/in/<path:folder_name>", search.advanced_search, name="search-advanced"),
]
