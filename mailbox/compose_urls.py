"""Compose, drafts, sending and identities: included into mailbox/urls.py."""

from django.urls import path

from mailbox.views import compose, identities, outbox, templates

urlpatterns = [
    path("compose/", compose.compose, name="compose"),
    # The original message's folder comes last: its name may hold slashes.
    path("compose/reply/<int:uid>/<path:folder_name>", compose.reply, name="reply"),
    path("compose/reply-all/<int:uid>/<path:folder_name>", compose.reply_all, name="reply-all"),
    path("compose/forward/<int:uid>/<path:folder_name>", compose.forward, name="forward"),
    path(
        "compose/forward-attachment/<int:uid>/<path:folder_name>",
        compose.forward_attachment,
        name="forward-attachment",
    ),
    path("compose/draft/<int:uid>", compose.draft_edit, name="draft-edit"),
    path("compose/draft/key/<str:draft_key>", compose.draft_resume, name="draft-resume"),
    path("compose/save", compose.draft_save, name="draft-save"),
    path("compose/discard", compose.draft_discard, name="draft-discard"),
    path("compose/send", compose.send, name="send"),
    path("compose/send-later", compose.send_later, name="send-later"),
    path("compose/send-next-morning", compose.send_next_morning, name="send-next-morning"),
    path(
        "compose/template/<int:template_id>",
        templates.compose_from_template,
        name="compose-from-template",
    ),
    path("templates/", templates.template_list, name="templates"),
    path("templates/save", templates.template_save, name="template-save"),
    path("templates/<int:template_id>/delete", templates.template_delete, name="template-delete"),
    path("outbox/", outbox.outbox_list, name="outbox"),
    path("outbox/<uuid:item_id>", outbox.outbox_item, name="outbox-item"),
    path("outbox/<uuid:item_id>/cancel", outbox.outbox_cancel, name="outbox-cancel"),
    path("identities/", identities.identity_list, name="identities"),
    path("identities/new", identities.identity_edit, name="identity-create"),
    path("identities/<int:identity_id>", identities.identity_edit, name="identity-edit"),
    path(
        "identities/<int:identity_id>/delete",
        identities.identity_delete,
        name="identity-delete",
    ),
]
