"""A compose form's content, with its files, turned into the message to save or send.

Attachments come from the draft's uploads (mailbox.uploads), read from storage in
chunks; large files travel as download links; a message forwarded as an attachment is
fetched from the user's own mailbox.
"""

from __future__ import annotations

import html
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mailbox import uploads as upload_store
from mailbox.composing import AttachmentData, Draft, write_message
from mailbox.errors import FolderNotFound, MessageNotFound, UploadRefused
from mailbox.large_files import IssuedLink, issue_links
from mailbox.models import Upload
from mailbox.parsing import parse_message, part_bytes
from mailbox.services import imap


def stored_file(upload: Upload) -> AttachmentData:
    """An upload as an attachment, read from storage in chunks while the message is built."""

    def open_chunks() -> Iterator[bytes]:
        with upload.file.open("rb") as stored:
            yield from stored.chunks()

    return AttachmentData(upload.filename, upload.content_type, open_chunks=open_chunks)


def attachments(user, draft: Draft) -> list[AttachmentData]:
    """The draft's files (large ones excepted) and, for a forward as attachment, the
    original message as a .eml file."""
    files = [
        stored_file(upload)
        for upload in upload_store.uploads_for_draft(user, draft.draft_key)
        if not upload.is_large_file and upload.file
    ]
    forwarded = _forwarded_original(user, draft.original)
    return [*files, forwarded] if forwarded else files


def _forwarded_original(user, original: str) -> AttachmentData | None:
    action, _sp, rest = original.partition(" ")
    uid, _sp, folder = rest.partition(" ")
    if action != "forward-attachment" or not uid.isdigit():
        return None
    with imap.session_for(user.mail_account) as session:
        try:
            fetched = session.fetch_message(folder, int(uid))
        except (FolderNotFound, MessageNotFound):
            return None
    subject = parse_message(fetched.raw).subject or _("message")
    return AttachmentData(f"{subject[:80]}.eml", "message/rfc822", fetched.raw)


def draft_message(draft: Draft, files: list[AttachmentData]) -> BinaryIO:
    """The version stored in Drafts: with Bcc, this app's headers and the files (see
    attachments). A temporary file (deleted when closed): the message is never whole
    in memory."""
    return _written(draft, files, as_draft=True)


def message_to_send(user, draft: Draft, files: list[AttachmentData], site_root: str) -> BinaryIO:
    """The message to submit, without Bcc (see composing.bcc_header), with the files
    gathered for its draft (attachments: a forwarded original is fetched once per send)
    and links to its large files, as a temporary file. Raises AttachmentsNotReady while
    a file is being scanned, infected, or over the limit."""
    uploads = list(upload_store.uploads_for_draft(user, draft.draft_key))
    upload_store.check_ready_to_send(uploads)
    links = issue_links(uploads, site_root)
    if links:
        draft.text = draft.text.rstrip("\n") + "\n\n" + _links_text(links)
        if draft.html is not None:
            draft.html += _links_html(links)
    return _written(draft, files, as_draft=False)


def _written(draft: Draft, files: list[AttachmentData], *, as_draft: bool) -> BinaryIO:
    out = tempfile.TemporaryFile()  # noqa: SIM115 - returned open; the caller closes it
    try:
        write_message(out, draft, files, date=timezone.now(), as_draft=as_draft)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def _link_line(link: IssuedLink) -> str:
    expires = formats.date_format(timezone.localtime(link.expires_at), "DATE_FORMAT")
    line = _("%(name)s (%(size)s), download until %(date)s") % {
        "name": link.filename,
        "size": filesizeformat(link.size),
        "date": expires,
    }
    if link.has_password:
        line += " – " + _("a password is needed; ask the sender")
    return line


def _links_text(links: list[IssuedLink]) -> str:
    lines = [_("Files shared by link:")]
    lines += [f"- {_link_line(link)}:\n  {link.url}" for link in links]
    return "\n".join(lines) + "\n"


def _links_html(links: list[IssuedLink]) -> str:
    items = "".join(
        f'<li><a href="{html.escape(link.url)}">{html.escape(_link_line(link))}</a></li>'
        for link in links
    )
    return f"<p>{html.escape(_('Files shared by link:'))}</p><ul>{items}</ul>"


def restore_uploads(user, draft_key: str, raw: bytes, original: str) -> None:
    """A resumed draft gets its files back as uploads (scanned again) unless they are
    still there from this session; a forwarded original is fetched again, not kept."""
    if upload_store.uploads_for_draft(user, draft_key).exists():
        return
    parsed = parse_message(raw)
    forwarded_again = original.startswith("forward-attachment")
    for info in parsed.attachments:
        if info.inline or (forwarded_again and info.content_type == "message/rfc822"):
            continue
        found = part_bytes(raw, info.part_id)
        if found is None or not found[1]:
            continue
        uploaded = SimpleUploadedFile(info.filename, found[1], content_type=info.content_type)
        try:
            upload_store.save_upload(user, draft_key, uploaded)
        except UploadRefused:
            continue  # over the limit (e.g. saved by another client): the page shows the rest
