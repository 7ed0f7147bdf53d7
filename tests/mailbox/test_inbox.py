"""The mail page lists the real INBOX from Dovecot."""

from django.urls import reverse

from tests.mail_helpers import send_mail_as


def test_a_delivered_message_shows_in_the_recipients_inbox(client, make_account):
    jean = make_account("jean.dupont", first_name="Jean", last_name="Dupont")
    marie = make_account("marie.martin", first_name="Marie", last_name="Martin")
    send_mail_as(jean, [marie.mail_address], "Conseil de classe de 3e B — ordre du jour")

    client.force_login(marie)
    response = client.get(reverse("mailbox:folder-detail", args=["INBOX"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Conseil de classe de 3e B — ordre du jour" in page
    assert "Jean Dupont" in page


def test_home_opens_the_inbox_and_lists_special_folders(logged_in_client):
    response = logged_in_client.get(reverse("mailbox:home"), follow=True)

    assert response.status_code == 200
    names = [folder.name for folder in response.context["folders"]]
    assert names[0] == "INBOX"
    assert {"Drafts", "Sent", "Trash", "Junk", "Archive"} <= set(names)


def test_pages_of_the_message_list_come_newest_first_as_an_htmx_partial(client, make_account):
    sender = make_account(first_name="Paul", last_name="Girard")
    reader = make_account()
    for number in range(1, 56):
        send_mail_as(sender, [reader.mail_address], f"Message {number:02d}")
    client.force_login(reader)
    url = reverse("mailbox:folder-detail", args=["INBOX"])

    first = client.get(url)
    second = client.get(url, {"page": 2}, headers={"HX-Request": "true"})

    assert [m.subject for m in first.context["page"].messages][:2] == ["Message 55", "Message 54"]
    assert len(first.context["page"].messages) == 50
    assert [m.subject for m in second.context["page"].messages] == [
        f"Message {n:02d}" for n in range(5, 0, -1)
    ]
    assert b"<html" not in second.content  # only the rows, for htmx to swap in
    assert "HX-Request" in second["Vary"]  # caches keep page and fragment apart


def test_an_unknown_folder_is_a_404(logged_in_client):
    response = logged_in_client.get(reverse("mailbox:folder-detail", args=["Nulle part"]))

    assert response.status_code == 404
