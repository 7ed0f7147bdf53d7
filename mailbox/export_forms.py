from django import forms

from mailbox.forms import MessageSelectionForm
from mailbox.services.export_progress import TOKEN_PATTERN


class ExportForm(MessageSelectionForm):
    """The messages to export (checked, or all in the folder) and, when the page's
    script is there to show a progress bar, the token it will poll with."""

    export_token = forms.RegexField(TOKEN_PATTERN, required=False)
