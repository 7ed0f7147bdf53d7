"""The Share dialog of a calendar: who sees it, read-only or read-write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from addressbook.directory import suggest_people
from calendar_app import sharing
from calendar_app.errors import CalendarError, CalendarNotFound
from calendar_app.services import dav
from calendar_app.sharing_forms import ShareForm, ShareRightsForm

SUGGESTIONS = 8


@login_required
def calendar_sharing(request, calendar_id):
    return _render_dialog(request, calendar_id, ShareForm())


def _render_dialog(request, calendar_id, form, status=200):
    with dav.session_for(request.user.mail_account) as session:
        try:
            calendar = sharing.own_calendar(session, calendar_id)
        except CalendarNotFound as exc:
            raise Http404 from exc
        rows = sharing.shares_of(session, request.user, calendar_id)
    context = {"calendar": calendar, "rows": rows, "form": form}
    return render(request, "calendar_app/sharing.html", context, status=status)


@require_POST
@login_required
def calendar_share(request, calendar_id):
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            colleague = sharing.find_colleague(form.cleaned_data["colleague"], request.user)
            sharing.share_calendar(
                request.user, calendar_id, colleague, form.cleaned_data["rights"] == "write"
            )
        except CalendarNotFound as exc:
            raise Http404 from exc
        except CalendarError as exc:
            form.add_error("colleague", exc.user_message)
        else:
            messages.success(
                request,
                _("The calendar is now shared with %(name)s.")
                % {"name": colleague.get_full_name() or colleague.username},
            )
            return redirect("calendar_app:calendar-sharing", calendar_id=calendar_id)
    return _render_dialog(request, calendar_id, form, status=422)


@require_POST
@login_required
def calendar_share_change(request, calendar_id, username):
    form = ShareRightsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose read-only or read-write."))
        return redirect("calendar_app:calendar-sharing", calendar_id=calendar_id)
    try:
        colleague = sharing.find_colleague(username, request.user)
        sharing.share_calendar(
            request.user, calendar_id, colleague, form.cleaned_data["rights"] == "write"
        )
    except CalendarError as exc:
        raise Http404 from exc
    messages.success(request, _("The rights were changed."))
    return redirect("calendar_app:calendar-sharing", calendar_id=calendar_id)


@require_POST
@login_required
def calendar_unshare(request, calendar_id, username):
    try:
        sharing.unshare_calendar(request.user, calendar_id, username)
    except CalendarNotFound as exc:
        raise Http404 from exc
    messages.success(request, _("The calendar is no longer shared with this colleague."))
    return redirect("calendar_app:calendar-sharing", calendar_id=calendar_id)


@login_required
def colleague_suggestions(request):
    """Active colleagues matching what is typed in the Share dialog (JSON): the same
    people the directory shows."""
    people = suggest_people(request.GET.get("q", "")[:100], SUGGESTIONS)
    found = [
        {"name": p.get_full_name(), "address": p.mail_address}
        for p in people
        if p.pk != request.user.pk
    ]
    return JsonResponse({"results": found})
