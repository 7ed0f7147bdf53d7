from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "Wrong username or password. Check the spelling, and Caps Lock, and try again."
        ),
        "inactive": _("This account is disabled. Contact the helpdesk."),
        "temporary_password_expired": _(
            "Your temporary password has expired. Ask the helpdesk for a new one, or use "
            "“Forgotten password”."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.temporary_password_expired:
            raise forms.ValidationError(
                self.error_messages["temporary_password_expired"],
                code="temporary_password_expired",
            )


class RequiredPasswordChangeForm(SetPasswordForm):
    """Choose your own password in place of the temporary one (no old password asked:
    the person has just typed it to sign in)."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = False
        user.temporary_password_expires_at = None
        if commit:
            user.save()
        return user
