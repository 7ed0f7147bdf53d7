from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from calendar_app import feed_urls, subscriptions
from calendar_app.models import CalendarSubscription, IcsFeed


class ProvidedSubscriptionForm(forms.ModelForm):
    """A subscription for everyone, a group or an establishment, typed by its URL."""

    url = forms.CharField(label=_("address of the calendar (.ics)"), max_length=2000)

    class Meta:
        model = CalendarSubscription
        fields = ("name", "url", "color", "visible", "for_everyone", "group", "establishment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["url"].initial = self.instance.feed.url

    def clean_url(self):
        try:
            return subscriptions.normalized_url(self.cleaned_data["url"])
        except feed_urls.RefusedUrl as exc:
            raise forms.ValidationError(_("Use an http, https or webcal address.")) from exc

    def clean(self):
        data = super().clean()
        targets = [
            bool(data.get("for_everyone")),
            bool(data.get("group")),
            bool(data.get("establishment")),
        ]
        if sum(targets) != 1:
            raise forms.ValidationError(
                _("Choose exactly one of: everyone, a group, an establishment.")
            )
        return data

    def save(self, commit=True):
        feed, _created = IcsFeed.objects.get_or_create(url=self.cleaned_data["url"])
        self.instance.feed = feed
        self.instance.user = None
        return super().save(commit)


@admin.register(CalendarSubscription)
class CalendarSubscriptionAdmin(admin.ModelAdmin):
    """Only the subscriptions the administration provides; people's own are theirs."""

    form = ProvidedSubscriptionForm
    list_display = ("name", "target", "feed", "visible")
    list_filter = ("for_everyone", "group", "establishment")
    search_fields = ("name", "feed__url")
    autocomplete_fields = ("establishment",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(user=None)
            .select_related("feed", "group", "establishment")
        )

    @admin.display(description=_("for"))
    def target(self, obj) -> str:
        if obj.for_everyone:
            return str(_("everyone"))
        return str(obj.group or obj.establishment)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.feed.last_fetched is None:
            from calendar_app.tasks import refresh_ics_feed

            transaction.on_commit(lambda: refresh_ics_feed.delay(obj.feed_id))


@admin.register(IcsFeed)
class IcsFeedAdmin(admin.ModelAdmin):
    list_display = ("url", "last_fetched", "last_error", "subscriber_count")
    search_fields = ("url",)
    readonly_fields = ("url", "last_fetched", "last_changed", "etag", "last_modified", "last_error")
    fields = readonly_fields
    actions = ("refresh_now",)

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("subscriptions"))
    def subscriber_count(self, obj) -> int:
        return obj.subscriptions.count()

    @admin.action(description=_("Refresh now"))
    def refresh_now(self, request, queryset):
        failed = sum(1 for feed in queryset if not _refreshed(feed))
        if failed:
            self.message_user(request, _("Some feeds could not be fetched."), messages.WARNING)
        else:
            self.message_user(request, _("Feeds refreshed."), messages.SUCCESS)


def _refreshed(feed: IcsFeed) -> bool:
    subscriptions.refresh(feed)
    return not feed.last_error
