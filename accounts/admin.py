"""Django admin for accounts: every write goes through accounts.provisioning (audited);
the audit log is read-only for everyone."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import (
    audit,
    provisioning,
)
from accounts.admin_forms import AccountChangeForm
from accounts.models import AuditLogEntry, Establishment, GroupPolicy, User
from accounts.views import admin_accounts


class NeverLoggedInFilter(admin.SimpleListFilter):
    title = _("first sign-in")
    parameter_name = "never_logged_in"

    def lookups(self, request, model_admin):
        return [("yes", _("Never signed in")), ("no", _("Signed in at least once"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(last_login__isnull=True)
        if self.value() == "no":
            return queryset.filter(last_login__isnull=False)
        return queryset


@admin.register(User)
class AccountAdmin(UserAdmin):
    form = AccountChangeForm
    change_list_template = "accounts/admin/account_change_list.html"
    delete_confirmation_template = "accounts/admin/account_delete_confirmation.html"
    delete_selected_confirmation_template = "accounts/admin/account_delete_selected.html"
    list_display = (
        "username",
        "full_name",
        "establishment",
        "is_active",
        "two_factor_enabled",
        "last_login",
        "date_joined",
    )
    list_filter = ("establishment", "is_active", "two_factor_enabled", NeverLoggedInFilter)
    search_fields = ("username", "first_name", "last_name", "email", "backup_email")
    list_select_related = ("establishment",)
    actions = ["deactivate_accounts", "reactivate_accounts"]
    readonly_fields = (
        "last_login",
        "date_joined",
        "must_change_password",
        "temporary_password_expires_at",
        "two_factor_enabled",
        "backup_email_verified_at",
        "deletion_requested_at",
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Person"),
            {"fields": ("first_name", "last_name", "birth_date", "new_numen", "backup_email")},
        ),
        (_("Position"), {"fields": ("establishment", "department", "title")}),
        (_("Mail"), {"fields": ("email", "quota_mb", "language", "time_zone")}),
        (
            _("Status"),
            {
                "fields": (
                    "is_active",
                    "must_change_password",
                    "temporary_password_expires_at",
                    "two_factor_enabled",
                    "backup_email_verified_at",
                    "deletion_requested_at",
                )
            },
        ),
        (
            _("Permissions"),
            {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    @admin.display(description=_("full name"), ordering="last_name")
    def full_name(self, user):
        return user.get_full_name()

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(lambda request: view(request, self))

        return [
            path(
                "add/confirm/",
                wrap(admin_accounts.confirm_account),
                name="accounts_user_add_confirm",
            ),
            path("import/", wrap(admin_accounts.import_upload), name="accounts_user_import"),
            path(
                "import/confirm/",
                wrap(admin_accounts.import_confirm),
                name="accounts_user_import_confirm",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return admin_accounts.add_account(request, self)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        ip_address = audit.client_ip(request)
        if change and "is_active" in form.changed_data:
            # The same service as the list actions: sessions end, the act is audited.
            switch = (
                provisioning.reactivate_account
                if obj.is_active
                else provisioning.deactivate_account
            )
            switch(obj, actor=request.user, ip_address=ip_address)
        fields = sorted(set(form.changed_data) - {"new_numen", "is_active"})
        if change and fields:
            audit.record(audit.Action.ACCOUNT_UPDATED, target=obj, request=request, fields=fields)
        if form.cleaned_data.get("new_numen"):
            provisioning.set_numen(
                obj, form.cleaned_data["new_numen"], actor=request.user, ip_address=ip_address
            )

    def delete_model(self, request, obj):
        provisioning.delete_account(obj, actor=request.user, ip_address=audit.client_ip(request))

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self.delete_model(request, user)

    @admin.action(description=_("Deactivate the selected accounts"), permissions=["change"])
    def deactivate_accounts(self, request, queryset):
        for user in queryset.filter(is_active=True):
            provisioning.deactivate_account(
                user, actor=request.user, ip_address=audit.client_ip(request)
            )
        self._report(request, queryset.count(), "deactivated")

    @admin.action(description=_("Reactivate the selected accounts"), permissions=["change"])
    def reactivate_accounts(self, request, queryset):
        for user in queryset.filter(is_active=False, deletion_requested_at__isnull=True):
            provisioning.reactivate_account(
                user, actor=request.user, ip_address=audit.client_ip(request)
            )
        self._report(request, queryset.count(), "reactivated")

    def _report(self, request, count: int, what: str) -> None:
        if what == "deactivated":
            text = ngettext(
                "%(count)d account is deactivated: mail, calendar and web access are refused.",
                "%(count)d accounts are deactivated: mail, calendar and web access are refused.",
                count,
            )
        else:
            text = ngettext(
                "%(count)d account is active again.", "%(count)d accounts are active again.", count
            )
        self.message_user(request, text % {"count": count}, messages.SUCCESS)


@admin.register(Establishment)
class EstablishmentAdmin(admin.ModelAdmin):
    list_display = ("name", "uai", "city")
    search_fields = ("name", "uai", "city")


@admin.register(GroupPolicy)
class GroupPolicyAdmin(admin.ModelAdmin):
    list_display = ("group", "require_two_factor")
    list_filter = ("require_two_factor",)


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    """Readable by admins, never editable: no add, change or delete, even for superusers."""

    list_display = ("created_at", "action", "actor_username", "target_username", "ip_address")
    list_filter = ("action", ("created_at", admin.DateFieldListFilter))
    search_fields = ("actor_username", "target_username")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in AuditLogEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
