"""Search results, shown like a folder: the same rows and the same actions.

A search in one folder pages like the folder. A search in all folders shows each folder
holding matches as its own group (newest matches first, a link to the rest): actions
act on one folder at a time, so each group has its own selection and toolbar. After an
action, static/js/label_filter.js asks for the results again (data-filtered-url).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse

from mailbox.errors import FolderNotFound, SearchFailed, SearchTooSlow
from mailbox.forms import PageForm
from mailbox.models import MailPreferences
from mailbox.search_forms import AdvancedSearchForm, QuickSearchForm
from mailbox.searching import highlight_terms, imap_criteria, received_range
from mailbox.services import imap, list_context, search
from webmail.htmx import is_htmx, page_or_partial


@login_required
def quick_search(request, folder_name):
    form = QuickSearchForm(request.GET)
    advanced = AdvancedSearchForm(user=request.user)
    return _results(request, folder_name, form, advanced, "mailbox:search")


@login_required
def advanced_search(request, folder_name):
    """Without conditions, the empty form; with them, the form and the results."""
    bound = any(name in request.GET for name in AdvancedSearchForm.base_fields)
    form = AdvancedSearchForm(request.GET if bound else None, user=request.user)
    return _results(request, folder_name, form, form, "mailbox:search-advanced")


def _results(request, folder_name, form, advanced, url_name):
    page_number = PageForm(request.GET).page_number()
    context = {
        "folder_name": folder_name,
        "search_form": form,
        "quick_form": form if isinstance(form, QuickSearchForm) else QuickSearchForm(),
        "advanced_form": advanced,
        "search_errors": [],
        "groups": [],
    }
    with imap.session_for(request.user.mail_account) as session:
        if is_htmx(request):  # the rows only: the toolbar needs the folders, not counts
            context["folders"] = session.list_folders()
        else:
            context["folders"] = session.list_folders_with_counts()
            context["quota"] = session.quota(context["folders"])
        if form.is_bound and form.is_valid():
            query = form.query()
            params = {k: v for k, v in request.GET.items() if k != "page"}
            context["list_url"] = _url(url_name, folder_name, params)
            memory = list_context.RememberedResults(
                request.user.mail_account,
                params,
                context["list_url"],
                paged=not query.all_folders,  # all folders: one page, the newest per folder
                reads_flags=query.reads_flags,
            )
            found = _found(
                request, session, context["folders"], folder_name, query, page_number, memory
            )
            context.update(found)
            context["results_token"] = list_context.results_token(folder_name, params)
            for group in context["groups"]:  # each group's rest: the search in its folder
                group["url"] = _url(url_name, group["folder"].name, _one_folder(params))
                group["token"] = list_context.results_token(group["folder"].name, params)
            context["highlight"] = " ".join(highlight_terms(query))
            context["query"] = query
    response = page_or_partial(
        request, "mailbox/search/search_results.html", "mailbox/search/search_rows.html", context
    )
    if form.is_bound and not form.is_valid():
        response.status_code = 422
    return response


def _found(request, session, folders, folder_name, query, page_number, memory) -> dict:
    criteria = imap_criteria(query)
    received = received_range(query)
    size = MailPreferences.for_user(request.user).page_size
    budget = settings.IMAP_SEARCH_BUDGET_MS / 1000
    try:
        if query.all_folders:
            found = search.search_all_folders(
                session, criteria, folders, memory=memory, timeout=budget, received=received
            )
            return {"groups": [{"folder": r.folder, "page": r.page} for r in found]}
        page = search.search_folder(
            session, folder_name, criteria, page_number, size, memory, budget, received
        )
        return {"page": page}
    except FolderNotFound as exc:
        raise Http404(exc.user_message) from exc
    except SearchFailed as exc:
        return {"search_errors": [exc.user_message]}
    except SearchTooSlow as exc:
        # Dovecot goes on with the abandoned search; this connection would get its answer.
        session.replace_connection()
        return {"search_errors": [exc.user_message]}


def _url(url_name: str, folder_name: str, params: dict) -> str:
    return f"{reverse(url_name, args=[folder_name])}?{urlencode(params)}"


def _one_folder(params: dict) -> dict:
    one = {k: v for k, v in params.items() if k != "all_folders"}
    if "scope" in one:
        one["scope"] = "folder"
    return one
