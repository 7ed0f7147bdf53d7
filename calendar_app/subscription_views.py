"""Subscribed calendars page, and importing and exporting .ics files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calendar_app import feed_urls, grid, subscriptions, transfer
from calendar_app.errors import CalendarNotFound
from calendar_app.models import CalendarSubscription, hidden_calendar_ids, set_hidden
from calendar_app.services import dav
from calendar_app.subscription_forms import ImportForm, SubscriptionForm


@login_required
def subscription_list(request):
    return _render_list(request, SubscriptionForm())


def _render_list(request, form, status=200):
    hidden = hidden_calendar_ids(request.user)
    rows = [
        {
            "subscription": s,
            "shown": subscriptions.is_shown(s, hidden),
            "color": grid.palette_index(s.color),
        }
        for s in subscriptions.subscriptions_for(request.user)
    ]
    context = {"rows": rows, "form": form, "palette": list(enumerate(grid.PALETTE))}
    return render(request, "calendar_app/subscriptions.html", context, status=status)


@require_POST
@login_required
def subscription_add(request):
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            subscriptions.subscribe(request.user, data["url"], data["name"], data["color"])
        except feed_urls.RefusedUrl:
            form.add_error(
                "url",
                _("This address cannot be subscribed to: use a public http or https address."),
            )
        else:
            messages.success(
                request, _("Subscribed. The events appear once the calendar has been fetched.")
            )
            return redirect("calendar_app:subscriptions")
    return _render_list(request, form, status=422)


@require_POST
@login_required
def subscription_delete(request, pk):
    try:
        subscription = subscriptions.get_own_subscription(request.user, pk)
    except CalendarSubscription.DoesNotExist as exc:
        raise Http404 from exc
    subscriptions.unsubscribe(subscription)
    messages.success(request, _("Subscription removed."))
    return redirect("calendar_app:subscriptions")


@require_POST
@login_required
def subscription_visibility(request, pk):
    shown = request.POST.get("shown") == "on"
    seen = subscriptions.subscriptions_for(request.user)
    subscription = next((s for s in seen if s.pk == pk), None)
    if subscription is None:
        raise Http404
    if subscription.user_id == request.user.pk:
        subscription.visible = shown
        subscription.save(update_fields=["visible"])
        set_hidden(request.user, subscription.calendar_id, False)
    else:
        set_hidden(request.user, subscription.calendar_id, not shown)
    return redirect("calendar_app:subscriptions")


@login_required
def calendar_import(request):
    with dav.session_for(request.user.mail_account) as session:
        calendars = session.list_calendars()  # all exported; imported only where writable
        writable = [c for c in calendars if c.writable]
        form = ImportForm(request.POST or None, request.FILES or None, calendars=writable)
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                report = transfer.import_file(
                    session,
                    form.cleaned_data["calendar"],
                    form.cleaned_data["file"].read(),
                    form.cleaned_data["replace"],
                )
            except CalendarNotFound as exc:
                raise Http404 from exc
    status = 422 if request.method == "POST" and not form.is_valid() else 200
    context = {"form": form, "report": report, "calendars": calendars}
    return render(request, "calendar_app/import.html", context, status=status)


@login_required
def calendar_export(request, calendar_id):
    with dav.session_for(request.user.mail_account) as session:
        try:
            name, data = transfer.export_calendar(session, calendar_id)
        except CalendarNotFound as exc:
            raise Http404 from exc
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    filename = f"{slugify(name) or 'calendar'}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
