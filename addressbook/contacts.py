"""Personal contacts: cards in the user's CardDAV address book, and the local index that
the contacts page and autocomplete read.

Every write goes to the server first (PUT/DELETE), then the index row is updated from what
was stored. `sync` brings the index in step with changes made elsewhere (a phone,
Thunderbird) through the sync-collection REPORT.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from addressbook import vcards
from addressbook.collected import Suggestion
from addressbook.models import ContactBook, ContactCategory, ContactImport, ContactIndex
from addressbook.photos import PhotoUnreadable, safe_photo
from addressbook.services import carddav
from addressbook.services.carddav import CardChangedElsewhere, StoredCard
from addressbook.words import fold, query_words
from webmail.errors import TaskQueueUnavailable
from webmail.services.tasks_queue import enqueue

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 10

__all__ = ["CardChangedElsewhere", "sync", "save_contact", "delete_contact", "import_file"]


def get_contact_for_user(user, contact_id: int) -> ContactIndex:
    """The user's contact; 404 for a missing one and for someone else's."""
    try:
        return ContactIndex.objects.get(pk=contact_id, user=user)
    except ContactIndex.DoesNotExist:
        raise Http404 from None


def sync(user) -> ContactBook:
    """Bring the index in step with the address book on the server (creating the book on
    first use). Raises ContactsServerUnavailable."""
    with carddav.session_for(user.mail_account) as session:
        book = ContactBook.objects.filter(user=user).first()
        if book is None:
            book = ContactBook.objects.create(user=user, path=session.ensure_address_book())
        try:
            changes = session.changes_since(book.sync_token)
        except carddav.SyncTokenExpired:
            session.ensure_address_book()  # deleted from another client: a new, empty one
            changes = session.changes_since("")
            _forget_except(user, set(changes.changed))
        # Cards this app just wrote are already indexed with their etag: skip those.
        indexed: dict[str, str] = {}
        if changes.changed:  # most page loads: nothing changed, the index is not read
            indexed = dict(ContactIndex.objects.filter(user=user).values_list("href", "etag"))
        stale = [h for h, etag in changes.changed.items() if not etag or indexed.get(h) != etag]
        cards = session.fetch(stale) if stale else []
    with transaction.atomic():
        ContactIndex.objects.filter(user=user, href__in=changes.deleted).delete()
        for card in cards:
            _index(user, card)
        book.sync_token = changes.token
        book.synced_at = timezone.now()
        book.save(update_fields=["sync_token", "synced_at"])
    return book


def read_contact(user, entry: ContactIndex) -> tuple[vcards.Contact, StoredCard]:
    """The full card behind an index row. Raises CardChangedElsewhere (deleted on another
    device: the row is dropped) and ContactsServerUnavailable."""
    with carddav.session_for(user.mail_account) as session:
        try:
            stored = session.get(entry.href)
        except CardChangedElsewhere:
            entry.delete()
            raise
    try:
        return vcards.parse_vcard(stored.vcard), stored
    except ValueError:
        return vcards.Contact(uid=entry.uid, formatted_name=entry.display_name), stored


@dataclass
class PhotoChange:
    """What to do with the photo when saving: keep it, remove it, or a new upload."""

    remove: bool = False
    upload: bytes | None = None


def save_contact(
    user,
    contact: vcards.Contact,
    entry: ContactIndex | None = None,
    photo: PhotoChange | None = None,
    etag: str = "",
) -> ContactIndex:
    """Create (entry None) or replace a contact on the server, then index it. When
    replacing, the card's other properties are kept, and the card must still be the
    version `etag` (the one the form was filled from; default: the indexed one).
    Raises PhotoUnreadable, CardChangedElsewhere, ContactsServerUnavailable."""
    photo = photo or PhotoChange()
    with carddav.session_for(user.mail_account) as session:
        _ensure_book(user, session)
        keep_from, jpeg = None, None
        if entry is not None:
            stored = session.get(entry.href)
            expected = etag or entry.etag
            if expected and stored.etag and stored.etag != expected:
                raise CardChangedElsewhere(entry.href)
            keep_from = vcards.read_component(stored.vcard)
            old = vcards.contact_from_component(keep_from)
            contact = replace(contact, uid=old.uid or contact.uid or vcards.new_uid())
            jpeg = _jpeg_or_none(old.photo)
        else:
            contact = replace(contact, uid=contact.uid or vcards.new_uid())
        if photo.upload is not None:
            jpeg = safe_photo(photo.upload)
        elif photo.remove:
            jpeg = None
        text = vcards.write_vcard(contact, keep_from=keep_from, photo_jpeg=jpeg)
        if entry is None:
            stored = session.put(contact.uid, text)
        else:
            stored = session.put(contact.uid, text, href=entry.href, etag=stored.etag)
        if not stored.etag:
            stored = session.get(stored.href)
    return _index(user, stored)


def delete_contact(user, entry: ContactIndex) -> None:
    """Remove the card from the server and the index. Raises ContactsServerUnavailable."""
    with carddav.session_for(user.mail_account) as session:
        session.delete(entry.href)
    entry.delete()


def contact_photo(user, entry: ContactIndex) -> bytes | None:
    """The contact's photo as a JPEG we wrote ourselves, or None."""
    contact, _stored = read_contact(user, entry)
    return _jpeg_or_none(contact.photo)


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    skipped: list[vcards.Skipped] = field(default_factory=list)
    photos_dropped: list[str] = field(default_factory=list)


def start_import(user, file_name: str, data: bytes) -> ContactImport:
    """Record the file, then queue its import (addressbook.tasks.import_contacts).
    Raises TaskQueueUnavailable (the row is removed: nothing half-started is left)."""
    from addressbook.tasks import import_contacts

    job = ContactImport.objects.create(user=user, file_name=file_name[:255], data=data)
    try:
        enqueue(import_contacts, job.pk)
    except TaskQueueUnavailable:
        job.delete()
        raise
    return job


def run_import(import_id: int) -> None:
    """The task's work: import the file and keep the report. Safe to run twice (cards
    already stored are replaced by UID). Raises ContactsServerUnavailable (retried)."""
    job = ContactImport.objects.select_related("user").filter(pk=import_id).first()
    if job is None or job.status == ContactImport.Status.DONE:
        return
    job.status = ContactImport.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(done: int, total: int) -> None:
        ContactImport.objects.filter(pk=job.pk).update(done_count=done, total=total)

    report = import_file(job.user, bytes(job.data), progress=progress)
    job.report = {
        "imported": report.imported,
        "skipped": [[s.position, s.name, s.reason] for s in report.skipped],
        "photos_dropped": report.photos_dropped,
    }
    job.status, job.data = ContactImport.Status.DONE, b""
    job.save(update_fields=["report", "status", "data"])


def get_import_for_user(user, import_id: int) -> ContactImport:
    try:
        return ContactImport.objects.get(pk=import_id, user=user)
    except ContactImport.DoesNotExist:
        raise Http404 from None


def import_file(user, data: bytes, progress=None) -> ImportReport:
    """Store every readable card of a .vcf file as a new contact (a card whose UID is
    already in the address book replaces it). progress(done, total) is called every
    PROGRESS_EVERY cards. Raises ContactsServerUnavailable."""
    result = vcards.read_cards(data)
    report = ImportReport(skipped=list(result.skipped))
    sync(user)  # cards a phone added meanwhile are replaced, not refused as UID conflicts
    known = dict(ContactIndex.objects.filter(user=user).values_list("uid", "href"))
    with carddav.session_for(user.mail_account) as session:
        _ensure_book(user, session)
        for card in result.cards:
            contact = card.contact
            jpeg = _jpeg_or_none(contact.photo)
            if contact.photo and jpeg is None:
                report.photos_dropped.append(contact.display_name)
            keep = vcards.read_component(card.vcard)
            text = vcards.write_vcard(contact, keep_from=keep, photo_jpeg=jpeg)
            href = known.get(contact.uid, "")
            try:
                stored = session.put(contact.uid, text, href=href)
            except CardChangedElsewhere:
                # Same UID under another name on the server: store it as a new card.
                contact = replace(contact, uid=vcards.new_uid())
                text = vcards.write_vcard(contact, keep_from=None, photo_jpeg=jpeg)
                stored = session.put(contact.uid, text)
            if not stored.etag:
                stored = session.get(stored.href)
            known[contact.uid] = _index(user, stored).href
            report.imported.append(contact.display_name)
            if progress and len(report.imported) % PROGRESS_EVERY == 0:
                progress(len(report.imported), len(result.cards))
    if progress:
        progress(len(report.imported), len(result.cards))
    return report


def export_cards(user, entries: list[ContactIndex], version: str = "3.0") -> str:
    """The cards as one .vcf text, in vCard 3.0 (as stored) or 4.0."""
    with carddav.session_for(user.mail_account) as session:
        cards = session.fetch([entry.href for entry in entries])
    texts = [card.vcard for card in cards]
    if version == "4.0":
        texts = [vcards.to_vcard4(text) for text in texts]
    return "".join(text if text.endswith("\r\n") else text + "\r\n" for text in texts)


def merge(
    user, entries: list[ContactIndex], read: list[vcards.Contact], choices: dict[str, int]
) -> ContactIndex:
    """Make one contact of several: the first card is replaced by the merged one (all
    e-mail addresses, phones and categories; other fields as chosen), the others deleted.
    read: the entries' cards (read_contact), as the person chose from them.
    Raises CardChangedElsewhere and ContactsServerUnavailable."""
    merged = vcards.merge_contacts(read, choices)
    photo = PhotoChange(upload=merged.photo) if merged.photo else PhotoChange(remove=True)
    if merged.photo and _jpeg_or_none(merged.photo) is None:
        photo = PhotoChange(remove=True)
    kept = save_contact(user, merged, entries[0], photo=photo)
    for entry in entries[1:]:
        delete_contact(user, entry)
    return kept


def search(user, query: str = "", category: str = "") -> QuerySet[ContactIndex]:
    """The user's contacts whose words start with every word typed (accents ignored),
    optionally only those in a category, by name. Groups are not contacts here."""
    contacts = ContactIndex.objects.filter(user=user).exclude(kind=vcards.GROUP)
    for word in query_words(query):
        contacts = contacts.filter(search_key__contains=" " + word)
    if category:
        contacts = contacts.filter(categories__name=category)
    return contacts


def category_names(user) -> list[str]:
    names = ContactCategory.objects.filter(user=user).values_list("name", flat=True)
    return sorted(set(names), key=fold)


def duplicate_groups(user) -> list[list[ContactIndex]]:
    """Contacts that are probably the same person (same e-mail address or same name)."""
    entries = list(ContactIndex.objects.filter(user=user).exclude(kind=vcards.GROUP))
    by_id = {entry.pk: entry for entry in entries}
    groups = vcards.duplicate_groups([(e.pk, e.name_key, e.emails) for e in entries])
    return [[by_id[pk] for pk in group] for group in groups]


def search_contacts(user, query: str, limit: int) -> list[Suggestion]:
    """Autocomplete source: one suggestion per e-mail address of matching contacts."""
    if not query_words(query):
        return []
    found: list[Suggestion] = []
    for entry in search(user, query).only("display_name", "emails")[: limit * 2]:
        for address in entry.emails:
            found.append(Suggestion(entry.display_name, address, "contact"))
    return found[:limit]


def _ensure_book(user, session: carddav.CardDavSession) -> None:
    if not ContactBook.objects.filter(user=user).exists():
        ContactBook.objects.get_or_create(user=user, defaults={"path": session.book})
    session.ensure_address_book()


def _jpeg_or_none(photo: bytes | None) -> bytes | None:
    if not photo:
        return None
    try:
        return safe_photo(photo)
    except PhotoUnreadable:
        return None


def _forget_except(user, hrefs: set[str]) -> None:
    ContactIndex.objects.filter(user=user).exclude(href__in=hrefs).delete()


def _index(user, stored: StoredCard) -> ContactIndex:
    try:
        contact = vcards.parse_vcard(stored.vcard)
    except ValueError:
        logger.warning("unreadable card user=%s href=%s", user.pk, stored.href)
        contact = vcards.Contact(formatted_name=stored.href.rsplit("/", 1)[-1])
    name = contact.display_name or (contact.phones[0][1] if contact.phones else "?")
    entry, _created = ContactIndex.objects.update_or_create(
        user=user,
        href=stored.href,
        defaults={
            "etag": stored.etag,
            "uid": contact.uid[:300],
            "display_name": name[:300],
            "sort_key": fold(contact.family_name or name)[:150] + " " + fold(name)[:140],
            "search_key": vcards.search_key(contact),
            "name_key": vcards.name_key(contact)[:300],
            "emails": contact.email_addresses,
            "phones": [number for _kind, number in contact.phones],
            "organisation": contact.organisation[:300],
            "title": contact.title[:300],
            "has_photo": bool(contact.photo),
            "kind": contact.kind,
            "member_keys": [vcards.member_key(uri) for uri in contact.members],
        },
    )
    entry.categories.all().delete()
    ContactCategory.objects.bulk_create(
        ContactCategory(contact=entry, user=user, name=name[:60])
        for name in dict.fromkeys(contact.categories)
    )
    return entry
