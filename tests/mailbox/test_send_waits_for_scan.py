"""Through the Send button: the EICAR file is refused; with clamd stopped sending waits,
the draft and its files are kept, and the message leaves once the scan is done."""

import pytest
from django.urls import reverse

from mailbox.models import OutboxItem, Upload
from tests.mailbox.compose_helpers import (
    compose_data,
    folder_messages,
    send,
    wait_for_messages,
    wait_for_outbox,
)
from tests.mailbox.upload_helpers import CLEAN, EICAR, upload_file, wait_for_scan
from tests.servers import stopped

pytestmark = pytest.mark.usefixtures("no_undo_delay")


def test_a_message_with_the_eicar_file_is_not_sent(jean_client, jean):
    client = jean_client
    data = compose_data(jean, to="marie.martin@example.org", subject="Facture", body="Ci-joint.")
    wait_for_scan(upload_file(client, data["draft_key"], "facture.exe", EICAR).json()["id"])

    response = send(client, data)

    assert response.status_code == 422
    assert "facture.exe contains a virus and was refused" in response.content.decode()
    assert not OutboxItem.objects.filter(user=jean).exists()


def test_with_clamd_stopped_send_waits_and_nothing_is_lost(stack, jean_client, jean, marie):
    client = jean_client
    data = compose_data(jean, to="marie.martin@example.org", subject="Sortie", body="Le programme.")
    with stopped(stack, "clamd"):
        upload_id = upload_file(client, data["draft_key"], "programme.pdf", CLEAN).json()["id"]
        wait_for_scan(upload_id, statuses=("error",))
        response = send(client, data)

        assert response.status_code == 422
        page = response.content.decode()
        assert "Sending waits; your draft and files are kept" in page
        assert "Le programme." in page  # what was typed is still in the form
        assert not OutboxItem.objects.filter(user=jean).exists()
        drafts = folder_messages(jean, "\\Drafts")
        assert [message["Subject"] for _uid, _flags, message in drafts] == ["Sortie"]
        assert Upload.objects.get(pk=upload_id).file

    client.post(reverse("mailbox:attachment-rescan", args=[upload_id]))
    assert wait_for_scan(upload_id).scan_status == "clean"
    send(client, data)
    assert wait_for_outbox(jean, data["draft_key"]).status == "sent"
    ((_uid, _flags, received),) = wait_for_messages(marie, "INBOX", 1)
    [attachment] = received.iter_attachments()
    assert attachment.get_content() == CLEAN
