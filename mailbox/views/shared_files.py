"""Large-file links: the sender's list (revoke, copy), and the public download page.

The download page needs no account: whoever holds the link (and its password, if any)
gets the file until it expires or is revoked; after that the page says so, with 410.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mailbox import large_files
from mailbox.attachment_forms import LinkPasswordForm
from mailbox.byte_ranges import RangeNotSatisfiable, byte_range


@require_GET
@login_required
def shared_file_list(request: HttpRequest) -> HttpResponse:
    site_root = request.build_absolute_uri("/")
    rows = [
        {
            "shared": shared,
            "available": large_files.is_available(shared),
            "url": large_files.link_url(shared, site_root),
        }
        for shared in large_files.shared_files_for_user(request.user)
    ]
    return render(request, "mailbox/shared_file_list.html", {"rows": rows})


@require_POST
@login_required
def revoke_shared_file(request: HttpRequest, shared_id: int) -> HttpResponse:
    large_files.revoke(large_files.get_shared_file_for_user(request.user, shared_id))
    return redirect("mailbox:shared-files")


def _private(response: HttpResponse) -> HttpResponse:
    # The token is the only key: no search engine, shared cache or proxy keeps the page.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


def _gone(request: HttpRequest, shared) -> HttpResponse:
    return _private(
        render(request, "mailbox/shared_file_gone.html", {"shared": shared}, status=410)
    )


def _page(request: HttpRequest, shared, form=None, error="", status=200) -> HttpResponse:
    context = {"shared": shared, "form": form or LinkPasswordForm(), "error": error}
    return _private(render(request, "mailbox/shared_file_page.html", context, status=status))


@require_GET
def shared_file_page(request: HttpRequest, token: str) -> HttpResponse:
    shared = large_files.get_shared_file_by_token(token)
    if not large_files.is_available(shared):
        return _gone(request, shared)
    return _page(request, shared)


@require_http_methods(["GET", "POST"])
def shared_file_download(request: HttpRequest, token: str) -> HttpResponse:
    """Stream the file: GET for a link without password, POST with it otherwise.

    A GET with a Range header (a browser resuming a cut download) gets those bytes only,
    and is not counted as another download.
    """
    shared = large_files.get_shared_file_by_token(token)
    if not large_files.is_available(shared):
        return _gone(request, shared)
    if shared.password_hash:
        if request.method != "POST":
            return redirect("shared-file", token=token)
        form = LinkPasswordForm(request.POST)
        if not form.is_valid():
            return _page(request, shared, form, status=422)
        try:
            right = large_files.check_link_password(shared, form.cleaned_data["password"])
        except large_files.PasswordLocked:
            error = _("Too many wrong passwords. Try again in 15 minutes.")
            return _page(request, shared, LinkPasswordForm(), error, status=429)
        if not right:
            error = _("Wrong password.")
            return _page(request, shared, LinkPasswordForm(), error, status=403)
    upload = shared.upload
    if request.method == "GET" and "Range" in request.headers:
        return _private(_partial_file(request, upload))
    large_files.count_download(shared)
    # Always a download, never shown inline: the file comes from someone else.
    response = FileResponse(
        upload.file.open("rb"),
        as_attachment=True,
        filename=upload.filename,
        content_type="application/octet-stream",
    )
    if not shared.password_hash:
        response["Accept-Ranges"] = "bytes"
    return _private(response)


def _partial_file(request: HttpRequest, upload) -> HttpResponse:
    """206 with the asked bytes, so that a cut download of a large file resumes."""
    try:
        asked = byte_range(request.headers["Range"], upload.size)
    except RangeNotSatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{upload.size}"
        return response
    first, last = asked if asked else (0, upload.size - 1)
    response = StreamingHttpResponse(
        _read_range(upload, first, last + 1 - first),
        status=206,
        content_type="application/octet-stream",
    )
    response["Content-Range"] = f"bytes {first}-{last}/{upload.size}"
    response["Content-Length"] = str(last + 1 - first)
    response["Content-Disposition"] = content_disposition_header(True, upload.filename)
    return response


def _read_range(upload, start: int, length: int):
    with upload.file.open("rb") as stored:
        stored.seek(start)
        while length > 0:
            data = stored.read(min(length, 1024 * 1024))
            if not data:
                return
            length -= len(data)
            yield data
