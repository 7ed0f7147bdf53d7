"""Labels are IMAP keywords: checked over raw IMAP, as another mail client would see them."""

import logging

import pytest
from django.conf import settings
from django.urls import reverse
from imapclient import IMAPClient

from mailbox.label_forms import MAX_LABELS_PER_USER
from mailbox.models import Label
from tests.mailbox.action_helpers import create_folder, mailbox_with, messages_in, uids_of

SUBJECTS = ["Réunion parents", "Sortie scolaire", "Cantine"]


@pytest.fixture
def reader(client, make_account):
    user = mailbox_with(make_account, SUBJECTS)
    client.force_login(user)
    return user


def raw_imap(user):
    """A plain IMAP connection to the user's mailbox, like Thunderbird's."""
    client = IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False)
    client.login(f"{user.username}*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD)
    return client


def keywords_in(user, folder_name):
    """{subject: set of flags} of the folder: the flags read over raw IMAP, by UID."""
    with raw_imap(user) as imap:
        imap.select_folder(folder_name, readonly=True)
        rows = imap.fetch(imap.search("ALL"), ["FLAGS"])
    subjects = {message.uid: subject for subject, message in messages_in(user, folder_name).items()}
    return {subjects[uid]: {flag.decode() for flag in data[b"FLAGS"]} for uid, data in rows.items()}


def create_label(client, name, colour="green"):
    return client.post(reverse("mailbox:label-create"), {"name": name, "colour": colour})


def label_messages(client, action, label, uids, folder="INBOX", **extra):
    data = {"uids": uids, "label": label.pk, **extra}
    return client.post(reverse(f"mailbox:messages-{action}", args=[folder]), data)


def test_a_label_applied_to_two_messages_is_their_keyword_over_imap(client, reader):
    create_label(client, "Parents d'élèves", colour="green")
    label = Label.objects.get(user=reader)
    selected = uids_of(reader, "INBOX", "Réunion parents", "Cantine")

    response = label_messages(client, "label", label, selected)
    flags = keywords_in(reader, "INBOX")
    page = client.get(reverse("mailbox:folder-detail", args=["INBOX"])).content.decode()

    assert response.status_code == 302
    assert label.keyword == "parents_d'eleves"
    assert label.keyword in flags["Réunion parents"]
    assert label.keyword in flags["Cantine"]
    assert label.keyword not in flags["Sortie scolaire"]
    assert page.count('class="label-chip label-green"') == 2
    assert "Parents d&#x27;élèves" in page


def test_removing_a_label_takes_the_keyword_off_only_the_selected_message(client, reader):
    create_label(client, "Sorties")
    label = Label.objects.get(user=reader)
    label_messages(client, "label", label, [], all_in_folder="1")
    [cantine] = uids_of(reader, "INBOX", "Cantine")

    response = label_messages(client, "unlabel", label, [cantine])
    flags = keywords_in(reader, "INBOX")

    assert response.status_code == 302
    assert "sorties" not in flags["Cantine"]
    assert "sorties" in flags["Sortie scolaire"]


def test_keywords_set_by_another_client_show_neutrally(client, reader):
    with raw_imap(reader) as imap:
        imap.select_folder("INBOX")
        imap.add_flags([1], ["$label1", "projet_europe", "$Forwarded", "NonJunk"])
    [uid] = [u for u in uids_of(reader, "INBOX", *SUBJECTS) if u == 1]

    page = client.get(reverse("mailbox:folder-detail", args=["INBOX"])).content.decode()
    message = client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"])).content.decode()

    # Thunderbird's first default tag under its name, a stranger keyword as it is.
    assert page.count('class="label-chip label-other"') == 2
    assert ">Important</span>" in page
    assert ">projet_europe</span>" in page
    # Keywords that software sets for itself are not labels.
    assert "$Forwarded" not in page
    assert "NonJunk" not in page
    assert "projet_europe" in message


def test_renaming_keeps_the_keyword_so_messages_keep_the_label(client, reader):
    create_label(client, "Sorties", colour="blue")
    label = Label.objects.get(user=reader)
    label_messages(client, "label", label, uids_of(reader, "INBOX", "Sortie scolaire"))

    response = client.post(
        reverse("mailbox:label-edit", args=[label.pk]), {"name": "Voyages", "colour": "red"}
    )
    label.refresh_from_db()
    page = client.get(reverse("mailbox:folder-detail", args=["INBOX"])).content.decode()

    assert response.status_code == 302
    assert (label.name, label.colour, label.keyword) == ("Voyages", "red", "sorties")
    assert "sorties" in keywords_in(reader, "INBOX")["Sortie scolaire"]
    assert '<a class="label-chip label-red"' in page
    assert '<span class="visually-hidden">Label: </span>Voyages</a>' in page


def test_deleting_a_label_says_how_many_messages_then_unlabels_every_folder(client, reader):
    create_folder(reader, "Classes")
    create_label(client, "Urgent")
    label = Label.objects.get(user=reader)
    label_messages(client, "label", label, [], all_in_folder="1")
    moved = uids_of(reader, "INBOX", "Cantine")
    client.post(
        reverse("mailbox:messages-move", args=["INBOX"]), {"uids": moved, "target": "Classes"}
    )

    confirm = client.get(reverse("mailbox:label-delete", args=[label.pk]))
    response = client.post(reverse("mailbox:label-delete", args=[label.pk]))

    assert "The label will be taken off 3 messages, in every folder." in confirm.content.decode()
    assert response.status_code == 302
    assert not Label.objects.filter(pk=label.pk).exists()
    assert all("urgent" not in flags for flags in keywords_in(reader, "INBOX").values())
    assert "urgent" not in keywords_in(reader, "Classes")["Cantine"]


def test_a_second_label_with_the_same_name_is_refused_and_the_text_kept(client, reader):
    create_label(client, "Parents")

    response = create_label(client, "PARENTS")

    assert response.status_code == 422
    assert "You already have a label with this name." in response.content.decode()
    assert 'value="PARENTS"' in response.content.decode()
    assert Label.objects.filter(user=reader).count() == 1


def test_someone_elses_label_can_be_neither_applied_nor_changed(client, reader, make_account):
    stranger = make_account()
    theirs = Label.objects.create(user=stranger, name="Secret", colour="red", keyword="secret")
    selected = uids_of(reader, "INBOX", "Cantine")

    applied = label_messages(client, "label", theirs, selected)
    edited = client.post(reverse("mailbox:label-edit", args=[theirs.pk]), {"name": "x"})
    deleted = client.post(reverse("mailbox:label-delete", args=[theirs.pk]))

    assert applied.status_code == 422
    assert "This label does not exist (any more)." in applied.content.decode()
    assert "secret" not in keywords_in(reader, "INBOX")["Cantine"]
    assert edited.status_code == 404
    assert deleted.status_code == 404
    assert Label.objects.get(pk=theirs.pk).name == "Secret"


def test_the_message_page_shows_its_labels_and_can_label_it(client, reader):
    create_label(client, "Cantine", colour="orange")
    label = Label.objects.get(user=reader)
    [uid] = uids_of(reader, "INBOX", "Cantine")

    response = label_messages(client, "label", label, [uid], back_to_message="1")
    page = client.get(reverse("mailbox:message-detail", args=[uid, "INBOX"])).content.decode()

    assert response["Location"] == reverse("mailbox:message-detail", args=[uid, "INBOX"])
    assert 'class="label-chip label-orange"' in page
    assert reverse("mailbox:messages-unlabel", args=["INBOX"]) in page


def test_a_label_chip_opens_the_folder_filtered_by_that_label(client, reader):
    create_label(client, "Sorties", colour="blue")
    label = Label.objects.get(user=reader)
    label_messages(client, "label", label, uids_of(reader, "INBOX", "Réunion parents", "Cantine"))
    filtered_url = reverse("mailbox:label-messages", args=[label.pk, "INBOX"])

    folder = client.get(reverse("mailbox:folder-detail", args=["INBOX"])).content.decode()
    response = client.get(filtered_url)
    page_two = client.get(filtered_url, {"page": 2}, headers={"HX-Request": "true"})

    assert f'href="{filtered_url}"' in folder
    shown = {message.subject for message in response.context["page"].messages}
    assert shown == {"Réunion parents", "Cantine"}
    assert "Only the messages labelled" in response.content.decode()
    assert page_two.status_code == 200
    assert page_two.context["page"].messages == []


def test_someone_elses_label_filter_is_not_found(client, reader, make_account):
    theirs = Label.objects.create(user=make_account(), name="Secret", keyword="secret")

    response = client.get(reverse("mailbox:label-messages", args=[theirs.pk, "INBOX"]))

    assert response.status_code == 404


def test_a_label_past_the_limit_is_refused(client, reader):
    Label.objects.bulk_create(
        Label(user=reader, name=f"Classe {n}", keyword=f"classe_{n}")
        for n in range(MAX_LABELS_PER_USER)
    )

    response = create_label(client, "Une de trop")

    assert response.status_code == 422
    assert f"You can have at most {MAX_LABELS_PER_USER} labels." in response.content.decode()
    assert not Label.objects.filter(user=reader, name="Une de trop").exists()


def test_the_side_menu_lists_the_labels_for_the_current_folder(client, reader):
    create_folder(reader, "Classes")
    create_label(client, "Sorties", colour="green")
    label = Label.objects.get(user=reader)

    page = client.get(reverse("mailbox:folder-detail", args=["Classes"])).content.decode()
    filtered = client.get(reverse("mailbox:label-messages", args=[label.pk, "Classes"]))

    url = reverse("mailbox:label-messages", args=[label.pk, "Classes"])
    assert f'<a href="{url}"><span class="label-dot label-green"' in page
    assert f'<a href="{url}" aria-current="true">' in filtered.content.decode()


def test_the_filtered_rows_asked_again_after_an_action_cost_no_counts(client, reader, caplog):
    create_label(client, "Sorties", colour="blue")
    label = Label.objects.get(user=reader)
    label_messages(client, "label", label, uids_of(reader, "INBOX", "Cantine"))
    filtered_url = reverse("mailbox:label-messages", args=[label.pk, "INBOX"])
    caplog.set_level(logging.DEBUG, logger="imapclient")

    # What static/js/label_filter.js asks for after an action on the rows.
    rows = client.get(filtered_url, headers={"HX-Request": "true"})

    sent = [r.getMessage() for r in caplog.records if "> " in r.getMessage()]
    assert [m.subject for m in rows.context["page"].messages] == ["Cantine"]
    assert reverse("mailbox:messages-move", args=["INBOX"]) in rows.content.decode()
    assert not [line for line in sent if " STATUS " in line or " GETQUOTAROOT " in line]
