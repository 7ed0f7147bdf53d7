"""One helper chooses between a whole page and the partial that htmx asked for."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def page_or_partial(
    request: HttpRequest, page_template: str, partial_template: str, context: dict
) -> HttpResponse:
    template = partial_template if is_htmx(request) else page_template
    return render(request, template, context)
