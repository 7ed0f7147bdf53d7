"""Pages of the personal contacts (CardDAV address book, read through the local index)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from addressbook import contacts, vcards
from addressbook.contact_forms import (
    EMAIL_TYPE_CHOICES,
    PHONE_TYPE_CHOICES,
    ContactForm,
    ContactSearchForm,
    ExportForm,
    ImportForm,
    MergeForm,
)
from addressbook.models import ContactIndex
from addressbook.photos import PhotoUnreadable
from webmail.errors import ContactsServerUnavailable
from webmail.htmx import page_or_partial

PAGE_SIZE = 50
SKIP_REASONS = {
    vcards.NOT_A_VCARD: gettext_lazy("not a vCard"),
    vcards.UNREADABLE: gettext_lazy("the card could not be read"),
    vcards.NO_NAME: gettext_lazy("no name, e-mail address or phone number"),
    vcards.TOO_MANY: gettext_lazy("too many contacts in one file"),
}


@login_required
def contact_list(request):
    """The user's contacts, searchable and filtered by category; synced with the server
    first (one small request when nothing changed)."""
    try:
        contacts.sync(request.user)
        offline = False
    except ContactsServerUnavailable:
        offline = True  # the index still answers; say that it may be behind
    form = ContactSearchForm(request.GET)
    valid = form.is_valid()
    query = form.cleaned_data["q"] if valid else ""
    category = form.cleaned_data["category"] if valid else ""
    found = contacts.search(request.user, query, category).prefetch_related("categories")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "contacts": page.object_list,
        "categories": contacts.category_names(request.user),
        "category": category,
        "query": query,
        "filters": filters.urlencode(),
        "offline": offline,
    }
    return render(request, "addressbook/contacts/contact_list.html", context)


@login_required
def contact_detail(request, contact_id: int):
    entry = contacts.get_contact_for_user(request.user, contact_id)
    if entry.kind == vcards.GROUP:
        return redirect("addressbook:group-edit", group_id=entry.pk)
    contact = _read_or_redirect(request, entry)
    if contact is None:
        return redirect("addressbook:contacts")
    email_types, phone_types = dict(EMAIL_TYPE_CHOICES), dict(PHONE_TYPE_CHOICES)
    context = {
        "entry": entry,
        "contact": contact,
        "emails": [(email_types.get(kind, kind), address) for kind, address in contact.emails],
        "phones": [(phone_types.get(kind, kind), number) for kind, number in contact.phones],
    }
    return render(request, "addressbook/contacts/contact_detail.html", context)


@login_required
def contact_new(request):
    form = ContactForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = contacts.save_contact(request.user, form.contact(), photo=_photo_change(form))
        except PhotoUnreadable:
            form.add_error("photo", _("This image could not be read."))
        else:
            messages.success(request, _("Contact saved."))
            return redirect("addressbook:contact-detail", contact_id=entry.pk)
    return _render_form(request, form, None, status=422 if request.method == "POST" else 200)


@login_required
def contact_edit(request, contact_id: int):
    entry = contacts.get_contact_for_user(request.user, contact_id)
    if request.method != "POST":
        try:
            contact, stored = contacts.read_contact(request.user, entry)
        except contacts.CardChangedElsewhere:
            messages.warning(request, _("This contact was deleted on another device."))
            return redirect("addressbook:contacts")
        form = ContactForm(contact=contact, initial={"etag": stored.etag})
        return _render_form(request, form, entry)
    form = ContactForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            contacts.save_contact(
                request.user,
                form.contact(entry.uid),
                entry,
                photo=_photo_change(form),
                etag=form.cleaned_data["etag"],
            )
        except PhotoUnreadable:
            form.add_error("photo", _("This image could not be read."))
        except contacts.CardChangedElsewhere:
            form.add_error(
                None,
                _(
                    "This contact was changed on another device. Your changes are below; "
                    "reload the contact to see the other version."
                ),
            )
        else:
            messages.success(request, _("Contact saved."))
            return redirect("addressbook:contact-detail", contact_id=entry.pk)
    return _render_form(request, form, entry, status=422)


@require_POST
@login_required
def contact_delete(request, contact_id: int):
    entry = contacts.get_contact_for_user(request.user, contact_id)
    contacts.delete_contact(request.user, entry)
    messages.success(request, _("Contact “%(name)s” deleted.") % {"name": entry.display_name})
    return redirect("addressbook:contacts")


@login_required
def contact_photo(request, contact_id: int):
    """The photo, re-encoded as JPEG by us: never the bytes as found on the card."""
    entry = contacts.get_contact_for_user(request.user, contact_id)
    try:
        photo = contacts.contact_photo(request.user, entry)
    except contacts.CardChangedElsewhere:
        raise Http404 from None
    if photo is None:
        raise Http404
    response = HttpResponse(photo, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def contact_import(request):
    """Upload a .vcf file; its import runs in a Celery task (see contact_import_detail)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = contacts.start_import(request.user, upload.name, upload.read())
        return redirect("addressbook:contact-import-detail", import_id=job.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "addressbook/contacts/contact_import.html", {"form": form}, status=status
    )


@login_required
def contact_import_detail(request, import_id: int):
    """Progress of an import, then its report; htmx polls the partial while it runs."""
    job = contacts.get_import_for_user(request.user, import_id)
    report = job.report
    context = {
        "job": job,
        "done": job.status == job.Status.DONE,
        "imported": report.get("imported", []),
        "skipped_rows": [
            (position, name, SKIP_REASONS.get(reason, reason))
            for position, name, reason in report.get("skipped", [])
        ],
        "photos_dropped": report.get("photos_dropped", []),
    }
    return page_or_partial(
        request,
        "addressbook/contacts/contact_import_detail.html",
        "addressbook/partials/import_progress.html",
        context,
    )


@login_required
def contact_export(request, contact_id: int | None = None):
    """One contact, or all, as a .vcf download (vCard 3.0, or 4.0 with ?version=4.0)."""
    form = ExportForm(request.GET)
    version = form.cleaned_data["version"] if form.is_valid() else ""
    if contact_id is None:
        entries = list(ContactIndex.objects.filter(user=request.user))
        filename = "contacts.vcf"
    else:
        entries = [contacts.get_contact_for_user(request.user, contact_id)]
        filename = "contact.vcf"
    text = contacts.export_cards(request.user, entries, version or "3.0")
    response = HttpResponse(text, content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def duplicates(request):
    contacts.sync(request.user)
    groups = contacts.duplicate_groups(request.user)
    return render(request, "addressbook/contacts/duplicates.html", {"groups": groups})


@login_required
def contact_merge(request):
    """Merge the contacts given as ?id=…&id=… (at least two of the user's own)."""
    ids = request.POST.getlist("id") if request.method == "POST" else request.GET.getlist("id")
    try:
        wanted = list(dict.fromkeys(int(i) for i in ids))
    except ValueError:
        raise Http404 from None
    entries = [contacts.get_contact_for_user(request.user, pk) for pk in wanted]
    if len(entries) < 2:
        raise Http404
    try:
        read = [contacts.read_contact(request.user, entry)[0] for entry in entries]
    except contacts.CardChangedElsewhere:
        return _merge_interrupted(request)
    options = _merge_options(read)
    form = MergeForm(request.POST or None, options=options)
    if request.method == "POST" and form.is_valid():
        try:
            kept = contacts.merge(request.user, entries, read, form.cleaned_data)
        except contacts.CardChangedElsewhere:
            return _merge_interrupted(request)
        messages.success(request, _("Contacts merged."))
        return redirect("addressbook:contact-detail", contact_id=kept.pk)
    rows = [(name, form[name], label) for name, label in _merge_labels() if name in options]
    return render(
        request,
        "addressbook/contacts/contact_merge.html",
        {"form": form, "rows": rows, "entries": entries, "contacts": read},
    )


def _merge_interrupted(request):
    messages.warning(
        request,
        _(
            "One of these contacts was changed or deleted on another device, so nothing "
            "was merged. Check the duplicates again."
        ),
    )
    return redirect("addressbook:contact-duplicates")


def _merge_labels():
    return [
        ("name", _("Name")),
        ("organisation", _("Organisation")),
        ("title", _("Role or title")),
        ("address", _("Postal address")),
        ("note", _("Notes")),
        ("photo", _("Photo")),
    ]


def _merge_options(read: list[vcards.Contact]) -> dict[str, list[tuple[int, str]]]:
    """For each field that differs between the contacts, the choices (index, shown value)."""
    shown = {
        "name": lambda c: c.display_name,
        "organisation": lambda c: c.organisation,
        "title": lambda c: c.title,
        "address": lambda c: ", ".join(c.address.lines()),
        "note": lambda c: c.note[:200],
        "photo": lambda c: _("Photo of %(name)s") % {"name": c.display_name} if c.photo else "",
    }
    options = {}
    for name, value in shown.items():
        choices = [(index, value(c)) for index, c in enumerate(read) if value(c)]
        if len({label for _i, label in choices}) > 1:
            options[name] = choices
    return options


def _read_or_redirect(request, entry: ContactIndex) -> vcards.Contact | None:
    try:
        return contacts.read_contact(request.user, entry)[0]
    except contacts.CardChangedElsewhere:
        messages.warning(request, _("This contact was deleted on another device."))
        return None


def _photo_change(form: ContactForm) -> contacts.PhotoChange:
    upload = form.cleaned_data.get("photo")
    return contacts.PhotoChange(
        remove=form.cleaned_data.get("remove_photo", False),
        upload=upload.read() if upload else None,
    )


def _render_form(request, form: ContactForm, entry: ContactIndex | None, status: int = 200):
    return render(
        request,
        "addressbook/contacts/contact_form.html",
        {"form": form, "entry": entry},
        status=status,
    )
