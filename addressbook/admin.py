from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from addressbook.lists import list_address
from addressbook.models import DistributionList


@admin.register(DistributionList)
class DistributionListAdmin(admin.ModelAdmin):
    list_display = ("name", "establishment", "member_count", "compose_address", "is_active")
    list_filter = ("is_active", "establishment")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("members", "establishment")
    readonly_fields = ("compose_address",)
    fields = (
        "name",
        "slug",
        "compose_address",
        "description",
        "establishment",
        "members",
        "outside_addresses",
        "accepts_outside_mail",
        "is_active",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("establishment")

    @admin.display(description=_("members"))
    def member_count(self, obj) -> int:
        return obj.members.count() + len(obj.outside_address_list())

    @admin.display(description=_("address in compose"))
    def compose_address(self, obj) -> str:
        return list_address(obj) if obj.slug else "—"
