"""Templates: what is written is kept under a name and starts new messages."""

from django.urls import reverse

from mailbox.models import MessageTemplate
from tests.mailbox.compose_helpers import compose_data


def test_a_message_saved_as_template_starts_a_new_message(client, jean):
    client.force_login(jean)
    data = compose_data(
        jean,
        to="parents-3b@example.org",
        subject="Réunion parents-professeurs",
        mode="html",
        body_html="<p>Madame, Monsieur,</p><p>La réunion aura lieu <b>jeudi</b>.</p>",
        template_name="Convocation parents",
    )

    response = client.post(reverse("mailbox:template-save"), data)

    assert response.status_code == 200
    assert "The template “Convocation parents” was saved." in response.content.decode()
    assert response.context["form"]["subject"].value() == "Réunion parents-professeurs"
    template = MessageTemplate.objects.get(user=jean)
    started = client.get(reverse("mailbox:compose-from-template", args=[template.pk]))
    form = started.context["form"]
    assert form["to"].value() == "parents-3b@example.org"
    assert form["subject"].value() == "Réunion parents-professeurs"
    assert "<b>jeudi</b>" in form["body_html"].value()
    assert "La réunion aura lieu jeudi." in form["body"].value()
    assert form["draft_key"].value() != data["draft_key"]  # a new message, not the old draft
    listing = client.get(reverse("mailbox:templates")).content.decode()
    assert "Convocation parents" in listing


def test_templates_are_private(client, jean, make_account):
    template = MessageTemplate.objects.create(user=jean, name="Privé", subject="x")
    client.force_login(make_account())

    assert (
        client.get(reverse("mailbox:compose-from-template", args=[template.pk])).status_code == 404
    )
    assert client.post(reverse("mailbox:template-delete", args=[template.pk])).status_code == 404
    assert MessageTemplate.objects.filter(pk=template.pk).exists()
