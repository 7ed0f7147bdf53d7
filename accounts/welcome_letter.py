"""The printable welcome letter (PDF): sign-in details and mail-client settings.

Drawn with reportlab's built-in Helvetica (no font files to ship) in the account's
language. Streams are left uncompressed: the letter is one small page, and its text
stays searchable by tests and by tools that check what was printed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from accounts.client_setup import ClientSettings
from accounts.helpdesk import client_settings_lines

MARGIN = 20 * mm
LINE = 6 * mm
VALUE_COLUMN = 60 * mm


@dataclass(frozen=True)
class WelcomeLetter:
    full_name: str
    username: str
    address: str
    temporary_password: str
    language: str
    login_url: str
    client: ClientSettings


class _Page:
    """A cursor going down one A4 page."""

    def __init__(self, pdf: canvas.Canvas) -> None:
        self.pdf = pdf
        self.y = A4[1] - MARGIN

    def text(self, text: str, size: int = 11, bold: bool = False, indent: float = 0) -> None:
        self.pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        self.pdf.drawString(MARGIN + indent, self.y, text)
        self.y -= LINE * size / 11

    def pair(self, label: str, value: str, mono: bool = False) -> None:
        """Label and value side by side, or the value below a label too long for its column."""
        self.pdf.setFont("Helvetica", 11)
        self.pdf.drawString(MARGIN, self.y, label)
        value_x = MARGIN + VALUE_COLUMN
        if self.pdf.stringWidth(label, "Helvetica", 11) > VALUE_COLUMN - 3 * mm:
            self.y -= LINE
            value_x = MARGIN + 10 * mm
        self.pdf.setFont("Courier-Bold" if mono else "Helvetica-Bold", 11)
        self.pdf.drawString(value_x, self.y, value)
        self.y -= LINE

    def gap(self) -> None:
        self.y -= LINE


def render_welcome_letter(letter: WelcomeLetter) -> bytes:
    """The letter as PDF bytes, in the letter's language."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0, invariant=1)
    with override(letter.language):
        pdf.setTitle(_("Your webmail account"))
        page = _Page(pdf)
        page.text(_("Your webmail account"), size=18, bold=True)
        page.gap()
        page.text(_("Hello %(name)s,") % {"name": letter.full_name or letter.username})
        page.text(_("Here is what you need to sign in for the first time."))
        page.gap()
        page.pair(_("E-mail address"), letter.address)
        page.pair(_("User name"), letter.username, mono=True)
        page.pair(_("Temporary password"), letter.temporary_password, mono=True)
        page.pair(_("Sign in at"), letter.login_url)
        page.gap()
        page.text(
            _("The temporary password is valid for %(days)s days and opens only the web page.")
            % {"days": settings.TEMPORARY_PASSWORD_VALID_DAYS}
        )
        page.text(_("Choose your own password at the first sign-in, then set up your devices."))
        page.gap()
        page.text(_("Outlook, Thunderbird and phones"), size=14, bold=True)
        page.text(_("Thunderbird and Outlook find these settings from your address;"))
        page.text(_("on other programs and phones, type them in:"))
        page.gap()
        for label, value in client_settings_lines(letter.client, letter.username):
            page.pair(label, value)
        page.gap()
        page.text(_("Keep this letter private, and destroy it once your password is changed."))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
