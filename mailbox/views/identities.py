"""Identities: the From lines a user can choose, each with its name and signature."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mailbox.identity_forms import IdentityForm
from mailbox.models import Identity


def get_identity_for_user(user, identity_id) -> Identity:
    """The user's identity; 404 for one that is missing or someone else's."""
    try:
        return Identity.objects.get(pk=identity_id, user=user)
    except Identity.DoesNotExist:
        raise Http404("no such identity") from None


@login_required
def identity_list(request):
    identities = Identity.for_user(request.user)
    return render(request, "mailbox/identities.html", {"identities": identities})


@login_required
def identity_edit(request, identity_id=None):
    identity = get_identity_for_user(request.user, identity_id) if identity_id else None
    form = IdentityForm(request.POST or None, instance=identity, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            saved.user = request.user
            saved.save()
            if saved.is_default:
                others = Identity.objects.filter(user=request.user).exclude(pk=saved.pk)
                others.update(is_default=False)
        return redirect("mailbox:identities")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "identity": identity}
    return render(request, "mailbox/identity_form.html", context, status=status)


@require_POST
@login_required
def identity_delete(request, identity_id):
    """Delete an identity; the last one stays (a message needs a From)."""
    identity = get_identity_for_user(request.user, identity_id)
    if Identity.objects.filter(user=request.user).count() > 1:
        identity.delete()
        if not Identity.objects.filter(user=request.user, is_default=True).exists():
            first = Identity.objects.filter(user=request.user).order_by("pk").first()
            Identity.objects.filter(pk=first.pk).update(is_default=True)
    return redirect("mailbox:identities")
