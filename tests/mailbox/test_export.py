"""Export a folder or a selection from the real Dovecot: the files hold the messages byte
for byte, the download is streamed, and the page can follow its progress."""

import io
import zipfile
from email.utils import make_msgid

import pytest
from django.urls import reverse

from mailbox.export_formats import split_mboxrd
from scripts.localstack import free_port
from tests.mailbox.export_helpers import append_messages, stored_messages


def tricky(number):
    """Messages an mbox can break: From_ lines in the body, 8-bit text, long lines."""
    bodies = [
        b"Bonjour,\r\nFrom now on the meeting is at 9.\r\n>From the minutes.\r\n",
        b"\xc9l\xe8ves de 3e B (latin-1, undeclared)\r\n\r\n>>From quoted twice\r\n",
        b"From\r\nFrom \r\n" + b"x" * 2000 + b"\r\n",
        b"Bonjour.\r\n",
    ]
    return (
        b"From: Sophie Leroy <sophie.leroy@example.org>\r\n"
        b"To: marie.martin@example.org\r\n"
        b"Subject: =?utf-8?q?Conseil_de_classe_n=C2=B0" + str(number).encode() + b"?=\r\n"
        b"Message-ID: " + make_msgid(domain="example.org").encode() + b"\r\n"
        b"Date: Mon, 23 Nov 2026 09:00:00 +0100\r\n\r\n" + bodies[number % len(bodies)]
    )


@pytest.fixture
def archive(make_account, client):
    owner = make_account()
    originals = [tricky(n) for n in range(8)]
    append_messages(owner, "Archives/2025-2026", originals)
    client.force_login(owner)
    return client, owner, originals


def post_export(client, kind, folder_name, **data):
    response = client.post(reverse(f"mailbox:export-{kind}", args=[folder_name]), data)
    assert response.status_code == 200, response.content[:500]
    assert response.streaming
    return response, b"".join(response.streaming_content)


def test_a_folder_exported_as_mbox_gives_back_every_message_byte_for_byte(archive):
    client, owner, originals = archive

    response, content = post_export(client, "mbox", "Archives/2025-2026", all_in_folder="1")

    assert response["Content-Type"] == "application/mbox"
    assert 'filename="Archives - 2025-2026 ' in response["Content-Disposition"]
    stored = stored_messages(owner, "Archives/2025-2026")
    assert split_mboxrd(content) == list(stored.values()) == originals
    assert content.startswith(b"From sophie.leroy@example.org ")


def test_a_folder_exported_as_zip_holds_one_eml_per_message(archive):
    client, owner, originals = archive

    response, content = post_export(client, "zip", "Archives/2025-2026", all_in_folder="1")

    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(content)) as zipped:
        names = zipped.namelist()
        assert [zipped.read(name) for name in names] == originals
    assert names[0] == "1 Conseil de classe n°0.eml"


def test_a_selection_exports_only_the_chosen_messages(archive):
    client, owner, originals = archive
    stored = stored_messages(owner, "Archives/2025-2026")
    chosen = [uid for uid in stored if uid in (2, 5, 7)]

    _response, mbox = post_export(client, "mbox", "Archives/2025-2026", uids=chosen)
    _response, content = post_export(client, "zip", "Archives/2025-2026", uids=chosen)

    assert split_mboxrd(mbox) == [stored[uid] for uid in chosen]
    with zipfile.ZipFile(io.BytesIO(content)) as zipped:
        assert [zipped.read(name) for name in zipped.namelist()] == [stored[u] for u in chosen]
        assert [name.split()[0] for name in zipped.namelist()] == ["2", "5", "7"]


def test_the_progress_of_an_export_is_readable_by_its_owner_only(archive, make_account):
    client, _owner, originals = archive
    token = "0123456789abcdef0123456789abcdef"
    progress_url = reverse("mailbox:export-progress", args=[token])
    assert client.get(progress_url).status_code == 404  # nothing started yet

    response = client.post(
        reverse("mailbox:export-zip", args=["Archives/2025-2026"]),
        {"all_in_folder": "1", "export_token": token},
    )
    started = client.get(progress_url).json()
    b"".join(response.streaming_content)
    done = client.get(progress_url, headers={"X-Background-Request": "1"}).json()

    assert started == {"done": 0, "total": len(originals), "finished": False, "failed": False}
    assert done == {
        "done": len(originals),
        "total": len(originals),
        "finished": True,
        "failed": False,
    }
    client.force_login(make_account())
    assert client.get(progress_url).status_code == 404


def test_an_export_without_selection_is_refused_with_a_message(archive):
    client, _owner, _originals = archive

    response = client.post(reverse("mailbox:export-mbox", args=["Archives/2025-2026"]), {})

    assert response.status_code == 422
    assert "Select at least one message." in response.content.decode()


def test_an_unknown_folder_is_404_and_get_is_refused(archive):
    client, _owner, _originals = archive

    missing = client.post(reverse("mailbox:export-zip", args=["Nope"]), {"all_in_folder": "1"})
    get = client.get(reverse("mailbox:export-zip", args=["Archives/2025-2026"]))

    assert missing.status_code == 404
    assert get.status_code == 405


def test_a_badly_formed_token_is_refused(archive):
    client, _owner, _originals = archive

    response = client.post(
        reverse("mailbox:export-zip", args=["Archives/2025-2026"]),
        {"all_in_folder": "1", "export_token": "../../etc"},
    )

    assert response.status_code == 422


def test_without_the_mail_server_the_export_shows_the_retry_page(archive, settings):
    client, _owner, _originals = archive
    settings.IMAP_PORT = free_port()  # nothing listens there

    response = client.post(
        reverse("mailbox:export-mbox", args=["Archives/2025-2026"]), {"all_in_folder": "1"}
    )

    assert response.status_code == 503
    assert "The mail server did not answer" in response.content.decode()


def test_without_redis_the_download_still_completes(archive, settings):
    client, _owner, originals = archive
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there

    _response, content = post_export(
        client,
        "mbox",
        "Archives/2025-2026",
        all_in_folder="1",
        export_token="0123456789abcdef0123456789abcdef",
    )

    assert split_mboxrd(content) == originals
