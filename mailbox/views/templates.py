"""Message templates: saved from the compose page, started from, listed, deleted."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailbox import compose_start
from mailbox.composing import format_address_list, one_line, text_to_html
from mailbox.models import Identity, MessageTemplate
from mailbox.views.compose import compose_form, compose_page


def get_template_for_user(user, template_id) -> MessageTemplate:
    """The user's template; 404 for one that is missing or someone else's."""
    try:
        return MessageTemplate.objects.get(pk=template_id, user=user)
    except MessageTemplate.DoesNotExist:
        raise Http404("no such template") from None


@require_POST
@login_required
def template_save(request):
    """Keep what is written as a template; the compose page stays as it was."""
    form = compose_form(request, Identity.for_user(request.user), data=request.POST)
    if not form.is_valid():
        return compose_page(request, form, status=422)
    draft = form.draft()
    name = one_line(request.POST.get("template_name", ""))[:150] or draft.subject or _("Template")
    MessageTemplate.objects.create(
        user=request.user,
        name=name,
        to=format_address_list(draft.to),
        cc=format_address_list(draft.cc),
        subject=draft.subject,
        body=draft.text,
        body_html=draft.html or text_to_html(draft.text),
    )
    notice = _("The template “%(name)s” was saved.") % {"name": name}
    return compose_page(request, form, notice=notice)


@login_required
def compose_from_template(request, template_id):
    template = get_template_for_user(request.user, template_id)
    identities = Identity.for_user(request.user)
    initial = compose_start.from_template(compose_start.default_identity(identities), template)
    return compose_page(request, compose_form(request, identities, initial=initial))


@login_required
def template_list(request):
    templates = MessageTemplate.objects.filter(user=request.user)
    return render(request, "mailbox/templates.html", {"templates": templates})


@require_POST
@login_required
def template_delete(request, template_id):
    get_template_for_user(request.user, template_id).delete()
    return redirect("mailbox:templates")
