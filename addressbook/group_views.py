"""Pages of the personal groups (addressbook.groups): list, create, edit, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from addressbook import contacts, groups
from addressbook.group_forms import GroupForm
from webmail.errors import ContactsServerUnavailable


@login_required
def group_list(request):
    """The user's groups with their members, synced with the server first."""
    try:
        contacts.sync(request.user)
        offline = False
    except ContactsServerUnavailable:
        offline = True
    rows = [
        (group, _recipient(group), groups.members_of(request.user, group))
        for group in groups.groups_for(request.user)
    ]
    return render(request, "addressbook/groups/group_list.html", {"rows": rows, "offline": offline})


@login_required
def group_new(request):
    """A new group; ?members=<id>… (the contacts ticked on the contacts page) start ticked."""
    ticked = [pk for pk in request.GET.getlist("members") if pk.isdigit()]
    form = GroupForm(request.POST or None, user=request.user, initial={"members": ticked})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = groups.save_group(request.user, data["name"], data["chosen"])
        messages.success(request, _("Group “%(name)s” saved.") % {"name": group.display_name})
        return redirect("addressbook:groups")
    return _render_form(request, form, None, status=422 if request.method == "POST" else 200)


@login_required
def group_edit(request, group_id: int):
    group = groups.get_group_for_user(request.user, group_id)
    if request.method != "POST":
        contacts.sync(request.user)  # show the members as they are now on the server
        group = groups.get_group_for_user(request.user, group_id)
        initial = {
            "name": group.display_name,
            "members": groups.member_contacts(request.user, group),
            "etag": group.etag,
        }
        return _render_form(request, GroupForm(initial=initial, user=request.user), group)
    form = GroupForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            groups.save_group(
                request.user,
                form.cleaned_data["name"],
                form.cleaned_data["chosen"],
                group,
                etag=form.cleaned_data["etag"],
            )
        except contacts.CardChangedElsewhere:
            form.add_error(
                None,
                _("This group was changed or deleted on another device. Reload it and try again."),
            )
        else:
            messages.success(request, _("Group “%(name)s” saved.") % {"name": group.display_name})
            return redirect("addressbook:groups")
    return _render_form(request, form, group, status=422)


@require_POST
@login_required
def group_delete(request, group_id: int):
    group = groups.get_group_for_user(request.user, group_id)
    contacts.delete_contact(request.user, group)
    messages.success(
        request,
        _("Group “%(name)s” deleted. Its contacts are kept.") % {"name": group.display_name},
    )
    return redirect("addressbook:groups")


def _recipient(group) -> str:
    """The group as compose's To field shows it: "Name" <groupe-…@groupes.…>."""
    name = group.display_name.replace('"', "").replace("\\", "")
    return f'"{name}" <{groups.group_address(group)}>'


def _render_form(request, form: GroupForm, group, status: int = 200):
    return render(
        request,
        "addressbook/groups/group_form.html",
        {"form": form, "group": group},
        status=status,
    )
