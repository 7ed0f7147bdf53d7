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
  so middleware, view, IMAP, template) and as raw UID SEARCH on an open imapclient
  connection (the index's own speed).

Everything it started is stopped and deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.mail_speed import MessageFactory, repeat, stats, write_maildir  # noqa: E402
from bench.private_stack import private_stack  # noqa: E402

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
    args = parser.parse_args()

    with private_stack("webmail-bench-search-", keep=args.keep) as stack:
        run(args, stack)


def run(args, stack) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from imapclient import IMAPClient

    from mailbox.search_forms import AdvancedSearchForm, QuickSearchForm
    from mailbox.searching import imap_criteria

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

    raw = IMAPClient(settings.IMAP_HOST, port=settings.IMAP_PORT, ssl=False, timeout=600)
    raw.login(f"{user.username}*{settings.MAIL_MASTER_USER}", settings.MAIL_MASTER_PASSWORD)
    raw.select_folder("INBOX", readonly=True)
    client = Client()
    client.force_login(user)

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
    print(
        "\n| search | matches | web median ms | web p95 ms | raw UID SEARCH median ms "
        "| raw p95 ms |"
    )
    print("|---|---|---|---|---|---|")
    for name, (url, params, form) in searches:
        assert form.is_valid(), form.errors
        criteria = imap_criteria(form.query())
        found = raw.search(criteria, "UTF-8")

        def web(url=url, params=params):
            response = client.get(url, params, headers={"HX-Request": "true"})
            assert response.status_code == 200, response.status_code

        web()  # warm: the first search of a word loads its posting lists
        web_times = repeat(web, args.reps)
        raw_times = repeat(lambda criteria=criteria: raw.search(criteria, "UTF-8"), args.reps)
        row = (name, len(found), *stats(web_times), *stats(raw_times))
        print("| {} | {:,} | {:.1f} | {:.1f} | {:.1f} | {:.1f} |".format(*row), flush=True)
    raw.logout()
    print("load average at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


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
