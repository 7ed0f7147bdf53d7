from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render

from addressbook.directory import directory_page
from addressbook.forms import DirectorySearchForm
from addressbook.suggestions import suggest

PAGE_SIZE = 50


@login_required
def directory(request):
    """Every active account, searchable and filtered by establishment, 50 a page."""
    form = DirectorySearchForm(request.GET)
    valid = form.is_valid()
    query = form.cleaned_data["q"] if valid else ""
    establishment = form.cleaned_data["establishment"] if valid else None
    page = directory_page(query, establishment, request.GET.get("page"), PAGE_SIZE)
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "addressbook/directory.html",
        {"form": form, "page": page, "people": page.object_list, "filters": filters.urlencode()},
    )


@login_required
def autocomplete(request):
    """Addresses matching what is typed in a To/Cc/Bcc field (JSON), ranked: recently used,
    then distribution lists and the directory (see addressbook.suggestions)."""
    suggestions = suggest(request.user, request.GET.get("q", ""))
    return JsonResponse({"results": [s.as_dict() for s in suggestions]})
