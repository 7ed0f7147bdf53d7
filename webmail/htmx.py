"""One helper chooses between a whole page and the partial that htmx asked for."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def page_or_partial(
    request: HttpRequest, page_template: str, partial_template: str, context: dict
) -> HttpResponse:
    template = partial_template if is_htmx(request) else page_template
    response = render(request, template, context)
    # The same URL answers a page or a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response
