"""Drafts live in the IMAP Drafts folder: saved over and over as one message, resumed,
discarded; a message can be taken back during the undo delay."""

from django.urls import reverse

from mailbox.models import OutboxItem, Upload
from mailbox.services import imap
from tests.mailbox.compose_helpers import compose_data, folder_messages, send, wait_for_outbox
from tests.mailbox.upload_helpers import CLEAN, upload_file, wait_for_scan


def save(client, data):
    return client.post(reverse("mailbox:draft-save"), data)


def test_saving_again_replaces_the_previous_version(jean_client, jean):
    data = compose_data(jean, to="marie.martin@example.org", subject="Sortie", body="Premier jet")
    assert save(jean_client, data).json()["saved"] is True
    data["body"] = "Deuxième version, plus longue"
    data["bcc"] = "direction@example.org"

    response = save(jean_client, data)

    assert response.status_code == 200
    ((_uid, flags, draft),) = folder_messages(jean, "\\Drafts")
    assert "\\Draft" in flags
    assert draft.get_content().strip() == "Deuxième version, plus longue"
    assert draft["Bcc"] == "direction@example.org"  # kept in the draft, never sent


def test_a_bad_address_is_reported_to_the_page_and_nothing_is_saved(jean_client, jean):
    data = compose_data(jean, to="marie@", subject="x", body="y")

    response = save(jean_client, data)

    assert response.status_code == 422
    assert response.json()["errors"]["to"] == [
        "“marie@” is not a valid e-mail address. Correct it or remove it."
    ]


def test_reopening_a_draft_resumes_it_with_its_files(jean_client, jean):
    data = compose_data(
        jean,
        to="Marie Martin <marie.martin@example.org>",
        cc="paul.petit@example.org",
        subject="Compte rendu",
        mode="html",
        body_html="<p>Voici le <strong>compte rendu</strong>.</p>",
    )
    upload = upload_file(jean_client, data["draft_key"], "cr.pdf", CLEAN).json()
    wait_for_scan(upload["id"])
    save(jean_client, data)
    ((uid, _flags, _draft),) = folder_messages(jean, "\\Drafts")
    Upload.objects.filter(owner=jean).delete()  # a later session: the files come from IMAP

    response = jean_client.get(reverse("mailbox:draft-edit", args=[uid]))

    form = response.context["form"]
    assert form["draft_key"].value() == data["draft_key"]
    assert form["to"].value() == "Marie Martin <marie.martin@example.org>"
    assert form["cc"].value() == "paul.petit@example.org"
    assert form["subject"].value() == "Compte rendu"
    assert form["mode"].value() == "html"
    assert "<strong>compte rendu</strong>" in form["body_html"].value()
    (restored,) = Upload.objects.filter(owner=jean, draft_key=data["draft_key"])
    assert restored.filename == "cr.pdf"
    assert wait_for_scan(restored.pk).scan_status == "clean"
    with restored.file.open("rb") as stored:
        assert stored.read() == CLEAN


def test_a_draft_from_another_mail_client_is_taken_over(jean_client, jean):
    raw = (
        b"From: jean.dupont@example.org\r\nTo: marie.martin@example.org\r\n"
        b"Subject: Depuis Thunderbird\r\n\r\nBrouillon\r\n"
    )
    with imap.session_for(jean.mail_account) as session:
        session.append(session.special_folder("\\Drafts"), raw, ["\\Draft"])

    response = jean_client.get(reverse("mailbox:draft-edit", args=[1]))

    assert response.context["form"]["subject"].value() == "Depuis Thunderbird"
    ((_uid, _flags, draft),) = folder_messages(jean, "\\Drafts")  # one, now with our key
    assert draft["X-Webmail-Draft-Key"] == response.context["form"]["draft_key"].value()


def test_discarding_deletes_the_draft(jean_client, jean):
    data = compose_data(jean, subject="À jeter", body="x")
    save(jean_client, data)

    response = jean_client.post(reverse("mailbox:draft-discard"), {"draft_key": data["draft_key"]})

    assert response.status_code == 302
    assert folder_messages(jean, "\\Drafts") == []


def test_someone_elses_draft_key_or_draft_is_out_of_reach(client, jean, make_account):
    other = make_account()
    client.force_login(other)
    assert client.get(reverse("mailbox:draft-edit", args=[1])).status_code == 404
    assert client.get(reverse("mailbox:draft-resume", args=["x" * 20])).status_code == 404


def test_undo_during_the_delay_keeps_the_message_as_a_draft(
    jean_client, jean, settings, make_account
):
    make_account(username="marie.martin")
    settings.UNDO_SEND_SECONDS = 30
    data = compose_data(jean, to="marie.martin@example.org", subject="Oups", body="x")

    response = send(jean_client, data)
    page = jean_client.get(response["Location"]).content.decode()
    assert "Undo" in page
    item = OutboxItem.objects.get(user=jean, draft_key=data["draft_key"])
    undo = jean_client.post(reverse("mailbox:outbox-cancel", args=[item.pk]))

    assert undo["Location"] == reverse("mailbox:draft-resume", args=[data["draft_key"]])
    item.refresh_from_db()
    assert item.status == "cancelled"
    assert len(folder_messages(jean, "\\Drafts")) == 1
    # Sending again after the undo is a new, real send.
    settings.UNDO_SEND_SECONDS = 0
    send(jean_client, data)
    assert wait_for_outbox(jean, data["draft_key"]).status == "sent"


def test_another_user_cannot_see_or_cancel_an_outbox_item(client, jean, make_account, settings):
    settings.UNDO_SEND_SECONDS = 30
    client.force_login(jean)
    send(client, compose_data(jean, to="marie.martin@example.org", subject="x", body="x"))
    item = OutboxItem.objects.get(user=jean)
    client.force_login(make_account())

    assert client.get(reverse("mailbox:outbox-item", args=[item.pk])).status_code == 404
    assert client.post(reverse("mailbox:outbox-cancel", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.status == "queued"


def test_a_draft_opened_from_the_drafts_folder_offers_to_continue(jean_client, jean):
    save(jean_client, compose_data(jean, subject="Presque fini", body="x"))
    ((uid, _flags, _draft),) = folder_messages(jean, "\\Drafts")
    with imap.session_for(jean.mail_account) as session:
        folder = session.special_folder("\\Drafts")
    page = jean_client.get(reverse("mailbox:message-detail", args=[uid, folder])).content.decode()

    assert f'href="{reverse("mailbox:draft-edit", args=[uid])}"' in page
    assert reverse("mailbox:reply", args=[uid, folder]) not in page


def test_without_javascript_save_draft_reopens_the_saved_draft(jean_client, jean):
    data = compose_data(jean, subject="Sans JavaScript", body="Texte", save="page")

    response = jean_client.post(reverse("mailbox:draft-save"), data, follow=True)

    assert response.status_code == 200
    assert response.context["form"]["subject"].value() == "Sans JavaScript"
    assert response.context["form"]["draft_key"].value() == data["draft_key"]
    assert len(folder_messages(jean, "\\Drafts")) == 1
