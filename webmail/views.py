from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render

from webmail import health


@staff_member_required
def service_status(request):
    statuses = health.check_all()
    all_ok = all(status.ok for status in statuses)
    return render(
        request,
        "webmail/service_status.html",
        {"statuses": statuses, "all_ok": all_ok},
        status=200 if all_ok else 503,
    )
