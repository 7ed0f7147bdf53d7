"""Creating, renaming (moving) and deleting folders, checked on the real Dovecot."""

from contextlib import contextmanager

from django.conf import settings
from django.urls import reverse
from imapclient import IMAPClient

from mailbox.services import imap
from tests.mail_helpers import send_mail_as

NESTED = "Conseils de classe — 2026/3e B"
BUILT_IN = {"INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive"}


def folder_names(user) -> list[str]:
    with imap.session_for(user.mail_account) as session:
        return [folder.name for folder in session.list_folders()]


@contextmanager
def master_login(user):
    with IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False, timeout=10) as client:
        client.login(f"{user.username}*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD)
        yield client


def create(client, name, parent=""):
    return client.post(reverse("mailbox:folder-create"), {"name": name, "parent": parent})


def test_a_nested_folder_with_accents_is_created_on_the_server(logged_in_client, account):
    top = create(logged_in_client, "Été")
    nested = create(logged_in_client, NESTED, parent="Été")

    assert top.status_code == 302
    assert nested.status_code == 302
    with imap.session_for(account.mail_account) as session:
        folders = {folder.name: folder for folder in session.list_folders()}
    names = list(folders)
    assert {"Été", "Été/Conseils de classe — 2026", f"Été/{NESTED}"} <= set(names)
    # Every level is a real folder that can hold mail, not a \Noselect placeholder.
    assert folders["Été/Conseils de classe — 2026"].is_selectable
    assert folders[f"Été/{NESTED}"].display_name == "3e B"
    assert names.index("Été") < names.index(f"Été/{NESTED}")  # children follow parents
    page = logged_in_client.get(reverse("mailbox:folders")).content.decode()
    assert "3e B" in page
    assert 'class="folder-depth-2"' in page


def test_renaming_moves_the_folder_and_its_subfolders(logged_in_client, account):
    create(logged_in_client, "Projets/Sortie")
    create(logged_in_client, "Classes")

    response = logged_in_client.post(
        reverse("mailbox:folder-rename", args=["Projets"]),
        {"name": "Projets 2026", "parent": "Classes"},
    )

    assert response.status_code == 302
    names = folder_names(account)
    assert "Classes/Projets 2026/Sortie" in names
    assert not any(name.startswith("Projets") for name in names)


def test_the_rename_page_offers_the_current_name_and_parent(logged_in_client):
    create(logged_in_client, "Classes/6e A")

    response = logged_in_client.get(reverse("mailbox:folder-rename", args=["Classes/6e A"]))

    assert response.status_code == 200
    assert response.context["form"]["name"].value() == "6e A"
    assert response.context["form"]["parent"].value() == "Classes"
    choices = [value for value, _label in response.context["form"].fields["parent"].choices]
    assert "Classes/6e A" not in choices  # not into itself


def test_deleting_says_how_many_messages_go_and_removes_them(client, make_account):
    sender = make_account(first_name="Paul", last_name="Girard")
    reader = make_account()
    for number in range(3):
        send_mail_as(sender, [reader.mail_address], f"Message {number}")
    client.force_login(reader)
    create(client, "Anciens/2025")
    with master_login(reader) as imap_client:
        imap_client.select_folder("INBOX")
        uids = imap_client.search("ALL")
        imap_client.move(uids[:2], "Anciens")
        imap_client.move(uids[2:], "Anciens/2025")
    url = reverse("mailbox:folder-delete", args=["Anciens"])

    confirm = client.get(url)
    deleted = client.post(url)

    assert "3 messages will be deleted" in confirm.content.decode()
    assert deleted.status_code == 302
    assert not any(name.startswith("Anciens") for name in folder_names(reader))
    create(client, "Anciens")  # a new folder of the same name starts empty
    with imap.session_for(reader.mail_account) as session:
        assert session.count_messages_in_tree("Anciens") == 0


def test_special_folders_cannot_be_renamed_or_deleted(logged_in_client, account):
    for name in sorted(BUILT_IN):
        renamed = logged_in_client.post(
            reverse("mailbox:folder-rename", args=[name]), {"name": "Autre", "parent": ""}
        )
        deleted = logged_in_client.post(reverse("mailbox:folder-delete", args=[name]))
        assert renamed.status_code == 403
        assert deleted.status_code == 403
    names = folder_names(account)
    assert set(names) >= BUILT_IN
    assert "Autre" not in names


def test_a_duplicate_name_is_refused_and_keeps_what_was_typed(logged_in_client, account):
    create(logged_in_client, "Réunions")

    response = create(logged_in_client, "Réunions")

    assert response.status_code == 422
    page = response.content.decode()
    assert "A folder with this name already exists here" in page
    assert 'value="Réunions"' in page
    assert folder_names(account).count("Réunions") == 1


def test_renaming_onto_an_existing_folder_is_refused(logged_in_client, account):
    create(logged_in_client, "A")
    create(logged_in_client, "B")

    response = logged_in_client.post(
        reverse("mailbox:folder-rename", args=["A"]), {"name": "B", "parent": ""}
    )

    assert response.status_code == 422
    assert "A folder with this name already exists here" in response.content.decode()
    assert {"A", "B"} <= set(folder_names(account))


def test_bad_names_are_refused_before_reaching_the_server(logged_in_client, account):
    for name in ["", " Espace", "Fin ", "A//B", "/A", "A/", "Étoile*", "x" * 101]:
        response = create(logged_in_client, name)
        assert response.status_code == 422, name
        assert response.context["form"].errors["name"], name
    assert set(folder_names(account)) == BUILT_IN


def test_an_unknown_folder_cannot_be_renamed_or_deleted(logged_in_client):
    assert logged_in_client.get(reverse("mailbox:folder-delete", args=["Nulle"])).status_code == 404
    assert logged_in_client.get(reverse("mailbox:folder-rename", args=["Nulle"])).status_code == 404


def test_creating_needs_a_post(logged_in_client):
    response = logged_in_client.get(reverse("mailbox:folder-create"))

    assert response.status_code == 405
