"""Forms of the forgotten-password pages and of the backup-address page."""

from __future__ import annotations

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from accounts import recovery_rules as rules


class RecoveryCaptchaInput(CaptchaTextInput):
    """Our template: a described image, no inline style, a refresh button for JS."""

    template_name = "accounts/recovery/captcha_widget.html"


class RecoveryRequestForm(forms.Form):
    login = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    numen = forms.CharField(
        label=_("NUMEN (staff number)"),
        max_length=20,
        help_text=_(
            "13 letters and digits. It is printed on your payslips and appointment "
            "letters; your establishment's administration can also give it to you."
        ),
        # Never echoed back into the page: it is a secret-like identifier.
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        # The date picker sends 1980-04-23; where a browser shows a plain text box,
        # people type the day first, as everywhere in France.
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"],
        error_messages={
            "invalid": _("Enter the day, month and year of your birth, e.g. 23/04/1980.")
        },
    )
    captcha = CaptchaField(
        label=_("Letters in the image"),
        widget=RecoveryCaptchaInput(),
        error_messages={"invalid": _("The letters do not match the image. Try the new image.")},
    )

    def clean_numen(self) -> str:
        numen = rules.normalize_numen(self.cleaned_data["numen"])
        if not rules.is_numen(numen):
            raise forms.ValidationError(
                _("A NUMEN has exactly 13 letters and digits; you typed %(count)d."),
                params={"count": len(numen)},
            )
        return numen


class RecoveryCodeForm(forms.Form):
    login = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    code = forms.CharField(
        label=_("Code from the message"),
        max_length=20,
        help_text=_("6 letters and digits, e.g. K7MP3Q."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )

    def clean_code(self) -> str:
        code = rules.normalize_code(self.cleaned_data["code"])
        if len(code) != rules.RECOVERY_CODE_LENGTH:
            raise forms.ValidationError(_("The code has 6 letters and digits."))
        return code


class RecoverySetPasswordForm(SetPasswordForm):
    """Django's new-password form (validators included), plus the second factor when the
    account has two-factor on."""

    otp_token = forms.CharField(
        label=_("Code from your authenticator app, or a backup code"),
        max_length=16,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        if not user.two_factor_enabled:
            del self.fields["otp_token"]
        else:
            self.fields["otp_token"].required = True

    def clean_otp_token(self) -> str:
        from accounts.recovery import verify_second_factor

        token = self.cleaned_data["otp_token"]
        if not verify_second_factor(self.user, token):
            raise forms.ValidationError(
                _(
                    "This code is not valid. Use the current code of your app, "
                    "or an unused backup code."
                )
            )
        return token


class BackupEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Backup e-mail address"),
        help_text=_("A personal address outside the webmail, used only to recover your account."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if not rules.is_outside_domain(email, settings.MAIL_DOMAIN):
            raise forms.ValidationError(
                _(
                    "Choose an address outside @%(domain)s: "
                    "a backup must work when this one does not."
                ),
                params={"domain": settings.MAIL_DOMAIN},
            )
        return email


class BackupCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the message"),
        max_length=10,
        help_text=_("6 digits."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
