"""Filter rules, the raw Sieve script and out-of-office: included into mailbox/urls.py."""

from django.urls import path

from mailbox.views import filters

urlpatterns = [
    path("filters/", filters.rule_list, name="filters"),
    path("filters/new", filters.rule_create, name="filter-create"),
    path("filters/<int:index>/edit", filters.rule_edit, name="filter-edit"),
    path("filters/<int:index>/up", filters.rule_move_up, name="filter-up"),
    path("filters/<int:index>/down", filters.rule_move_down, name="filter-down"),
    path("filters/<int:index>/toggle", filters.rule_toggle, name="filter-toggle"),
    path("filters/<int:index>/delete", filters.rule_delete, name="filter-delete"),
    path("filters/script", filters.raw_script, name="filter-script"),
    path("out-of-office/", filters.out_of_office, name="out-of-office"),
]
