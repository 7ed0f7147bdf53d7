"""How fast search is on a big folder with Dovecot's full-text index (fts-xapian), next
to the same UID SEARCH on an open IMAP connection.

    PYTHONPATH=. python bench/search.py [--messages 100000] [--reps 40]

Starts its own private Dovecot and Redis (scripts/localstack.py, as the tests do) in a
temporary directory, fills one account's INBOX with --messages varied messages (the
filler of bench/mail_speed.py; every body also carries one of 1,000 rarer words, so a
word matches about --messages/1000 messages as real searches do), builds the full-text
index of the folder with `doveadm index` (what docs/deployment.md says to run for mail
that existed before FTS) and prints how long that took, then times:

  the quick search box (a body word), the advanced form by sender and by date range,
  and a very common word (in most messages): through Django's test client (logged in,
  so middleware, view, IMAP, template; each run a new search: the results the page
  remembers are forgotten before it, untimed) and as raw UID SEARCH on an open
  imapclient connection (the index's own speed); the body word as a whole page (folder
  tree with counts, quota: what the search box submits); then page 2 of a search and
  the same search asked again (htmx, after an action), alternately searched and from
  the remembered results, so that both see the same load.
  Each row also gives the web process's CPU time and the IMAP commands of one request.

--profile profiles the search by sender instead (cProfile, --reps new searches of a
whole page of rows).

Everything it started is stopped and deleted at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.imap_commands import command_log  # noqa: E402
from bench.mail_speed import MessageFactory, repeat, stats, write_maildir  # noqa: E402
from bench.private_stack import SIGN_IN_BACKEND, private_stack  # noqa: E402

RARE_WORDS = [f"motcle{number:03d}" for number in range(1000)]


class SearchMessageFactory(MessageFactory):
    """The mail benchmark's messages, each body with one of RARE_WORDS added."""

    def body(self) -> str:
        return f"{super().body()}\r\n{self.rng.choice(RARE_WORDS)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--profile", action="store_true", help="profile a search by sender")
    parser.add_argument(
        "--no-common-word",
        action="store_true",
        help="leave out the word in most messages (at 100,000 past the 10 s search budget)",
    )
    args = parser.parse_args()

    with private_stack("webmail-bench-search-", keep=args.keep) as stack:
        run(args, stack)


def run(args, stack) -> None:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    user = get_user_model().objects.create_user(
        username="bench.user",
        password="Bench-password-2026!",  # noqa: S106 - a throwaway account
        first_name="Banc",
        last_name="Essai",
    )
    # Load every view now: an import error must not wait for the index to be built.
    reverse("mailbox:search", args=["INBOX"])
    print(f"# Search, {args.messages:,} messages in INBOX, {args.reps} runs each", flush=True)
    print("load average at the start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()), flush=True)
    identity = stack._identity()
    maildir = stack.root / "mail" / user.username / "Maildir"
    write_maildir(
        maildir,
        args.messages,
        SearchMessageFactory(),
        int(identity["mail_uid"]),
        int(identity["mail_gid"]),
    )
    print(f"fts index: {index_seconds(stack, user.username):.0f} s (doveadm index)", flush=True)
    time_searches(args, user, dovecot_instance(stack.dovecot_dir / "dovecot.conf"))


def time_searches(args, user, instance: str) -> None:
    """The timed searches and their table, on the INBOX of user (already filled and
    indexed), through the Django settings' IMAP server, whose Dovecot is `instance`."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse
    from imapclient import IMAPClient

    from mailbox.search_forms import AdvancedSearchForm, QuickSearchForm
    from webmail.celery import app

    # A search of a folder not yet summarised queues a task (no worker here): on the
    # stack's Redis, not on the default broker, which nothing answers.
    app.conf.broker_url = app.conf.result_backend = settings.REDIS_URL
    from mailbox.searching import imap_criteria, received_range
    from mailbox.services import received_dates

    # Nothing here saves mail, so the indexer should stay idle; an indexer-worker busy
    # on this folder (a left-over of doveadm index, an APPEND) would take a core.
    indexer_before = indexer_cpu_seconds(instance)
    raw = IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False, timeout=600)
    raw.login(f"{user.username}*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD)
    raw.select_folder("INBOX", readonly=True)
    client = Client()
    client.force_login(user, backend=SIGN_IN_BACKEND)

    def quick(**params):
        return reverse("mailbox:search", args=["INBOX"]), params, QuickSearchForm(params)

    def advanced(**params):
        url = reverse("mailbox:search-advanced", args=["INBOX"])
        return url, params, AdvancedSearchForm(params, user=user)

    searches = [
        ("quick search, a body word (about 0.1% of messages)", quick(q="motcle417")),
        ("advanced, sender (a last name)", advanced(sender="Chevalier")),
        ("advanced, date range (one week)", advanced(since="2023-09-04", until="2023-09-10")),
        ("advanced, body word and sender", advanced(body="motcle417", sender="Chevalier")),
        ("quick search, a word in most messages", quick(q="bulletin")),
    ]
    if args.no_common_word:
        searches.pop()
    uidvalidity = summarise_received_dates(user)
    if args.profile:
        url, params, _form = searches[1][1]
        profile(lambda: get(client, url, params), args.reps)
        return
    commands = command_log()
    print(
        "\n| search | matches | web median ms | web p95 ms | web CPU median ms "
        "| raw UID SEARCH median ms | raw p95 ms | IMAP commands of one request |"
    )
    print("|---|---|---|---|---|---|---|---|")

    def forget_dates():
        forget_results()
        received_dates.sort_cache.delete_matching("webmail:dates:*")

    def measure(
        name, url, params, *, whole=False, remembered=False, criteria=None, unsummarised=False
    ):
        def web():
            get(client, url, params, whole=whole)

        if not answered(name, web):  # warm: the first search of a word loads its posting lists
            return
        before = None if remembered else forget_dates if unsummarised else forget_results
        sent = commands(web, before=before)
        web_times = repeat(web, args.reps, before=before)
        cpu = statistics.median(repeat.cpu) * 1000
        matches, raw_cells = "", " | "
        if criteria is not None:
            matches = f"{len(raw.search(criteria, 'UTF-8')):,}"
            raw_times = repeat(lambda: raw.search(criteria, "UTF-8"), args.reps)
            raw_cells = "{:.1f} | {:.1f}".format(*stats(raw_times))
        cells = "{:.1f} | {:.1f} | {:.1f}".format(*stats(web_times), cpu)
        print(f"| {name} | {matches} | {cells} | {raw_cells} | {sent} |", flush=True)

    for index, (name, (url, params, form)) in enumerate(searches):
        assert form.is_valid(), form.errors
        criteria, received = imap_criteria(form.query()), received_range(form.query())
        if received:  # the raw search as the page sends it, then without the summary
            summary = received_dates.read(user.mail_account, "INBOX", uidvalidity)
            narrowed = ["UID", summary.candidates(*received), *criteria]
            measure(f"{name}, dates summarised", url, params, criteria=narrowed)
            name = f"{name}, first date search of the folder"
            measure(name, url, params, criteria=criteria, unsummarised=True)
            summarise_received_dates(user)
            continue
        measure(name, url, params, criteria=criteria)
        if index == 0:  # before the word in most messages, whose SEARCH, if it timed
            # out, may keep Dovecot busy for a while after the page gave up
            whole_name = "the body word, whole page (as the search box submits it)"
            measure(whole_name, url, params, whole=True)
    # What remembering saves, measured alternately (same load): each page once searched
    # (remembered results forgotten first, as the code before them always did) and once
    # from the remembered results.
    for name, index, page in (
        ("date range, page 2", 2, "2"),
        ("date range, page 1 asked again (htmx)", 2, "1"),
        *([] if args.no_common_word else [("word in most messages, page 2", 4, "2")]),
    ):
        url, params, _form = searches[index][1]
        compare(client, name, url, {**params, "page": page}, args.reps, commands)
    raw.logout()
    print("load average at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    indexing = indexer_cpu_seconds(instance) - indexer_before
    print(f"indexer-worker CPU during the timed searches: {indexing:.1f} s (0: idle)")


def summarise_received_dates(user) -> int:
    """Summarise the INBOX's received dates as the Celery task does (timed); returns the
    folder's UIDVALIDITY."""
    from mailbox.services import imap, received_dates

    start = time.perf_counter()
    with imap.session_for(user.mail_account) as session:
        folder = session.open_folder("INBOX")
        received_dates.summarise(folder)
    took = time.perf_counter() - start
    print(f"received dates summarised (the Celery task's work): {took:.2f} s", flush=True)
    return folder.state.uidvalidity


def compare(client, name: str, url: str, params: dict, reps: int, commands) -> None:
    """Two rows: the page searched, and the page from the remembered results."""

    def web():
        get(client, url, params)

    if not answered(name, web):
        return
    sent = {"searched": commands(web, before=forget_results), "remembered": commands(web)}
    times: dict[str, list[float]] = {"searched": [], "remembered": []}
    cpus: dict[str, list[float]] = {"searched": [], "remembered": []}
    for _ in range(reps):
        for how, before in (("searched", forget_results), ("remembered", None)):
            times[how] += repeat(web, 1, before=before)
            cpus[how] += repeat.cpu
    for how in ("searched", "remembered"):
        cells = "{:.1f} | {:.1f}".format(*stats(times[how]))
        cpu = statistics.median(cpus[how]) * 1000
        print(f"| {name}, {how} | | {cells} | {cpu:.1f} | | | {sent[how]} |", flush=True)


def get(client, url: str, params: dict, whole: bool = False) -> None:
    """The results' rows, as the next pages and the list after an action ask for them
    (htmx), or the whole page (whole), as the search box submits a new search."""
    headers = {} if whole else {"HX-Request": "true"}
    response = client.get(url, params, headers=headers)
    if response.status_code == 503:  # webmail/middleware.py: the IMAP server timed out
        raise TimeoutError(url)
    assert response.status_code == 200, response.status_code
    if response.context and response.context.get("search_errors"):
        raise TimeoutError(url)  # past IMAP_SEARCH_BUDGET_MS: the page asks for other words


def answered(name: str, web) -> bool:
    """Whether the page answered; if the IMAP server timed out, a row saying so."""
    from django.conf import settings

    try:
        web()
    except TimeoutError:
        seconds = settings.IMAP_SEARCH_BUDGET_MS / 1000
        print(f"| {name} | | not answered within {seconds:g} s | | | | | |")
        return False
    return True


def forget_results() -> None:
    """Forget the results the pages remembered, so that the next request searches."""
    from mailbox.services import sort_cache

    client = sort_cache.redis_client()
    for key in client.scan_iter("webmail:results:*"):
        client.delete(key)


def profile(action, reps: int) -> None:
    action()
    profiler = cProfile.Profile()
    for _ in range(reps):
        forget_results()
        profiler.runcall(action)
    for order, lines in (("cumulative", 60), ("tottime", 25)):
        pstats.Stats(profiler).sort_stats(order).print_stats(lines)


def dovecot_instance(config: Path) -> str:
    """The instance_name of a Dovecot configuration file: its processes' title prefix."""
    found = re.search(r"^instance_name = (\S+)$", config.read_text(), re.MULTILINE)
    return found.group(1) if found else "dovecot"


def indexer_cpu_seconds(instance: str) -> float:
    """CPU seconds used so far by the running indexer workers of this Dovecot instance."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            title = (stat.parent / "cmdline").read_bytes().split(b"\0")[0].decode()
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, UnicodeDecodeError):
            continue
        if title.startswith(f"dovecot-{instance}/indexer-worker"):
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def index_seconds(stack, username: str) -> float:
    """Build the folder's full-text index as an administrator would for existing mail."""
    config = stack.dovecot_dir / "dovecot.conf"
    start = time.perf_counter()
    subprocess.run(  # noqa: S603 - fixed arguments
        ["doveadm", "-c", str(config), "index", "-u", username, "INBOX"], check=True
    )
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
