from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from addressbook.directory import search_directory
from addressbook.forms import DirectorySearchForm


@login_required
def directory(request):
    form = DirectorySearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    people = search_directory(query)
    return render(request, "addressbook/directory.html", {"form": form, "people": people})
