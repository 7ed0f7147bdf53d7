"""Antivirus scan of one stored upload, as the Celery task runs it."""

from __future__ import annotations

import logging

from mailbox.models import Upload
from mailbox.services import antivirus
from webmail.errors import VirusScannerUnavailable

logger = logging.getLogger(__name__)

FINAL = {Upload.ScanStatus.CLEAN, Upload.ScanStatus.INFECTED}


def scan_upload(upload_id: str) -> str:
    """Scan the file and record the verdict; returns the new status.

    An infected file's bytes are deleted at once (the row stays, to tell the user).
    Raises VirusScannerUnavailable after recording `error`, so that the task retries.
    """
    from mailbox.uploads import delete_stored_file

    upload = Upload.objects.filter(pk=upload_id).first()
    if upload is None:
        return "gone"
    if upload.scan_status in FINAL or not upload.is_complete:
        return upload.scan_status
    try:
        with upload.file.open("rb") as stream:
            verdict = antivirus.scan_file(stream)
    except VirusScannerUnavailable as exc:
        logger.warning("scan failed: upload=%s detail=%s", upload.pk, exc.detail)
        _record(upload, Upload.ScanStatus.ERROR, "scanner unavailable")
        raise
    if verdict.clean:
        _record(upload, Upload.ScanStatus.CLEAN, "")
    else:
        logger.info("infected upload refused: upload=%s signature=%s", upload.pk, verdict.signature)
        _record(upload, Upload.ScanStatus.INFECTED, verdict.signature or "")
        delete_stored_file(upload)
    return upload.scan_status


def _record(upload: Upload, status: str, detail: str) -> None:
    # Only while the row still exists: the user may have removed the file meanwhile.
    upload.scan_status = status
    upload.scan_detail = detail[:255]
    Upload.objects.filter(pk=upload.pk).update(scan_status=status, scan_detail=upload.scan_detail)
