"""URLs of the personal contacts pages (included in addressbook/urls.py)."""

from django.urls import path

from addressbook import contact_views, group_views

urlpatterns = [
    path("contacts/", contact_views.contact_list, name="contacts"),
    path("contacts/new/", contact_views.contact_new, name="contact-new"),
    path("contacts/import/", contact_views.contact_import, name="contact-import"),
    path(
        "contacts/import/<int:import_id>/",
        contact_views.contact_import_detail,
        name="contact-import-detail",
    ),
    path("contacts/export/", contact_views.contact_export, name="contact-export-all"),
    path("contacts/duplicates/", contact_views.duplicates, name="contact-duplicates"),
    path("contacts/merge/", contact_views.contact_merge, name="contact-merge"),
    path("contacts/groups/", group_views.group_list, name="groups"),
    path("contacts/groups/new/", group_views.group_new, name="group-new"),
    path("contacts/groups/<int:group_id>/edit/", group_views.group_edit, name="group-edit"),
    path("contacts/groups/<int:group_id>/delete/", group_views.group_delete, name="group-delete"),
    path("contacts/<int:contact_id>/", contact_views.contact_detail, name="contact-detail"),
    path("contacts/<int:contact_id>/edit/", contact_views.contact_edit, name="contact-edit"),
    path("contacts/<int:contact_id>/delete/", contact_views.contact_delete, name="contact-delete"),
    path("contacts/<int:contact_id>/photo/", contact_views.contact_photo, name="contact-photo"),
    path("contacts/<int:contact_id>/export/", contact_views.contact_export, name="contact-export"),
]
