"""The colleagues' free/busy beside the event form (htmx partial)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from calendar_app import sharing
from calendar_app.invitations import MAX_ATTENDEES
from calendar_app.views import user_zone
from mailbox.composing import InvalidAddress, parse_address_list


@login_required
def colleagues_busy(request):
    """When the event's attendees are busy on its day (?start_date=&attendees=), from the
    calendars they shared with the user."""
    try:
        day = dt.date.fromisoformat(request.GET.get("start_date", ""))
    except ValueError:
        day = timezone.localdate()
    addresses = _addresses(request.GET.get("attendees", "")[:20_000])
    tz = user_zone(request)
    rows = sharing.availability(
        request.user, [a.address for a in addresses[:MAX_ATTENDEES]], day, tz
    )
    context = {"rows": rows, "day": day, "asked": bool(addresses)}
    return render(request, "calendar_app/partials/freebusy.html", context)


def _addresses(text: str) -> list:
    """The valid addresses typed so far; the form names a wrong one when it is saved."""
    try:
        return parse_address_list(text)
    except InvalidAddress:
        pass
    found = []
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        try:
            found += parse_address_list(part)
        except InvalidAddress:
            continue
    return found
