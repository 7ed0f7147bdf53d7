"""The task edit form (the short add form is forms.TaskForm)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from calendar_app import events
from calendar_app.forms import TaskForm


class TaskEditForm(forms.Form):
    summary = forms.CharField(label=_("Title"), max_length=500)
    due = TaskForm.base_fields["due"]
    priority = TaskForm.base_fields["priority"]
    description = forms.CharField(
        label=_("Description"), max_length=10_000, required=False, widget=forms.Textarea
    )
    etag = forms.CharField(required=False, widget=forms.HiddenInput)

    def task(self, uid: str) -> events.Task:
        data = self.cleaned_data
        return events.Task(
            uid=uid,
            summary=data["summary"],
            due=data["due"],
            priority=data["priority"] or 0,
            description=data["description"],
        )


def initial_from(task: events.Task, etag: str) -> dict:
    return {
        "summary": task.summary,
        "due": task.due,
        "priority": _priority_choice(task.priority),
        "description": task.description,
        "etag": etag,
    }


def _priority_choice(priority: int) -> str:
    """RFC 5545's 1-9 (other apps use them all) as the form's High, Medium, Low."""
    if not priority:
        return "0"
    return "1" if priority < 5 else ("5" if priority == 5 else "9")
