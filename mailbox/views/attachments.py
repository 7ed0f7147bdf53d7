"""The compose page's file endpoints (JSON for static/js/attachments.js).

Every lookup goes through the user (get_upload_for_user): another user's file is a 404.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from mailbox import large_files, uploads
from mailbox.attachment_forms import LargeFileStartForm
from mailbox.errors import UploadRefused
from mailbox.filenames import human_size
from mailbox.models import Upload


def upload_json(upload: Upload) -> dict:
    return {
        "id": str(upload.pk),
        "filename": upload.filename,
        "size": upload.size,
        "size_text": human_size(upload.size),
        "received": upload.received,
        "large": upload.is_large_file,
        "scan_status": upload.scan_status,
        "scan_label": str(Upload.ScanStatus(upload.scan_status).label),
    }


def _refused(exc: UploadRefused) -> JsonResponse:
    return JsonResponse({"error": str(exc.user_message)}, status=422)


@require_POST
@login_required
def upload_attachment(request: HttpRequest, draft_key: str) -> JsonResponse:
    # Refused before Django reads (and stores) the body: the per-message limit, plus room
    # for the multipart framing.
    declared = int(request.headers.get("Content-Length") or 0)
    if declared > uploads.message_limit_bytes() + 64 * 1024:
        return _refused(UploadRefused(uploads.too_large_message()))
    uploaded = request.FILES.get("file")
    if uploaded is None:
        return JsonResponse({"error": "no file"}, status=400)
    try:
        upload = uploads.save_upload(request.user, draft_key, uploaded)
    except UploadRefused as exc:
        return _refused(exc)
    return JsonResponse(upload_json(upload), status=201)


@require_GET
@login_required
def attachment_statuses(request: HttpRequest, draft_key: str) -> JsonResponse:
    files = uploads.uploads_for_draft(request.user, draft_key)
    return JsonResponse({"files": [upload_json(upload) for upload in files]})


@require_POST
@login_required
def delete_attachment(request: HttpRequest, upload_id: str) -> JsonResponse:
    uploads.delete_upload(uploads.get_upload_for_user(request.user, upload_id))
    return JsonResponse({"deleted": upload_id})


@require_POST
@login_required
def rescan_attachment(request: HttpRequest, upload_id: str) -> JsonResponse:
    upload = uploads.get_upload_for_user(request.user, upload_id)
    if upload.is_large_file and not upload.file and upload.received >= upload.size:
        large_files.queue_assembly(upload)
    elif upload.scan_status in (Upload.ScanStatus.PENDING, Upload.ScanStatus.ERROR):
        uploads.request_scan(upload)
    return JsonResponse(upload_json(upload))


@require_POST
@login_required
def start_large_file(request: HttpRequest, draft_key: str) -> JsonResponse:
    form = LargeFileStartForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": form.errors.as_text()}, status=422)
    data = form.cleaned_data
    try:
        upload = large_files.start_upload(
            request.user,
            draft_key,
            data["filename"],
            data["size"],
            data["content_type"],
            data["link_days"],
            data["password"],
        )
    except UploadRefused as exc:
        return _refused(exc)
    return JsonResponse({**upload_json(upload), "chunk_size": large_files.CHUNK_SIZE}, status=201)


@require_GET
@login_required
def large_file_offset(request: HttpRequest, upload_id: str) -> JsonResponse:
    upload = uploads.get_upload_for_user(request.user, upload_id)
    return JsonResponse({"offset": upload.received, "size": upload.size})


@require_POST
@login_required
def large_file_chunk(request: HttpRequest, upload_id: str) -> JsonResponse:
    """The body is the raw chunk; `?offset=` says where it starts in the file."""
    upload = uploads.get_upload_for_user(request.user, upload_id)
    try:
        offset = int(request.GET.get("offset", ""))
        length = int(request.headers.get("Content-Length", ""))
    except ValueError:
        return JsonResponse({"error": "offset and length required"}, status=400)
    try:
        received = large_files.append_chunk(upload, offset, request, length)
    except UploadRefused as exc:
        return JsonResponse({"error": str(exc.user_message), "offset": upload.received}, status=422)
    status = 200 if received == offset + length else 409
    return JsonResponse({"offset": received, "size": upload.size}, status=status)


def panel_context(draft_key: str) -> dict:
    """Extra context of the attachments panel, for pages that include it."""
    return {
        "draft_key": draft_key,
        "attachment_limit_mb": settings.ATTACHMENT_MAX_MESSAGE_MB,
        "large_file_limit_mb": settings.LARGE_FILE_MAX_MB,
    }
