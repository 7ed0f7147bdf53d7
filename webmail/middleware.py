"""Turns 'a server is down' into a friendly retry page, never a stack trace."""

import logging

from django.shortcuts import render

from webmail.errors import ServiceUnavailable
from webmail.htmx import is_htmx

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10


class ServiceErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ServiceUnavailable):
            return None
        user = getattr(request, "user", None)
        logger.warning(
            "service unavailable: service=%s user_id=%s path=%s detail=%s",
            exception.service,
            getattr(user, "pk", None),
            request.path,
            exception.detail,
        )
        template = (
            "errors/partials/service_unavailable.html"
            if is_htmx(request)
            else "errors/service_unavailable.html"
        )
        response = render(request, template, {"error": exception}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
