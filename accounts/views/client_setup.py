"""Setting up a mail client: the instructions page and the auto-configuration endpoints.

The endpoints are public (mail clients ask before anyone signs in) and answer the same
for every address of MAIL_DOMAIN, so they never reveal whether an account exists.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from accounts import client_setup
from accounts.client_setup_settings import client_settings

XML = "application/xml; charset=utf-8"


@login_required
def client_setup_page(request: HttpRequest) -> HttpResponse:
    client = client_settings()
    context = {
        "client": client,
        "address": request.user.mail_address,
        "principal_url": client.dav_principal_url(request.user.username),
    }
    return render(request, "accounts/client_setup/client_setup.html", context)


@require_GET
@login_required
def apple_profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    document = client_setup.apple_mobileconfig(
        client_settings(), user.username, user.mail_address, user.get_full_name()
    )
    response = HttpResponse(document, content_type="application/x-apple-aspen-config")
    response["Content-Disposition"] = f'attachment; filename="{user.username}.mobileconfig"'
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def thunderbird_autoconfig(request: HttpRequest) -> HttpResponse:
    # Thunderbird sends ?emailaddress=; an address of another domain is not ours to answer.
    address = request.GET.get("emailaddress", "")
    if address and not client_setup.address_in_domain(address, settings.MAIL_DOMAIN):
        raise Http404
    return HttpResponse(client_setup.thunderbird_autoconfig(client_settings()), content_type=XML)


@csrf_exempt  # Outlook posts from outside the site, without a session or a cookie.
@require_http_methods(["POST"])
def outlook_autodiscover(request: HttpRequest) -> HttpResponse:
    address = client_setup.autodiscover_request_address(request.body)
    if address is None:
        return HttpResponse(status=400)
    if not client_setup.address_in_domain(address, settings.MAIL_DOMAIN):
        raise Http404
    return HttpResponse(
        client_setup.outlook_autodiscover(client_settings(), address), content_type=XML
    )


@require_GET
def dav_redirect(request: HttpRequest) -> HttpResponse:
    """RFC 6764: /.well-known/caldav and /.well-known/carddav point to the DAV server."""
    return HttpResponsePermanentRedirect(client_settings().dav_url)
