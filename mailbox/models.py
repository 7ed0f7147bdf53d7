"""State the web app owns about mail; the IMAP server owns the messages themselves."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MailPreferences(models.Model):
    """How one user's message lists look: rows per page, order, conversations."""

    class SortKey(models.TextChoices):
        # Arrival is the IMAP sequence order: a page is one FETCH, no SORT at all.
        ARRIVAL = "arrival", _("Arrival")
        DATE = "date", _("Date")
        SENDER = "sender", _("Sender")
        SUBJECT = "subject", _("Subject")
        SIZE = "size", _("Size")

    PAGE_SIZES = (25, 50, 100, 200)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preferences"
    )
    page_size = models.PositiveSmallIntegerField(
        _("messages per page"), default=50, choices=[(size, str(size)) for size in PAGE_SIZES]
    )
    sort_key = models.CharField(
        _("sort by"), max_length=16, choices=SortKey.choices, default=SortKey.ARRIVAL
    )
    sort_descending = models.BooleanField(_("newest or largest first"), default=True)
    conversations = models.BooleanField(_("group messages into conversations"), default=False)
    # Gmail's "auto-advance": after archiving, deleting or moving the open message.
    open_next_after_action = models.BooleanField(
        _("open the next message after archiving or deleting one"), default=False
    )

    class Meta:
        verbose_name = _("mail preferences")
        verbose_name_plural = _("mail preferences")

    def __str__(self) -> str:
        return f"mail preferences of {self.user}"

    @classmethod
    def for_user(cls, user) -> "MailPreferences":
        """The user's preferences; the defaults (unsaved) if they never changed them."""
        try:
            return user.mail_preferences
        except cls.DoesNotExist:
            return cls(user=user)


def _upload_storage_name(upload: "Upload", filename: str) -> str:
    # Never the user's file name: it may hold path parts, and two files may share one.
    return f"uploads/{upload.owner_id}/{upload.pk}"


class Upload(models.Model):
    """A file attached to one compose session (draft), scanned before it can be sent.

    A large file (`is_large_file`) arrives in chunks (`received` counts the bytes so far)
    and leaves as a download link (SharedFile) instead of being attached.
    """

    class ScanStatus(models.TextChoices):
        PENDING = "pending", _("Scanning")
        CLEAN = "clean", _("Clean")
        INFECTED = "infected", _("Infected")
        ERROR = "error", _("Scanner unavailable")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uploads"
    )
    # Opaque key of one compose session or draft, made by the compose page.
    draft_key = models.CharField(max_length=64, db_index=True)
    file = models.FileField(upload_to=_upload_storage_name, max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=255, default="application/octet-stream")
    size = models.BigIntegerField(_("size"))
    received = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    scan_status = models.CharField(
        _("scan"), max_length=16, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )
    scan_detail = models.CharField(max_length=255, blank=True)
    is_large_file = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self) -> str:
        return self.filename

    @property
    def is_complete(self) -> bool:
        return bool(self.file) and self.received >= self.size


class SharedFile(models.Model):
    """A download link to a large file: only the token's hash is stored."""

    upload = models.OneToOneField(Upload, on_delete=models.CASCADE, related_name="shared")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shared_files"
    )
    # sha256 of the token in the link; empty until the link is issued (when sending),
    # and the link lives `link_days` from then.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    link_days = models.PositiveSmallIntegerField(_("days the link works"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    password_hash = models.CharField(max_length=255, blank=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    password_failures = models.PositiveSmallIntegerField(default=0)
    password_locked_until = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    file_deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("shared file")
        verbose_name_plural = _("shared files")

    def __str__(self) -> str:
        return f"link to {self.upload.filename}"


class Label(models.Model):
    """A user's label: a name and colour here, an IMAP keyword on the messages.

    The keyword is chosen once, at creation (mailbox.labels.keyword_for): renaming the
    label keeps it, so the messages stay labelled, here and in other mail clients.
    """

    class Colour(models.TextChoices):
        GREY = "grey", _("Grey")
        BLUE = "blue", _("Blue")
        GREEN = "green", _("Green")
        YELLOW = "yellow", _("Yellow")
        ORANGE = "orange", _("Orange")
        RED = "red", _("Red")
        PINK = "pink", _("Pink")
        PURPLE = "purple", _("Purple")

    MAX_NAME_LENGTH = 40

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_labels"
    )
    name = models.CharField(_("name"), max_length=MAX_NAME_LENGTH)
    colour = models.CharField(
        _("colour"), max_length=16, choices=Colour.choices, default=Colour.BLUE
    )
    keyword = models.CharField(_("IMAP keyword"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "user", Lower("name"), name="mailbox_label_unique_name_per_user"
            ),
            models.UniqueConstraint(
                "user", Lower("keyword"), name="mailbox_label_unique_keyword_per_user"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TrustedImageSender(models.Model):
    """A sender whose messages show remote images without asking (the reader chose it).

    Never applied to a message the phishing checks doubt (mailbox/phishing.py), since
    anyone can write this address in From.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trusted_image_senders"
    )
    # Stored in lower case: addresses are compared case-insensitively.
    address = models.EmailField(_("sender address"), max_length=254)
    created = models.DateTimeField(_("allowed on"), auto_now_add=True)

    class Meta:
        verbose_name = _("sender whose images are shown")
        verbose_name_plural = _("senders whose images are shown")
        ordering = ["address"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "address"], name="mailbox_trusted_image_sender_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.address


def sendable_addresses(user) -> list[str]:
    """The addresses a user may send from: their own mailbox address today; aliases
    given by admins would be added here."""
    return [user.mail_address]


class Identity(models.Model):
    """A From line the user can pick in compose: one of their own addresses, a display
    name and a signature."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identities"
    )
    address = models.EmailField(_("address"))
    display_name = models.CharField(_("name shown to recipients"), max_length=150, blank=True)
    signature = models.TextField(_("signature"), blank=True, max_length=4000)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        ordering = ["-is_default", "display_name", "pk"]
        verbose_name = _("identity")
        verbose_name_plural = _("identities")

    def __str__(self) -> str:
        return f"{self.display_name} <{self.address}>" if self.display_name else self.address

    @classmethod
    def for_user(cls, user) -> list["Identity"]:
        """The user's identities, the default first; one is made from their name and
        address the first time."""
        identities = list(cls.objects.filter(user=user, address__in=sendable_addresses(user)))
        if not identities:
            identities = [
                cls.objects.create(
                    user=user,
                    address=user.mail_address,
                    display_name=user.get_full_name(),
                    is_default=True,
                )
            ]
        return identities


class OutboxItem(models.Model):
    """A message on its way: recorded before it is submitted, so that pressing send twice
    sends once (one item per draft key), a failure is kept with its reason, undo and send
    later only have to change `send_at` or the status."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", pgettext_lazy("outgoing message status", "Sent")
        FAILED = "failed", _("Not sent")
        CANCELLED = "cancelled", _("Cancelled")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbox_items"
    )
    draft_key = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    send_at = models.DateTimeField(_("send at"))
    # The message as submitted (no Bcc, CRLF line ends) waits in storage: outbox.message_name.
    bcc_header = models.TextField(blank=True)  # prepended to the copy filed in Sent
    recipients = models.JSONField(default=list)  # [[name, address], ...], Bcc included
    subject = models.CharField(max_length=998, blank=True)
    message_id = models.CharField(max_length=255)
    original = models.CharField(max_length=1100, blank=True)  # "<action> <uid> <folder>"
    # Why it was not sent (one of ERRORS), and the server's words or the refused addresses.
    error = models.CharField(max_length=16, blank=True)
    error_detail = models.TextField(blank=True)
    filed_in_sent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    ERRORS = ("refused", "too_large", "rejected", "unavailable")

    class Meta:
        ordering = ["send_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "draft_key"], name="one_outbox_item_per_draft")
        ]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")

    def __str__(self) -> str:
        return f"{self.subject} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.SENDING}

    @property
    def is_scheduled_later(self) -> bool:
        """Send later, as opposed to the few seconds of undo."""
        return self.send_at > timezone.now() + timedelta(minutes=1)


class SnoozedMessage(models.Model):
    """A message hidden in the Snoozed folder until `until` (mailbox/snoozing.py).

    The message is found again by its Message-ID header, which no server or client
    changes, rather than by a UID. woken_at is set once it is back in INBOX, unread (or
    was found gone): a row without it is still waiting.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="snoozed_messages"
    )
    message_id = models.CharField(max_length=998)  # RFC 5322's line limit
    original_folder = models.CharField(_("snoozed from"), max_length=1000)
    # Shown in the list of snoozed messages without opening the mailbox.
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    sender = models.CharField(_("sender"), max_length=255, blank=True)
    until = models.DateTimeField(_("comes back"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    woken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["until"]
        verbose_name = _("snoozed message")
        verbose_name_plural = _("snoozed messages")

    def __str__(self) -> str:
        return f"{self.subject or self.message_id} until {self.until:%Y-%m-%d %H:%M}"


class MessageTemplate(models.Model):
    """A reusable message: its recipients, subject and body start a new message."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_templates"
    )
    name = models.CharField(_("template name"), max_length=150)
    to = models.TextField(_("to"), blank=True)
    cc = models.TextField(_("cc"), blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    body = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("formatted text"), blank=True)  # sanitised when saved
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")

    def __str__(self) -> str:
        return self.name
