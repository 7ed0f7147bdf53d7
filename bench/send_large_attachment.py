"""Time and memory of sending a message with a 25 MB attachment, end to end.

    PYTHONPATH=. python bench/send_large_attachment.py [--mb 25] [--keep]

Starts its own stack (Dovecot, relay, Redis, clamd, a Celery worker; scripts/localstack.py,
as the tests do) in a temporary directory with a temporary SQLite database and MEDIA_ROOT.
jean sends marie one message with a --mb MB attachment of random bytes, through the
compose endpoints in this process (Django's test client: middleware, views, the real send
path): upload, scan by clamd in the worker, then Send. It reports:

  - the upload request and the wait for the scan;
  - the Send request in the web process: wall time, Python allocation peak (tracemalloc)
    and the process's peak RSS growth (VmHWM, reset before the request), against the
    target of 3x the attachment size;
  - the time until marie's INBOX (over IMAP) holds the message, and that its attachment
    is byte-identical;
  - the peak RSS growth of the Celery worker's processes while they submit the message
    and file it in Sent (VmHWM of each prefork child, reset before the Send request).

Everything it started is stopped and deleted at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.private_stack import SIGN_IN_BACKEND, private_stack  # noqa: E402 - after the path is set

PASSWORD = "Bench-password-2026!"  # noqa: S105 - throwaway accounts
MB = 1024 * 1024


def proc_status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak_rss(pid: str = "self") -> None:
    # Writing 5 to clear_refs resets VmHWM (peak RSS) to the current RSS (Linux 4.0+).
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_processes(stack) -> list[int]:
    """The Celery worker's main process and its prefork children."""
    main_pid = stack._running_pid("celery-worker")
    if not main_pid:
        return []
    children = Path(f"/proc/{main_pid}/task/{main_pid}/children").read_text().split()
    return [main_pid, *map(int, children)]


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what} after {timeout} s")
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=25, help="attachment size in MB")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    env = {
        "MEDIA_ROOT": "{root}/media",
        "UNDO_SEND_SECONDS": "0",
        "ATTACHMENT_MAX_MESSAGE_MB": str(max(args.mb, 25)),
    }
    with private_stack(
        "webmail-bench-send-", services=None, env=env, keep=args.keep, with_celery=True
    ) as stack:
        from webmail.celery import app

        app.conf.broker_url = app.conf.result_backend = stack.env()["REDIS_URL"]
        run(args, stack)


def run(args, stack) -> None:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from mailbox.models import Identity, OutboxItem, Upload
    from mailbox.parsing import parse_message, part_bytes

    users = get_user_model().objects
    jean = users.create_user(
        username="jean.dupont", password=PASSWORD, first_name="Jean", last_name="Dupont"
    )
    marie = users.create_user(
        username="marie.martin", password=PASSWORD, first_name="Marie", last_name="Martin"
    )
    size = args.mb * MB
    data = os.urandom(size)
    print(f"# Send a message with a {args.mb} MB attachment ({size:,} bytes)", flush=True)
    print("load average at the start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))

    client = Client()
    client.force_login(jean, backend=SIGN_IN_BACKEND)
    draft_key = "bench" + hashlib.sha256(os.urandom(8)).hexdigest()[:20]
    start = time.perf_counter()
    uploaded = client.post(
        reverse("mailbox:attachment-upload", args=[draft_key]),
        {"file": SimpleUploadedFile("rapport-annuel.pdf", data, "application/pdf")},
    )
    upload_seconds = time.perf_counter() - start
    assert uploaded.status_code == 201, uploaded.content
    upload_id = uploaded.json()["id"]
    del uploaded
    start = time.perf_counter()
    wait_until(lambda: Upload.objects.get(pk=upload_id).scan_status == "clean", 300, "the scan")
    scan_seconds = time.perf_counter() - start

    identity = Identity.for_user(jean)[0]
    form = {
        "draft_key": draft_key,
        "identity": identity.pk,
        "to": marie.mail_address,
        "cc": "",
        "bcc": "",
        "subject": "Rapport annuel",
        "mode": "text",
        "body": "Bonjour Marie,\n\nvoici le rapport annuel.\n\nJean",
        "body_html": "",
        "message_id": "",
        "in_reply_to": "",
        "references": "",
        "original": "",
    }
    workers = worker_processes(stack)
    worker_rss_before = {pid: status_mb(pid, "VmRSS") for pid in workers}
    for pid in workers:
        reset_peak_rss(str(pid))
    rss_before = proc_status_mb("VmRSS")
    reset_peak_rss()
    tracemalloc.start()
    start = time.perf_counter()
    response = client.post(reverse("mailbox:send"), form)
    send_seconds = time.perf_counter() - start
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_rss_growth = proc_status_mb("VmHWM") - rss_before
    assert response.status_code == 302, response.content[:2000]

    start_delivery = time.perf_counter()
    wait_until(
        lambda: OutboxItem.objects.filter(user=jean, draft_key=draft_key, status="sent").exists(),
        300,
        "the worker's SMTP submission",
    )
    raw = wait_until(lambda: inbox_message(marie), 120, "delivery to marie's INBOX")
    delivery_seconds = time.perf_counter() - start_delivery
    wait_until(
        lambda: OutboxItem.objects.filter(draft_key=draft_key, filed_in_sent=True).exists(),
        120,
        "the copy in Sent",
    )
    worker_growth = max(
        (status_mb(pid, "VmHWM") - before for pid, before in worker_rss_before.items()),
        default=0.0,
    )
    parsed = parse_message(raw)
    [attachment] = [a for a in parsed.attachments if a.filename == "rapport-annuel.pdf"]
    _, received = part_bytes(raw, attachment.part_id)
    identical = hashlib.sha256(received).digest() == hashlib.sha256(data).digest()

    ratio = peak_rss_growth / args.mb
    print(f"upload request (web)                 {upload_seconds:7.2f} s")
    print(f"scan by clamd in the worker          {scan_seconds:7.2f} s")
    print(f"Send request (web)                   {send_seconds:7.2f} s")
    print(f"  Python allocation peak             {python_peak / MB:7.1f} MB")
    print(
        f"  peak RSS growth of the process     {peak_rss_growth:7.1f} MB  ({ratio:.1f}x the file)"
    )
    print(f"  target: under 3x ({3 * args.mb} MB)        {'met' if ratio < 3 else 'NOT met'}")
    print(f"SMTP by the worker until in INBOX    {delivery_seconds:7.2f} s")
    print(f"message size in INBOX                {len(raw) / MB:7.1f} MB")
    print(
        f"worker peak RSS growth (submit + Sent) {worker_growth:5.1f} MB"
        f"  ({worker_growth / args.mb:.1f}x the file)"
    )
    print(f"attachment byte-identical            {'yes' if identical else 'NO'}")
    if not identical:
        raise SystemExit(1)


def inbox_message(user) -> bytes | None:
    """The raw bytes of the first message in the user's INBOX, once it is there
    (a bare IMAPClient, as bench/mail_speed.py: the benchmark reads what Dovecot holds)."""
    from django.conf import settings
    from imapclient import IMAPClient

    with IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False, timeout=60) as client:
        client.login(f"{user.username}*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD)
        client.select_folder("INBOX", readonly=True)
        uids = client.search("ALL")
        if not uids:
            return None
        return client.fetch(uids[:1], ["BODY.PEEK[]"])[uids[0]][b"BODY[]"]


if __name__ == "__main__":
    main()
