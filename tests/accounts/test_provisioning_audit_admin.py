"""The audit log is readable by admins and editable by no one, not even a superuser."""

from django.test import Client
from django.urls import reverse

from accounts import audit
from accounts.models import AuditLogEntry


def test_audit_log_is_listed_filtered_and_never_editable(django_user_model):
    admin_user = django_user_model.objects.create_superuser("root.admin", password="x")
    target = django_user_model.objects.create_user("jean.dupont")
    entry = audit.record(audit.Action.ACCOUNT_DEACTIVATED, actor=admin_user, target=target)
    audit.record(audit.Action.ACCOUNT_CREATED, actor=admin_user, target=admin_user)
    browser = Client()
    browser.force_login(admin_user)
    changelist = reverse("admin:accounts_auditlogentry_changelist")

    listed = browser.get(changelist, {"action__exact": "account_deactivated", "q": "jean.dupont"})
    assert listed.status_code == 200
    assert list(listed.context["cl"].queryset) == [entry]

    change_url = reverse("admin:accounts_auditlogentry_change", args=[entry.pk])
    assert browser.get(change_url).status_code == 200  # viewable
    refused = browser.post(change_url, {"action": "account_created", "actor_username": "x"})
    assert refused.status_code == 403
    assert browser.post(reverse("admin:accounts_auditlogentry_add"), {}).status_code == 403
    delete_url = reverse("admin:accounts_auditlogentry_delete", args=[entry.pk])
    assert browser.post(delete_url, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.action == "account_deactivated"
    assert entry.actor_username == "root.admin"
    assert AuditLogEntry.objects.count() == 2
