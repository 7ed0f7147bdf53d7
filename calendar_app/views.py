from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from calendar_app.services import dav


@login_required
def calendar_home(request):
    with dav.session_for(request.user.mail_account) as session:
        calendars = session.list_calendars()
        if not calendars:
            # A new account starts with one personal calendar, as in any calendar app.
            calendars = [session.create_calendar(_("Personal"))]
    return render(request, "calendar_app/calendar_home.html", {"calendars": calendars})
