"""Forms for creating and renaming folders.

A name may hold the server's delimiter to create nested folders at once
("Conseils de classe — 2026/3e B"); each part is checked on its own. Accents and other
non-ASCII letters are fine: imapclient encodes names in IMAP's modified UTF-7.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_PART_LENGTH = 100
MAX_NAME_LENGTH = 250
# IMAP LIST wildcards, and characters that mail clients and Maildir handle badly.
FORBIDDEN_CHARACTERS = frozenset('%*\\"')


class FolderNameForm(forms.Form):
    """A name and the folder to put it in ('' for the top level).

    folders: the account's folders (the parent choices); delimiter: the server's
    hierarchy delimiter; moving: the folder being renamed, which can go neither into
    itself nor into one of its subfolders.
    """

    # strip=False: spaces around a name are refused, not silently changed.
    name = forms.CharField(label=_("Name"), strip=False, max_length=MAX_NAME_LENGTH)
    parent = forms.ChoiceField(label=_("Inside"), required=False)

    def __init__(self, data=None, *, folders, delimiter="/", moving=None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.delimiter = delimiter
        self.fields["parent"].choices = [("", _("(top level)"))] + [
            (folder.name, folder.name)
            for folder in folders
            if folder.is_selectable and not (moving and moving.contains(folder.name))
        ]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        for part in name.split(self.delimiter):
            self._check_part(part)
        return name

    def _check_part(self, part: str) -> None:
        delimiter = {"delimiter": self.delimiter}
        if not part:
            raise ValidationError(
                _("A name cannot begin or end with “%(delimiter)s” or hold it twice in a row."),
                code="empty_part",
                params=delimiter,
            )
        if part != part.strip():
            raise ValidationError(_("A name cannot begin or end with a space."), code="spaces")
        if len(part) > MAX_PART_LENGTH:
            raise ValidationError(
                _("Each part of a name can have at most %(max)s characters."),
                code="too_long",
                params={"max": MAX_PART_LENGTH},
            )
        if any(char in FORBIDDEN_CHARACTERS or not char.isprintable() for char in part):
            raise ValidationError(
                _('A name cannot hold the characters % * \\ " or control characters.'),
                code="forbidden",
            )

    def full_name(self) -> str:
        """The folder's full IMAP name: parent, delimiter, name."""
        parent = self.cleaned_data.get("parent") or ""
        name = self.cleaned_data["name"]
        return f"{parent}{self.delimiter}{name}" if parent else name
