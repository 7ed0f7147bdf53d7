"""Address book data: addresses the user wrote to, the directory's search words, and the
distribution lists admins manage."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from addressbook.words import words

# Addresses that only mean something to the webmail and the mail server: a distribution
# list is <slug>@listes.<MAIL_DOMAIN> (addressbook.lists), a personal group
# groupe-<id>@groupes.<MAIL_DOMAIN> (addressbook.groups).
LIST_SUBDOMAIN = "listes"
GROUP_SUBDOMAIN = "groupes"


class CollectedAddress(models.Model):
    """An address the user sent mail to: how often, and when last."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collected_addresses"
    )
    address = models.CharField(_("address"), max_length=320)
    name = models.CharField(_("name"), max_length=200, blank=True)
    use_count = models.PositiveIntegerField(default=0)
    last_used = models.DateTimeField()
    # " word word...": folded words of the name and address, for `contains " prefix"`.
    search_key = models.CharField(max_length=700, default="", editable=False)

    class Meta:
        ordering = ["-last_used"]
        constraints = [
            models.UniqueConstraint(fields=["user", "address"], name="one_collected_address")
        ]
        verbose_name = _("recently used address")
        verbose_name_plural = _("recently used addresses")

    def __str__(self) -> str:
        return self.address

    def save(self, *args, **kwargs) -> None:
        self.search_key = collected_search_key(self.name, self.address)
        super().save(*args, **kwargs)


def collected_search_key(name: str, address: str) -> str:
    return (" " + " ".join(words(name) + words(address)))[:700]


class DirectoryWord(models.Model):
    """One word a person is found by in the directory (folded first name, last name or
    address piece). Kept in step with the accounts by addressbook.directory; searching
    `prefix <= word < bound` uses the index on both SQLite and PostgreSQL."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_words"
    )
    word = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["word", "user"], name="directory_word_prefix")]
        constraints = [models.UniqueConstraint(fields=["user", "word"], name="one_directory_word")]

    def __str__(self) -> str:
        return self.word


class DistributionList(models.Model):
    """A list an admin keeps (e.g. "Équipe pédagogique collège Jean Moulin"). Its address,
    <slug>@listes.<MAIL_DOMAIN>, is an alias of the mail server, which delivers a message
    to every member (addressbook.list_delivery)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name"),
        max_length=60,
        unique=True,
        help_text=_("Letters, digits and hyphens; identifies the list in compose."),
    )
    description = models.TextField(_("description"), blank=True)
    establishment = models.ForeignKey(
        "accounts.Establishment",
        verbose_name=_("establishment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="distribution_lists",
        help_text=_("Empty: offered to everyone; otherwise only to this establishment's staff."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member accounts"),
        blank=True,
        related_name="distribution_lists",
    )
    outside_addresses = models.TextField(
        _("other addresses"), blank=True, help_text=_("One e-mail address per line.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    accepts_outside_mail = models.BooleanField(
        _("accepts mail from outside"),
        default=False,
        help_text=_(
            "Off: only accounts of the mail domain, signed in, can write to the list. "
            "On: anyone on the internet can, e.g. for a contact address."
        ),
    )
    search_key = models.CharField(max_length=400, editable=False, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("distribution list")
        verbose_name_plural = _("distribution lists")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_key = " " + " ".join(words(self.name) + words(self.slug))
        super().save(*args, **kwargs)

    def outside_address_list(self) -> list[str]:
        return [
            line.strip().lower() for line in self.outside_addresses.splitlines() if line.strip()
        ]

    def clean(self) -> None:
        ours = {
            f"{sub}.{settings.MAIL_DOMAIN}".lower() for sub in (LIST_SUBDOMAIN, GROUP_SUBDOMAIN)
        }
        for address in self.outside_address_list():
            try:
                validate_email(address)
            except ValidationError:
                message = _("“%(address)s” is not a valid e-mail address.")
            else:
                if address.rpartition("@")[2] not in ours:
                    continue
                # The mail server would expand it, the local relay and the webmail not:
                # refused rather than delivered differently.
                message = _("“%(address)s” is a list or group: add its members instead.")
            raise ValidationError({"outside_addresses": message % {"address": address}})


class ContactBook(models.Model):
    """Where the user's CardDAV address book stands: its path on the server and the
    sync token of the last time the index below was brought in step with it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_book"
    )
    path = models.CharField(max_length=500)
    sync_token = models.CharField(max_length=500, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.path


class ContactIndex(models.Model):
    """One card of the user's CardDAV address book, as much as the contacts page and
    autocomplete need, so that they never wait for the server. The card itself (all its
    fields) stays on the server; addressbook.contacts keeps these rows in step."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts"
    )
    href = models.CharField(max_length=500)
    etag = models.CharField(max_length=200, blank=True)
    uid = models.CharField(max_length=300, blank=True)
    display_name = models.CharField(max_length=300)
    sort_key = models.CharField(max_length=300, db_index=True)
    # ' word word … ': folded words of the name, organisation, addresses and categories,
    # so that `search_key contains ' hel'` finds Hélène; names without accents or case.
    search_key = models.TextField()
    name_key = models.CharField(max_length=300, blank=True)
    emails = models.JSONField(default=list)
    phones = models.JSONField(default=list)
    organisation = models.CharField(max_length=300, blank=True)
    title = models.CharField(max_length=300, blank=True)
    has_photo = models.BooleanField(default=False)
    # "group" for a group card (addressbook.groups), whose members are other cards, by
    # vcards.member_key (their UID in lower case, or "mailto:address").
    kind = models.CharField(max_length=20, default="individual")
    member_keys = models.JSONField(default=list)

    class Meta:
        ordering = ["sort_key"]
        constraints = [models.UniqueConstraint(fields=["user", "href"], name="one_contact_href")]
        indexes = [models.Index(fields=["user", "sort_key"], name="contact_user_sort")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def primary_email(self) -> str:
        return self.emails[0] if self.emails else ""


class ContactCategory(models.Model):
    """A category (user-defined label) of a contact, as found in the card's CATEGORIES."""

    contact = models.ForeignKey(ContactIndex, on_delete=models.CASCADE, related_name="categories")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["user", "name"], name="contact_category_user_name")]

    def __str__(self) -> str:
        return self.name


class ContactImport(models.Model):
    """A .vcf file being imported by a Celery task (one PUT per card is too slow for a
    web request past a few hundred cards), and its report once done."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("importing")
        DONE = "done", _("done")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_imports"
    )
    file_name = models.CharField(max_length=255, blank=True)
    data = models.BinaryField(editable=False)  # emptied once imported
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done_count = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.file_name
