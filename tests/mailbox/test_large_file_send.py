"""Through the real send path: a large file leaves as a link in the message, the normal
attachment as a file; after the send the cleanup frees the attachment, keeps the link."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from mailbox.models import SharedFile, Upload
from mailbox.tasks import delete_expired_shared_files
from tests.mailbox.compose_helpers import compose_data, send, wait_for_messages, wait_for_outbox
from tests.mailbox.upload_helpers import (
    CLEAN,
    download_bytes,
    upload_file,
    upload_large,
    wait_for_scan,
)

pytestmark = pytest.mark.usefixtures("no_undo_delay")


def test_the_message_carries_the_link_and_the_cleanup_keeps_only_the_link(jean_client, jean, marie):
    client = jean_client
    data = compose_data(jean, to="marie.martin@example.org", subject="Vidéo de la sortie")
    data["body"] = "Bonjour Marie,\nla vidéo est en lien.\nJean"
    video = os.urandom(5 * 1024 * 1024)
    attachment = upload_file(client, data["draft_key"], "programme.pdf", CLEAN).json()["id"]
    large = upload_large(client, data["draft_key"], "sortie.mp4", video)
    wait_for_scan(attachment)
    wait_for_scan(large)

    send(client, data)
    assert wait_for_outbox(jean, data["draft_key"]).status == "sent"

    ((_uid, _flags, received),) = wait_for_messages(marie, "INBOX", 1)
    assert [part.get_filename() for part in received.iter_attachments()] == ["programme.pdf"]
    text = received.get_body(("plain",)).get_content()
    [url] = re.findall(r"http://testserver(/files/[\w-]+/)", text)
    assert "sortie.mp4" in text
    outsider = Client()
    assert download_bytes(outsider.get(url + "download")) == video

    attachment_path = Path(settings.MEDIA_ROOT) / Upload.objects.get(pk=attachment).file.name
    assert delete_expired_shared_files.delay().get(timeout=60) == 0
    assert not Upload.objects.filter(pk=attachment).exists()
    assert not attachment_path.exists()
    assert Upload.objects.get(pk=large).draft_key == ""
    assert download_bytes(outsider.get(url + "download")) == video
    assert SharedFile.objects.get(upload_id=large).download_count == 2
