"""Exporting 2,000 messages (40 MB) from the real Dovecot keeps the web process's memory
flat: the download is read chunk by chunk and the peak stays a small fraction of it."""

import random
import tracemalloc

import pytest
from django.urls import reverse

from tests.mailbox.export_helpers import append_many

COUNT = 2000
BODY_BYTES = 20_000


def generated(number, rng):
    words = ["conseil", "classe", "bulletin", "élève", "réunion", "parents", "trimestre"]
    lines = []
    size = 0
    while size < BODY_BYTES:
        line = " ".join(rng.choice(words) for _ in range(10)) + f" {rng.random()}"
        lines.append(line)
        size += len(line) + 2
    body = "\r\n".join(lines).encode()
    return (
        (
            f"From: Sophie Leroy <sophie.leroy@example.org>\r\n"
            f"To: marie.martin@example.org\r\nSubject: Message {number}\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        ).encode()
        + body
        + b"\r\n"
    )


@pytest.fixture
def big_folder(make_account, client):
    owner = make_account()
    rng = random.Random(4)
    messages = [generated(number, rng) for number in range(COUNT)]
    append_many(owner, "Archives", messages)
    client.force_login(owner)
    return client, sum(len(raw) for raw in messages)


@pytest.mark.parametrize("kind", ["mbox", "zip"])
def test_exporting_2000_messages_keeps_memory_flat(big_folder, kind):
    client, total_size = big_folder
    url = reverse(f"mailbox:export-{kind}", args=["Archives"])
    # Warm up first: the first request imports modules and loads templates.
    b"".join(client.post(url, {"uids": "1"}).streaming_content)

    tracemalloc.start()
    try:
        response = client.post(url, {"all_in_folder": "1"})
        exported = 0
        for chunk in response.streaming_content:
            exported += len(chunk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert total_size > 40_000_000
    # The mbox is the messages plus From_ lines; the zip is compressed.
    assert exported > (total_size if kind == "mbox" else total_size / 10)
    print(f"{kind}: {total_size / 1e6:.1f} MB exported with a peak of {peak / 1e6:.1f} MB")
    assert peak < total_size / 4, f"peak {peak / 1e6:.1f} MB for {total_size / 1e6:.1f} MB"
