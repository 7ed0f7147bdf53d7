"""Export a folder or a selection as an mbox file or a zip of .eml files, streamed.

The selection is the list's own (checked messages, or all in the folder). The view only
checks it and measures it; the download is a generator that opens its own IMAP session
and fetches the messages batch by batch (ImapSession.iter_raw_messages), so that 10,000
messages never sit in memory at once and the first bytes leave at once.

Progress: a streamed download has no length, so the browser cannot show how far it got.
Instead of building the file in a Celery task (a temporary copy of the whole mailbox on
disk, a second download, files to clean up), the generator records "done of total" in
Redis under a token the page chose, and the page polls export_progress (static/js/export.js).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from mailbox.export_formats import eml_filename, mboxrd_entry, safe_filename, zip_stream
from mailbox.export_forms import ExportForm
from mailbox.parsing import header_subject
from mailbox.services import imap
from mailbox.services.export_progress import TOKEN_PATTERN, ExportProgress, read_progress
from mailbox.views.message_actions import folder_or_404, list_response, selected_uids
from webmail.errors import ServiceUnavailable


@require_POST
@login_required
def export_mbox(request, folder_name):
    return _export(request, folder_name, _mbox_chunks, "mbox", "application/mbox")


@require_POST
@login_required
def export_zip(request, folder_name):
    return _export(request, folder_name, _zip_chunks, "zip", "application/zip")


@require_GET
@login_required
def export_progress(request, token):
    """{'done', 'total', 'finished', 'failed'} of the user's export with this token; 404
    while the export has not started (or for another user's token)."""
    if not TOKEN_PATTERN.match(token):
        raise Http404
    state = read_progress(request.user.pk, token)
    if state is None:
        raise Http404
    response = JsonResponse(state)
    response["Cache-Control"] = "no-store"
    return response


def _export(request, folder_name, chunks, extension, content_type):
    account = request.user.mail_account
    form = ExportForm(request.POST)
    with imap.session_for(account) as session:
        if not form.is_valid():
            errors = [error for field_errors in form.errors.values() for error in field_errors]
            return list_response(request, session, folder_name, None, errors, status=422)
        with folder_or_404():
            sizes = session.message_sizes(folder_name, selected_uids(session, folder_name, form))
    token = form.cleaned_data["export_token"]
    progress = ExportProgress(request.user.pk, token, len(sizes)) if token else None
    messages = _messages(account, folder_name, sizes, progress)
    response = StreamingHttpResponse(chunks(messages), content_type=content_type)
    name = safe_filename(folder_name.replace("/", " - "), "export")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{name} {timezone.localdate().isoformat()}.{extension}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _messages(account, folder_name, sizes, progress):
    """The messages one by one, over one IMAP session opened when the download starts."""
    done, failed = 0, False
    try:
        with imap.session_for(account) as session:
            for message in session.iter_raw_messages(folder_name, sizes):
                yield message
                done += 1
                if progress:
                    progress.update(done)
    except ServiceUnavailable:
        # Too late for an error page: the download breaks off, and the page says why.
        failed = True
        raise
    finally:
        if progress:
            progress.update(done, finished=True, failed=failed)
            progress.close()


def _mbox_chunks(messages):
    for message in messages:
        yield mboxrd_entry(message.raw, message.sender, message.received)


def _zip_chunks(messages):
    # The names start with the UID, unique in a folder: no two files can collide.
    return zip_stream(
        (eml_filename(header_subject(m.raw), m.uid), m.raw, m.received) for m in messages
    )
