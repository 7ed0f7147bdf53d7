"""What one request of each mail page costs: SQL queries, IMAP commands, CPU and wall time.

    PYTHONPATH=. python bench/request_costs.py [--messages 20000] [--reps 150]
        [--pages list,page,tree,message,search] [--profile]

Starts its own Dovecot and Redis (bench/private_stack.py) with a temporary SQLite
database, fills one INBOX as bench/mail_speed.py does (plus its HTML newsletter), signs
in through Django's test client, then for each page: the SQL queries and IMAP commands
of one warm request, and the median and minimum CPU time and median wall time of --reps
more. The CPU time is the web process's own and depends much less on how busy the
machine is than the wall time; run two checkouts side by side to compare them under
the same load. --profile adds a cProfile of each page (cumulative time, 30 lines).

--instructions counts instead the instructions of the web process per request, with
valgrind's callgrind (Debian package valgrind): the same count whatever else the machine
is doing, so two checkouts compare on a busy machine too (python runs ~50 times slower
under it: use --reps 30 or so). Only the requests are counted, not the set-up.

Pages: list (page 1 of INBOX, htmx rows), page (the whole page: rows, folder tree,
quota), tree (the folders page), message (the HTML newsletter), big and bigbody (the
page and the body frame of a message with a 5 MB attachment), search (advanced search,
one week of dates: answered without the full-text index, which this script does not
build; bench/search.py does).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.imap_commands import command_log  # noqa: E402
from bench.mail_speed import MessageFactory, attachment_raw, html_message, write_maildir  # noqa: E402
from bench.private_stack import SIGN_IN_BACKEND, private_stack  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--reps", type=int, default=150)
    parser.add_argument("--pages", default="list,page,tree,message,search")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--profile-sort", default="cumulative", help="cProfile order: cumulative, tottime..."
    )
    parser.add_argument("--profile-lines", type=int, default=30)
    parser.add_argument("--instructions", action="store_true")
    args = parser.parse_args()
    if args.instructions and not os.environ.get(_UNDER_CALLGRIND):
        count_instructions(args)
        return
    # Without full-text search, as bench/mail_speed.py: no indexer busy with the folder.
    with private_stack(
        "webmail-bench-costs-", services=("dovecot", "redis"), full_text_search=False
    ) as stack:
        run(args, stack)


def run(args, stack) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from imapclient import IMAPClient

    user = get_user_model().objects.create_user(username="bench.user", first_name="Banc")
    identity = stack._identity()
    maildir = stack.root / "mail" / user.username / "Maildir"
    write_maildir(
        maildir,
        args.messages,
        MessageFactory(),
        int(identity["mail_uid"]),
        int(identity["mail_gid"]),
    )
    with IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False, timeout=120) as raw:
        raw.login(f"{user.username}*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD)
        answer = raw.append("INBOX", html_message(), flags=[b"\\Seen"])
        big = raw.append("INBOX", attachment_raw(), flags=[b"\\Seen"])
    html_uid = int(re.search(rb"APPENDUID \d+ (\d+)", answer).group(1))
    big_uid = int(re.search(rb"APPENDUID \d+ (\d+)", big).group(1))

    htmx = {"HX-Request": "true"}
    pages = {
        "list": (reverse("mailbox:folder-detail", args=["INBOX"]), {}, htmx),
        "page": (reverse("mailbox:folder-detail", args=["INBOX"]), {}, {}),
        "tree": (reverse("mailbox:folders"), {}, {}),
        "message": (reverse("mailbox:message-detail", args=[html_uid, "INBOX"]), {}, {}),
        "big": (reverse("mailbox:message-detail", args=[big_uid, "INBOX"]), {}, {}),
        "bigbody": (reverse("mailbox:message-body", args=[big_uid, "INBOX"]), {}, {}),
        "search": (
            reverse("mailbox:search-advanced", args=["INBOX"]),
            {"since": "2023-09-04", "until": "2023-09-10"},
            htmx,
        ),
    }
    commands = command_log()
    client = Client()
    client.force_login(user, backend=SIGN_IN_BACKEND)
    if not args.instructions:
        print(f"# {args.messages:,} messages, {args.reps} requests per page")
        print(
            "| page | SQL queries | IMAP commands | CPU median ms | CPU min ms | wall median ms |"
        )
        print("|---|---|---|---|---|---|")
    for name in args.pages.split(","):
        url, params, headers = pages[name]

        def get(url=url, params=params, headers=headers):
            response = client.get(url, params, headers=headers)
            assert response.status_code == 200, (url, response.status_code)

        get()
        if args.instructions:
            _counted_by_callgrind(name, lambda get=get: [get() for _ in range(args.reps)])
            continue
        with CaptureQueriesContext(connection) as queries:
            sent = commands(get)
        query_count = len(queries)  # the log is emptied by the next request
        walls, cpus = [], []
        for _ in range(args.reps):
            wall, cpu = time.perf_counter(), time.process_time()
            get()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        print(
            f"| {name} | {query_count} | {sent} | {statistics.median(cpus) * 1000:.1f} "
            f"| {min(cpus) * 1000:.1f} | {statistics.median(walls) * 1000:.1f} |",
            flush=True,
        )
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(lambda get=get: [get() for _ in range(args.reps)])
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.profile_sort).print_stats(
                args.profile_lines
            )
            print(out.getvalue())


# --instructions: this script runs itself under callgrind with counting off; for each
# page the copy under callgrind says "measure <name>" and waits, this process switches
# counting on (callgrind_control), the copy sends its requests and says "measured", and
# this process dumps the count and reads it.
_UNDER_CALLGRIND = "BENCH_UNDER_CALLGRIND"


def count_instructions(args) -> None:
    if not shutil.which("valgrind"):
        sys.exit("--instructions needs valgrind (apt-get install valgrind)")
    out_dir = Path(tempfile.mkdtemp(prefix="webmail-bench-callgrind-"))
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={out_dir / 'callgrind.out'}",
        sys.executable,
        *sys.argv,
    ]
    child = subprocess.Popen(
        command,
        env={**os.environ, _UNDER_CALLGRIND: "1"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    print(f"# {args.messages:,} messages, {args.reps} requests per page, counted by callgrind")
    print("| page | instructions per request (millions) |")
    print("|---|---|")
    try:
        for line in child.stdout:
            if not line.startswith("measure "):
                continue
            name = line.split()[1]
            _callgrind_control(child.pid, "--zero", "--instr=on")
            _say(child, "go")
            assert child.stdout.readline().strip() == "measured"
            _callgrind_control(child.pid, "--instr=off", "--dump")
            total = _last_dump_total(out_dir)
            print(f"| {name} | {total / args.reps / 1e6:.1f} |", flush=True)
            _say(child, "next")
    finally:
        child.wait()
        shutil.rmtree(out_dir, ignore_errors=True)


def _counted_by_callgrind(name: str, requests) -> None:
    print(f"measure {name}", flush=True)
    _wait_for_a_line()
    requests()
    print("measured", flush=True)
    _wait_for_a_line()


def _wait_for_a_line() -> None:
    """Read a line from stdin, waking often: callgrind takes callgrind_control's
    commands only while the program runs, never during a blocking read."""
    while not select.select([sys.stdin], [], [], 0.05)[0]:
        pass
    sys.stdin.readline()


def _callgrind_control(pid: int, *options: str) -> None:
    for option in options:
        subprocess.run(["callgrind_control", option, str(pid)], check=True, capture_output=True)


def _say(child, word: str) -> None:
    child.stdin.write(word + "\n")
    child.stdin.flush()


def _last_dump_total(out_dir: Path) -> int:
    dumps = sorted(out_dir.glob("callgrind.out*"), key=lambda path: path.stat().st_mtime)
    for line in dumps[-1].read_text().splitlines():
        if line.startswith("totals:"):  # a dump's "summary:" can read 0
            return int(line.split()[1])
    raise RuntimeError(f"no total in {dumps[-1]}")


if __name__ == "__main__":
    main()
