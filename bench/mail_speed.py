"""How fast the mail pages are on a big folder, next to raw imapclient on the same work.

    PYTHONPATH=. python bench/mail_speed.py [--messages 100000] [--reps 40] [--append-sample 5000]

Starts its own private Dovecot and Redis (scripts/localstack.py, as the tests do) in a
temporary directory with a temporary SQLite database, fills one account's INBOX with
--messages varied messages (French senders, replies that thread, HTML, attachments,
unread and flagged ones) by writing Maildir files directly, then times, through Django's
test client (logged in, so the whole server side: middleware, views, templates) and
with a bare IMAPClient on an open connection doing the same IMAP work:

  folder tree, list page 1, a deep page, an HTML message, a 5 MB attachment message,
  the list sorted by date and by sender (cold: sort cache emptied; warm: cached),
  conversations (cold, warm, and after a reply or a new conversation arrived),
  list page 1 requests per second, and the web process's memory while paging.

It also times MULTIAPPEND of --append-sample messages, to compare filling methods.
Everything it started is stopped and deleted at the end.
"""

from __future__ import annotations

import argparse
import itertools
import math
import multiprocessing
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.private_stack import SIGN_IN_BACKEND, private_stack  # noqa: E402 - after the path is set

FIRST = [
    "Jean",
    "Marie",
    "Hélène",
    "Karim",
    "Sophie",
    "Loïc",
    "Aïcha",
    "Benoît",
    "Zoé",
    "François",
    "Noémie",
    "Jérôme",
    "Inès",
    "Cécile",
    "Mathéo",
    "Yasmine",
    "Éric",
]
LAST = [
    "Dupont",
    "Martin",
    "N'Diaye",
    "Benali",
    "Leroy",
    "Girard",
    "Lefèvre",
    "Moreau",
    "Fournier",
    "Rousseau",
    "Garnier",
    "Chevalier",
    "Mercier",
    "Blanc",
    "Guérin",
]
DOMAINS = [
    "ac-montpellier.fr",
    "example.org",
    "college-jean-moulin.fr",
    "gmail.com",
    "orange.fr",
    "education.gouv.fr",
]
TOPICS = [
    "Conseil de classe de 3e B",
    "Sortie scolaire au musée",
    "Réunion parents-professeurs",
    "Emploi du temps modifié",
    "Bulletin du 1er trimestre",
    "Cantine : menus de la semaine",
    "Formation numérique",
    "Brevet blanc — surveillances",
    "Projet Erasmus+",
    "Absences de la semaine",
    "Commande de manuels",
    "Conseil d'administration",
    "Voyage en Espagne",
    "Évaluations nationales",
    "Réservation de la salle info",
]
WORDS = [
    "bonjour",
    "merci",
    "classe",
    "élèves",
    "réunion",
    "salle",
    "date",
    "professeur",
    "conseil",
    "projet",
    "document",
    "semaine",
    "rendez-vous",
    "trimestre",
    "bulletin",
    "parents",
    "collège",
    "sortie",
    "devoir",
    "note",
]


def fake_pdf(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)  # noqa: S311 - test data, not a secret


def b64_lines(data: bytes) -> str:
    import base64

    text = base64.b64encode(data).decode()
    return "\r\n".join(text[i : i + 76] for i in range(0, len(text), 76))


class MessageFactory:
    """Raw messages (CRLF), varied but reproducible; about 1 in 3 replies to an earlier one."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - test data, not a secret
        self.people = [(f, ln, d) for f in FIRST for ln in LAST for d in DOMAINS[:3]]
        self.sent: list[tuple[str, str]] = []  # (message-id, subject) of earlier messages
        self.attachments = [b64_lines(fake_pdf(size, size)) for size in (8_000, 20_000, 45_000)]
        self.start = datetime(2023, 9, 1, tzinfo=UTC)

    def address(self) -> str:
        first, last, domain = self.rng.choice(self.people)
        local = f"{first}.{last}".lower().replace("'", "").replace(" ", "-")
        return f'"{first} {last}" <{local}@{domain}>'

    def body(self) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(20, 600))
        lines = [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]
        return "\r\n".join(lines)

    def make(self, number: int) -> tuple[bytes, datetime]:
        rng = self.rng
        when = self.start + timedelta(minutes=number * 5 + rng.randint(0, 240))
        message_id = f"<bench-{number}@example.org>"
        headers = [
            f"From: {self.address()}",
            f"To: {self.address()}",
            f"Date: {format_datetime(when)}",
            f"Message-ID: {message_id}",
        ]
        if self.sent and rng.random() < 0.33:
            parent_id, subject = rng.choice(self.sent[-500:])
            subject = subject if subject.startswith("Re: ") else f"Re: {subject}"
            headers += [f"In-Reply-To: {parent_id}", f"References: {parent_id}"]
        else:
            subject = f"{rng.choice(TOPICS)} ({number % 97})"
        headers.append(f"Subject: {subject}")
        self.sent.append((message_id, subject))
        kind = rng.random()
        text = self.body()
        if kind < 0.15:
            headers.append('Content-Type: multipart/alternative; boundary="b1"')
            html = "<html><body><p>" + text.replace("\r\n", "</p><p>") + "</p></body></html>"
            body = (
                f"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
                f"--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n--b1--\r\n"
            )
        elif kind < 0.19:
            headers.append('Content-Type: multipart/mixed; boundary="b2"')
            attachment = rng.choice(self.attachments)
            body = (
                f"--b2\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
                '--b2\r\nContent-Type: application/pdf; name="piece.pdf"\r\n'
                'Content-Disposition: attachment; filename="piece.pdf"\r\n'
                f"Content-Transfer-Encoding: base64\r\n\r\n{attachment}\r\n--b2--\r\n"
            )
        else:
            headers.append("Content-Type: text/plain; charset=utf-8")
            body = text + "\r\n"
        headers += ["MIME-Version: 1.0", "Content-Transfer-Encoding: 8bit" if kind >= 0.19 else ""]
        raw = "\r\n".join(h for h in headers if h) + "\r\n\r\n" + body
        return raw.encode(), when


def write_maildir(maildir: Path, count: int, factory: MessageFactory, uid: int, gid: int) -> None:
    """Messages as Maildir files in cur/ (flags in the name); Dovecot indexes them when the
    folder is first opened. S= and W= give the sizes so Dovecot need not read for them."""
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    cur = maildir / "cur"
    for number in range(count):
        raw, when = factory.make(number)
        flags = "" if number % 10 == 0 else "S"
        if number % 37 == 0:
            flags = "F" + flags
        name = f"{int(when.timestamp())}.M{number}P1.bench,S={len(raw)},W={len(raw)}:2,{flags}"
        path = cur / name
        path.write_bytes(raw)
        os.utime(path, (when.timestamp(), when.timestamp()))
    for path in [maildir, *maildir.rglob("*")]:
        os.chown(path, uid, gid)


def html_message() -> bytes:
    rows = "".join(
        f'<tr><td style="color:#333">Ligne {n}</td><td><a href="https://example.org/{n}">lien</a>'
        f'</td><td><img src="https://tracker.example.com/{n}.png" alt=""></td></tr>'
        for n in range(400)
    )
    html = (
        "<html><head><style>td{padding:4px}</style></head><body><h1>Lettre d'information</h1>"
        f"<table>{rows}</table><script>alert(1)</script></body></html>"
    )
    return (
        'From: "Lettre du rectorat" <info@ac-montpellier.fr>\r\nTo: bench@example.org\r\n'
        "Subject: Lettre d'information HTML\r\nDate: Mon, 23 Nov 2026 08:00:00 +0100\r\n"
        "Message-ID: <bench-html@example.org>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n"
    ).encode()


def attachment_message(size: int = 5 * 1024 * 1024) -> bytes:
    return (
        "--b3\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nLe dossier est joint.\r\n"
        '--b3\r\nContent-Type: application/pdf; name="dossier.pdf"\r\n'
        'Content-Disposition: attachment; filename="dossier.pdf"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
        + b64_lines(fake_pdf(size, 5))
        + "\r\n--b3--\r\n"
    ).encode()


def attachment_raw() -> bytes:
    headers = (
        'From: "Hélène N\'Diaye" <helene.n-diaye@example.org>\r\nTo: bench@example.org\r\n'
        "Subject: Dossier complet (5 Mo)\r\nDate: Mon, 23 Nov 2026 09:00:00 +0100\r\n"
        "Message-ID: <bench-5mb@example.org>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b3"\r\n\r\n'
    ).encode()
    return headers + attachment_message()


def thread_arrival(parent_id: str | None, number: int) -> bytes:
    """New mail for the conversation rows: a reply to parent_id, or a new conversation."""
    headers = [
        "From: Arrivee <arrivee@example.org>",
        "To: bench.user@example.org",
        f"Message-ID: <arrival-{number}@example.org>",
        f"Date: {format_datetime(datetime.now(UTC))}",
    ]
    if parent_id:
        headers += [
            f"In-Reply-To: {parent_id}",
            f"References: {parent_id}",
            f"Subject: Re: Bench reply {number}",
        ]
    else:
        headers.append(f"Subject: Bench arrival {number}")
    return ("\r\n".join(headers) + "\r\n\r\nBonjour.\r\n").encode()


def stats(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def repeat(action: Callable[[], object], reps: int, before: Callable[[], object] | None = None):
    """Wall-clock seconds of each run; the process's own CPU seconds go in repeat.cpu."""
    times, repeat.cpu = [], []
    for _ in range(reps):
        if before:
            before()
        start, cpu = time.perf_counter(), time.process_time()
        action()
        times.append(time.perf_counter() - start)
        repeat.cpu.append(time.process_time() - cpu)
    return times


# As many web processes as the machine has cores, each with its own IMAP connection,
# Django's test client and session, asking in a loop.
WEB_PROCESSES = os.cpu_count() or 2


def parallel_rate(request, seconds: float, processes: int) -> float:
    """Requests per second of `processes` forked copies of this process, each sending
    request() in a loop for `seconds`. A fork drops the kept IMAP connections
    (mailbox/services/imap_pool.py) and Django's database connection is closed first,
    so that no socket is shared."""
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    counts = context.Queue()

    def work() -> None:
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            request()
            count += 1
        counts.put(count)

    workers = [context.Process(target=work) for _ in range(processes)]
    for worker in workers:
        worker.start()
    total = sum(counts.get() for _ in workers)
    for worker in workers:
        worker.join()
    return total / seconds


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--append-sample", type=int, default=5000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--no-thread-updates",
        action="store_true",
        help="skip the conversations-after-new-mail rows: their raw header SEARCH goes "
        "through the full-text index, which the directly written files of a 100,000-message "
        "folder do not have yet (it then takes minutes and times out)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile list page 1 (htmx rows), then stop"
    )
    args = parser.parse_args()
    # Dovecot here runs without full-text search: the folder's messages are written straight
    # to disk, so the first APPEND would start indexing all of them, keeping one of the two
    # cores busy for the whole run (a production server indexes each message at delivery;
    # bench/search.py measures search on a built index).
    with private_stack(
        "webmail-bench-", services=("dovecot", "redis"), keep=args.keep, full_text_search=False
    ) as stack:
        run(args, stack)


def run(args, stack) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from imapclient import IMAPClient

    from mailbox.models import MailPreferences
    from mailbox.services import body_cache, sort_cache
    from webmail.celery import app

    # A THREAD past the page's budget queues a task (no worker here): on the stack's Redis.
    app.conf.broker_url = app.conf.result_backend = settings.REDIS_URL

    user = get_user_model().objects.create_user(
        username="bench.user",
        password="Bench-password-2026!",  # noqa: S106 - a throwaway account
        first_name="Banc",
        last_name="Essai",
    )
    print(f"# Mail speed, {args.messages:,} messages in INBOX, {args.reps} runs each", flush=True)
    # Shared machines skew every number: say how busy this one was.
    print("load average at the start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()), flush=True)

    identity = stack._identity()
    maildir = stack.root / "mail" / user.username / "Maildir"
    factory = MessageFactory()
    start = time.perf_counter()
    write_maildir(
        maildir, args.messages, factory, int(identity["mail_uid"]), int(identity["mail_gid"])
    )
    written = time.perf_counter() - start

    def connect() -> IMAPClient:
        client = IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False, timeout=120)
        client.login(f"{user.username}*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD)
        return client

    raw = connect()
    start = time.perf_counter()
    raw.select_folder("INBOX", readonly=True)  # Dovecot indexes the new files here
    indexed = time.perf_counter() - start
    total_fill = written + indexed
    print(
        f"fill: wrote {args.messages:,} Maildir files in {written:.1f} s, Dovecot indexed them "
        f"in {indexed:.1f} s: {args.messages / total_fill:,.0f} messages/s",
        flush=True,
    )
    uids = {}
    for label, message in (("html", html_message()), ("5mb", attachment_raw())):
        answer = raw.append("INBOX", message, flags=[b"\\Seen"])
        uids[label] = int(re.search(rb"APPENDUID \d+ (\d+)", answer).group(1))
    if args.append_sample:
        sample = [factory.make(args.messages + n)[0] for n in range(args.append_sample)]
        raw.create_folder("Bench-append")
        start = time.perf_counter()
        for batch in range(0, len(sample), 500):
            raw.multiappend("Bench-append", sample[batch : batch + 500])
        appended = time.perf_counter() - start
        print(
            f"fill, for comparison: MULTIAPPEND of {len(sample):,} messages in batches of 500: "
            f"{appended:.1f} s, {len(sample) / appended:,.0f} messages/s",
            flush=True,
        )
    total = raw.select_folder("INBOX", readonly=True)[b"EXISTS"]

    client = Client()
    client.force_login(user, backend=SIGN_IN_BACKEND)
    preferences = MailPreferences.objects.create(user=user)
    inbox = reverse("mailbox:folder-detail", args=["INBOX"])
    htmx = {"HX-Request": "true"}
    deep_page = max(1, total // 50 // 2)
    rows = []

    def measure(name, web, imap_work, before=None, reps=args.reps, warm=True):
        try:
            timed(name, web, imap_work, before, reps, warm)
        except AssertionError as exc:  # e.g. 503: the IMAP timeout ran out
            print(f"| {name} | failed: {exc} | | | | |", flush=True)

    def timed(name, web, imap_work, before, reps, warm):
        if warm:
            web()
            imap_work()
        web_times = repeat(web, reps, before)
        # The web process's CPU time hardly depends on how busy the machine is.
        web_cpu = statistics.median(repeat.cpu) * 1000
        imap_times = repeat(imap_work, reps, before)
        rows.append((name, *stats(web_times), web_cpu, *stats(imap_times)))
        print("| {} | {:.1f} | {:.1f} | {:.1f} | {:.1f} | {:.1f} |".format(*rows[-1]), flush=True)

    def get(url, **kwargs):
        response = client.get(url, **kwargs)
        assert response.status_code == 200, (url, response.status_code)
        return response

    def raw_tree():
        for _flags, _delimiter, name in raw.list_folders():
            raw.folder_status(name, [b"MESSAGES", b"UNSEEN"])
        raw.get_quota_root("INBOX")

    def raw_range(page):
        def work():
            exists = raw.select_folder("INBOX", readonly=True)[b"EXISTS"]
            high = exists - (page - 1) * 50
            raw.use_uid = False
            raw.fetch(
                list(range(max(1, high - 49), high + 1)),
                ["UID", "FLAGS", "ENVELOPE", "RFC822.SIZE", "INTERNALDATE"],
            )
            raw.use_uid = True

        return work

    def raw_message(uid):
        def work():
            raw.select_folder("INBOX", readonly=True)
            raw.fetch([uid], ["FLAGS", "BODY.PEEK[]"])

        return work

    def raw_sorted(criterion, with_sort):
        def work():
            raw.select_folder("INBOX", readonly=True)
            found = raw.sort(["REVERSE", criterion]) if with_sort else cached_uids[criterion]
            raw.fetch(found[:50], ["FLAGS", "ENVELOPE", "RFC822.SIZE", "INTERNALDATE"])

        return work

    def login_only():
        connect().logout()

    if args.profile:
        import cProfile
        import pstats

        get(inbox, headers=htmx)
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [get(inbox, headers=htmx) for _ in range(args.reps)])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return

    print(
        "\n| operation | web median ms | web p95 ms | web CPU median ms "
        "| imapclient median ms | imapclient p95 ms |"
    )
    print("|---|---|---|---|---|---|")
    # The web process keeps a user's connection (mailbox/services/imap_pool.py): a web
    # request pays this only when it has none, e.g. the first one of the user.
    measure("IMAP connect + login (web: only without a kept connection)", login_only, login_only)
    measure(
        "folder tree (LIST, STATUS each, quota)", lambda: get(reverse("mailbox:folders")), raw_tree
    )

    def fetch_selected():
        raw.use_uid = False
        raw.fetch(list(range(total - 49, total + 1)), ["UID", "FLAGS", "ENVELOPE", "RFC822.SIZE"])
        raw.use_uid = True

    raw.select_folder("INBOX", readonly=True)
    parts = {
        "FETCH of 50 envelopes, INBOX already selected": fetch_selected,
        "EXAMINE INBOX": lambda: raw.select_folder("INBOX", readonly=True),
        "LIST": lambda: raw.list_folders(),
        "STATUS INBOX": lambda: raw.folder_status("INBOX", [b"MESSAGES", b"UNSEEN"]),
        "GETQUOTAROOT": lambda: raw.get_quota_root("INBOX"),
    }
    print(
        "| (imapclient parts, median ms: "
        + ", ".join(f"{name} {stats(repeat(work, 10))[0]:.1f}" for name, work in parts.items())
        + ") | | | | | |",
        flush=True,
    )
    measure(
        "list page 1 (whole page: list + tree)",
        lambda: get(inbox),
        lambda: (raw_range(1)(), raw_tree()),
    )
    measure("list page 1 (htmx rows)", lambda: get(inbox, headers=htmx), raw_range(1))
    measure(
        f"deep page {deep_page} (htmx rows)",
        lambda: get(inbox, data={"page": deep_page}, headers=htmx),
        raw_range(deep_page),
    )
    for label, name in (("html", "open HTML message"), ("5mb", "open 5 MB attachment message")):
        url = reverse("mailbox:message-detail", args=[uids[label], "INBOX"])
        body = reverse("mailbox:message-body", args=[uids[label], "INBOX"])
        measure(f"{name} (page)", lambda url=url: get(url), raw_message(uids[label]))
        measure(f"{name} (body frame)", lambda body=body: get(body), raw_message(uids[label]))
        # The page keeps the sanitised body a few minutes (body_cache) for its frame and
        # a reload, so the rows above are a re-opening; this one is every first opening
        # (last: its forgetting would leave the frame above nothing kept).
        measure(
            f"{name}, first opening (page, no body kept)",
            lambda url=url: get(url),
            raw_message(uids[label]),
            before=lambda: body_cache.forget_account(user.mail_account.username),
        )

    cached_uids = {}
    for key, criterion in (("date", "DATE"), ("sender", "FROM")):
        preferences.sort_key, preferences.sort_descending = key, True
        preferences.save()
        cached_uids[criterion] = raw.sort(["REVERSE", criterion])

        def forget(key=key):
            sort_cache.forget(user.mail_account, "INBOX", key)

        measure(
            f"sorted by {key}, cold cache (htmx rows)",
            lambda: get(inbox, headers=htmx),
            raw_sorted(criterion, True),
            before=forget,
            reps=max(5, args.reps // 4),
        )
        measure(
            f"sorted by {key}, warm cache (htmx rows)",
            lambda: get(inbox, headers=htmx),
            raw_sorted(criterion, False),
        )
        measure(
            f"sorted by {key}, deep page {deep_page}, warm (htmx rows)",
            lambda: get(inbox, data={"page": deep_page}, headers=htmx),
            raw_sorted(criterion, False),
        )
        if key != "date":
            continue
        # New mail: the cached order is updated (listing._updated_after_changes: a SEARCH
        # of the new UIDs and two SORTs of a few hundred messages, mailbox/sort_merge.py);
        # the former way sorted the whole folder again. Both in the same run, taking turns
        # so that the machine's load weighs on both alike; the imapclient column does each
        # one's IMAP work on an open connection.
        arrivals = itertools.count(args.messages + 1_000_000)

        def arrive(arrivals=arrivals):
            raw.append("INBOX", factory.make(next(arrivals))[0])

        def raw_update(criterion=criterion):
            raw.select_folder("INBOX", readonly=True)
            old = cached_uids[criterion][::-1]
            new = raw.search(["UID", f"{max(old) + 1}:*"])
            step = math.isqrt(len(old))
            fences = old[::step]
            raw.sort([criterion], ["UID", ",".join(map(str, fences + new))])
            raw.sort([criterion], ["UID", ",".join(map(str, old[:step] + new))])
            raw.fetch(old[-50:], ["FLAGS", "ENVELOPE", "RFC822.SIZE", "INTERNALDATE"])

        web_rows = lambda: get(inbox, headers=htmx)  # noqa: E731
        for turn in range(2):
            measure(
                f"sorted by date, after one new message: cached order updated, turn {turn + 1}"
                " (htmx rows)",
                web_rows,
                raw_update,
                before=arrive,
            )
            measure(
                "sorted by date, after one new message: whole folder sorted again, the "
                f"former way, turn {turn + 1} (htmx rows)",
                web_rows,
                raw_sorted(criterion, True),
                before=lambda forget=forget: (arrive(), forget()),
            )
    # What the message page adds to find the previous/next messages of its list
    # (services/list_context.py), on the user's kept connection: arrival order reads the
    # neighbouring sequence numbers, date order a window of the cached list.
    from mailbox.services import imap, list_context, listing

    def neighbours(order, position):
        def work():
            with imap.session_for(user.mail_account) as session:
                # The page's own work first: its FETCH numbers the message.
                fetched = session.fetch_message("INBOX", uids["html"])
                list_context.folder_neighbours(
                    session,
                    user.mail_account,
                    "INBOX",
                    uids["html"],
                    order,
                    position,
                    fetched.sequence,
                )

        return work

    def fetch_only():
        with imap.session_for(user.mail_account) as session:
            session.fetch_message("INBOX", uids["html"])

    by_date = listing.ListOrder(key="date")
    preferences.sort_key = "date"
    preferences.save()
    get(inbox, headers=htmx)  # the date order, cached again (the rows above forgot it)
    _key, ascending = sort_cache.read_all(user.mail_account, "INBOX", "date")
    date_position = len(ascending) - 1 - ascending.index(uids["html"])
    lookups = {
        "fetch of the message alone": fetch_only,
        "with arrival neighbours": neighbours(listing.ListOrder(), None),
        "with date-order neighbours": neighbours(by_date, date_position),
        "with date-order neighbours, wrong position": neighbours(by_date, 0),
    }
    print(
        "| (opening a message on the kept connection, median ms: "
        + ", ".join(
            f"{name} {stats(repeat(work, args.reps))[0]:.1f}" for name, work in lookups.items()
        )
        + ") | | | | | |",
        flush=True,
    )
    preferences.sort_key, preferences.conversations = "arrival", True
    preferences.save()

    def forget_threads():
        sort_cache.forget(user.mail_account, "INBOX", "threads:arrival:desc")

    def raw_threads():
        raw.select_folder("INBOX", readonly=True)
        raw.thread("REFERENCES")

    # The rows below time THREAD itself: no page gives up on it here. One row first
    # times a page that gives up at once (plain order, a notice, a task queued).
    budget = settings.IMAP_THREAD_BUDGET_MS
    settings.IMAP_THREAD_BUDGET_MS = 1
    measure(
        "conversations, cold cache, past a THREAD budget of 1 ms: plain order shown (htmx rows)",
        lambda: get(inbox, headers=htmx),
        raw_range(1),
        before=forget_threads,
        reps=max(5, args.reps // 4),
    )
    settings.IMAP_THREAD_BUDGET_MS = 600_000
    measure(
        "conversations, cold cache (htmx rows)",
        lambda: get(inbox, headers=htmx),
        raw_threads,
        before=forget_threads,
        reps=max(5, args.reps // 4),
    )
    measure("conversations, warm cache (htmx rows)", lambda: get(inbox, headers=htmx), raw_range(1))
    # New mail in conversation view: placed into the cached conversations by its headers
    # (listing._updated_conversations, mailbox/thread_merge.py); the former way threaded
    # the whole folder again. Taking turns in the same run, as for the sorted lists. A
    # reply answers a message of the folder; a new conversation has a subject of its own
    # (one an old message shares makes the merge unsure: the folder is threaded again).
    replies = itertools.count(1)

    def arrive_reply():
        number = next(replies)
        raw.append("INBOX", thread_arrival(f"<bench-{number * 7}@example.org>", number))

    def arrive_new():
        raw.append("INBOX", thread_arrival(None, next(replies)))

    def raw_thread_update():
        raw.select_folder("INBOX", readonly=True)
        new = raw.search(["UID", f"{total + 1}:*"])[-1:]
        fields = "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID IN-REPLY-TO REFERENCES SUBJECT)]"
        raw.fetch(new, [fields])
        raw.search(
            [
                "UID",
                f"1:{total}",
                "OR",
                "HEADER",
                "Message-ID",
                "<bench-7@example.org>",
                "SUBJECT",
                "bench arrival",
            ]
        )
        raw.fetch(new, ["FLAGS", "ENVELOPE", "RFC822.SIZE", "INTERNALDATE"])

    for turn in range(0 if args.no_thread_updates else 2):
        for kind, arrive_one in (("reply", arrive_reply), ("new conversation", arrive_new)):
            measure(
                f"conversations, after one {kind}: cached conversations updated, "
                f"turn {turn + 1} (htmx rows)",
                lambda: get(inbox, headers=htmx),
                raw_thread_update,
                before=arrive_one,
            )
            measure(
                f"conversations, after one {kind}: whole folder threaded again, the former "
                f"way, turn {turn + 1} (htmx rows)",
                lambda: get(inbox, headers=htmx),
                raw_threads,
                before=lambda arrive_one=arrive_one: (arrive_one(), forget_threads()),
            )
    settings.IMAP_THREAD_BUDGET_MS = budget
    preferences.conversations = False
    preferences.save()

    seconds = 10
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        get(inbox, headers=htmx)
        count += 1
    print(f"\nlist page 1 (htmx rows), one process, in sequence: {count / seconds:.0f} requests/s")
    full_count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        get(inbox)
        full_count += 1
    print(f"list page 1 (whole page), one process: {full_count / seconds:.0f} requests/s")
    rate = parallel_rate(lambda: get(inbox, headers=htmx), seconds, WEB_PROCESSES)
    print(
        f"list page 1 (htmx rows), {WEB_PROCESSES} processes at once (one per core): "
        f"{rate:.0f} requests/s"
    )

    for key in ("arrival", "date"):
        preferences.sort_key = key
        preferences.save()
        pages = total // 50 + 1
        step = max(1, pages // 400)
        samples = []
        for page in range(1, pages + 1, step):
            get(inbox, data={"page": page}, headers=htmx)
            samples.append(rss_mb())
        print(
            f"web process memory paging through {len(samples)} pages ({key} order): "
            f"start {samples[0]:.0f} MB, max {max(samples):.0f} MB, end {samples[-1]:.0f} MB"
        )

    print("web IMAP connections: {opened} opened, {reused} reused".format(**imap.pool_stats()))
    print("load average at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    raw.logout()


if __name__ == "__main__":
    main()
