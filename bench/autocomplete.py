"""How fast compose's autocomplete and the directory search are with 85,000 people.

    PYTHONPATH=. python bench/autocomplete.py [--people 85000] [--collected 2000] [--contacts 2000]
        [--postgres postgres://postgres@127.0.0.1/] [--reps 300]

Creates a temporary database (SQLite in a temporary directory; with --postgres, a
database created on that server for the run and dropped at the end), migrates it, writes
--people active accounts (French names with accents, hyphens and namesakes, in 40
establishments), 1,000 inactive ones, 200 distribution lists and --collected recently used
addresses and --contacts personal contacts (their local index, as synced from CardDAV) for
the signed-in user.

It then times, through Django's test client (signed in: middleware, session, view, JSON or
template), --reps autocomplete requests and --reps directory searches (with and without
an establishment, some pages further on) with prefixes people type (2 to 8 letters, whole
names, accents or none, address-like), and prints the median and p95 of each. Goal: p95
under 50 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.import_accounts import DEPARTMENTS, FIRST_NAMES, LAST_NAMES, TITLES  # noqa: E402
from bench.private_stack import SIGN_IN_BACKEND  # noqa: E402

GOAL_MS = 50.0
ESTABLISHMENTS = 40


def person_names(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """(first name, last name, username) for count people; namesakes get a number."""
    from accounts.usernames import base_username

    taken: dict[str, int] = {}
    people = []
    for _ in range(count):
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        if rng.random() < 0.15:
            last = f"{last}-{rng.choice(LAST_NAMES)}"
        base = base_username(first, last)
        taken[base] = taken.get(base, 0) + 1
        username = base if taken[base] == 1 else f"{base}{taken[base]}"
        people.append((first, last, username))
    return people


def fill(args, rng: random.Random):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Establishment
    from addressbook.directory import index_everyone
    from addressbook.models import CollectedAddress, DistributionList, collected_search_key

    user_model = get_user_model()
    establishments = Establishment.objects.bulk_create(
        Establishment(name=f"Collège {rng.choice(LAST_NAMES)} {n}", uai=f"0{n:06d}B")
        for n in range(ESTABLISHMENTS)
    )
    started = time.perf_counter()
    names = person_names(rng, args.people + 1000)
    users = [
        user_model(
            username=username,
            first_name=first,
            last_name=last,
            password="!",  # noqa: S106 - an unusable password, as Django writes it
            is_active=n < args.people,
            establishment=rng.choice(establishments),
            department=rng.choice(DEPARTMENTS),
            title=rng.choice(TITLES),
        )
        for n, (first, last, username) in enumerate(names)
    ]
    user_model.objects.bulk_create(users, batch_size=2000)
    index_everyone()
    elapsed = time.perf_counter() - started
    print(f"wrote {len(users)} accounts and their search words in {elapsed:.1f} s")
    me = user_model.objects.get(username=names[0][2])
    now = timezone.now()
    recent = []
    for n, (first, last, username) in enumerate(rng.sample(names, args.collected)):
        address = f"{username}.{n}@{rng.choice(['ac-exemple.fr', 'gmail.com', 'famille.fr'])}"
        recent.append(
            CollectedAddress(
                user=me,
                address=address,
                name=f"{first} {last}",
                search_key=collected_search_key(f"{first} {last}", address),
                use_count=rng.randint(1, 40),
                last_used=now - timedelta(days=rng.randint(0, 700)),
            )
        )
    CollectedAddress.objects.bulk_create(recent)
    write_contacts(me, rng.sample(names, args.contacts), rng)
    for n in range(200):
        team = DistributionList.objects.create(
            name=f"Équipe {rng.choice(DEPARTMENTS)} {establishments[n % ESTABLISHMENTS].name}",
            slug=f"equipe-{n}",
            establishment=establishments[n % ESTABLISHMENTS] if n % 4 else None,
        )
        team.members.set(rng.sample(users[: args.people], 30))
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: statistics, and index-only scans.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return me, names[: args.people], establishments


def write_contacts(me, names, rng: random.Random) -> None:
    """The index rows addressbook.contacts.sync writes for these cards (no Radicale here)."""
    from addressbook import vcards
    from addressbook.models import ContactCategory, ContactIndex
    from addressbook.words import fold

    rows = []
    for n, (first, last, username) in enumerate(names):
        card = vcards.Contact(
            formatted_name=f"{first} {last}",
            given_name=first,
            family_name=last,
            emails=(("home", f"{username}.perso{n}@famille.fr"),),
            organisation=rng.choice(["", "Mairie", "Association des parents"]),
            categories=(rng.choice(["Parents", "Collègues", "Amis"]),),
        )
        rows.append(
            ContactIndex(
                user=me,
                href=f"/{me.username}/contacts/{n}.vcf",
                etag=f'"{n}"',
                uid=str(n),
                display_name=card.display_name,
                sort_key=fold(f"{last} {first}"),
                search_key=vcards.search_key(card),
                name_key=vcards.name_key(card),
                emails=card.email_addresses,
                organisation=card.organisation,
            )
        )
    created = ContactIndex.objects.bulk_create(rows, batch_size=1000)
    ContactCategory.objects.bulk_create(
        ContactCategory(contact=row, user=me, name=rng.choice(["Parents", "Collègues"]))
        for row in created
    )


def typed_queries(rng: random.Random, names, count: int) -> list[str]:
    """What people type: prefixes of first or last names, with or without accents, whole
    names, an address start."""
    from addressbook.words import fold

    queries = []
    for _ in range(count):
        first, last, username = rng.choice(names)
        kind = rng.random()
        if kind < 0.35:
            word = rng.choice([first, last])
            query = word[: rng.randint(2, 8)]
        elif kind < 0.55:
            query = fold(rng.choice([first, last]))[: rng.randint(3, 8)]
        elif kind < 0.75:
            query = f"{first} {last[: rng.randint(1, 4)]}"
        elif kind < 0.9:
            query = username[: rng.randint(4, len(username))]
        else:
            query = "equipe " + rng.choice(["lettres", "eps", "vie", "math"])
        queries.append(query)
    return queries


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(client, url: str, params_list: list[dict]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each request (CPU: this process's own time,
    which says more than the clock on a busy machine; database time on PostgreSQL is in
    the server's process, so only in the clock)."""
    times, cpu = [], []
    for params in params_list:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, params, response.status_code)
    return times, cpu


def report(label: str, measured: tuple[list[float], list[float]]) -> bool:
    times, cpu = measured
    median, p95 = statistics.median(times), percentile(times, 0.95)
    met = p95 < GOAL_MS
    print(
        f"{label:34} median {median:6.1f} ms   p95 {p95:6.1f} ms   max {max(times):6.1f} ms"
        f"   CPU median {statistics.median(cpu):5.1f} p95 {percentile(cpu, 0.95):5.1f} ms"
        f"   {'met' if met else 'MISSED'}"
    )
    return met


def run(args) -> bool:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    rng = random.Random(2026)  # noqa: S311 - reproducible test data
    me, names, establishments = fill(args, rng)
    print(
        f"load average {os.getloadavg()[0]:.1f}; "
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"cpus: {os.cpu_count()}; {args.people} people, {args.collected} recent addresses, "
        f"{args.contacts} personal contacts"
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    client = Client()
    client.force_login(me, backend=SIGN_IN_BACKEND)
    queries = typed_queries(rng, names, args.reps)
    autocomplete = reverse("addressbook:autocomplete")
    directory = reverse("addressbook:directory")
    timed(client, autocomplete, [{"q": q} for q in queries[:20]])  # warm caches
    searches = []
    for n, query in enumerate(queries):
        params = {"q": query}
        if n % 3 == 0:
            params["establishment"] = rng.choice(establishments).pk
        if n % 5 == 0:
            params["page"] = 2
        searches.append(params)
    results = [
        report("autocomplete (compose)", timed(client, autocomplete, [{"q": q} for q in queries])),
        report("directory search page", timed(client, directory, searches)),
        report(
            "directory, no search, page 1..40",
            timed(client, directory, [{"page": 1 + n % 40} for n in range(args.reps // 3)]),
        ),
    ]
    sample = client.get(autocomplete, {"q": "hélène"}).json()["results"][:3]
    print("sample 'hélène':", ", ".join(f"{r['name']} <{r['address']}>" for r in sample))
    return all(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=85_000)
    parser.add_argument("--collected", type=int, default=2_000)
    parser.add_argument("--contacts", type=int, default=2_000)
    parser.add_argument("--reps", type=int, default=300)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("BENCH_POSTGRES_URL", ""),
        help="a PostgreSQL server URL; a database is created there for the run and dropped",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database (for EXPLAIN ANALYZE)"
    )
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="webmail-bench-autocomplete-"))
    database_name = f"webmail_bench_autocomplete_{os.getpid()}"
    if args.postgres:
        parts = urlsplit(args.postgres)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + database_name))
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        _postgres(admin_url, f'CREATE DATABASE "{database_name}"')
        # As the production database runs (docker-compose.yml: SSD, data in memory).
        _postgres(admin_url, f'ALTER DATABASE "{database_name}" SET random_page_cost = 1.1')
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{root / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webmail.settings")
    # Persistent connections, as production runs (docker-compose.yml): without them each
    # request would also time a new PostgreSQL connection (a server process forked).
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    try:
        call_command("migrate", verbosity=0)
        met = run(args)
    finally:
        connections.close_all()
        if args.keep:
            print(f"kept: {root}" + (f" and database {database_name}" if args.postgres else ""))
        else:
            shutil.rmtree(root, ignore_errors=True)
            if args.postgres:
                _postgres(admin_url, f'DROP DATABASE IF EXISTS "{database_name}"')
    return 0 if met else 1


def _postgres(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


if __name__ == "__main__":
    sys.exit(main())
