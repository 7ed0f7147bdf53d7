"""Time `manage.py import_accounts` on 10,000 rows, each with a NUMEN, on the configured DB.

    PYTHONPATH=. python bench/import_accounts.py [--rows 10000] [--without-numen] [--keep]

Writes a CSV of realistic French staff (accents, hyphens, apostrophes, namesakes) in a
temporary directory, imports it into establishments created for the run, imports it a
second time (everything already there), prints rows/s, then deletes what it created
unless --keep. Use a development database: the accounts are real rows.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

FIRST_NAMES = [
    "Jean",
    "Marie",
    "Pierre",
    "Hélène",
    "Françoise",
    "Anne-Sophie",
    "Jean-Marie",
    "Chloé",
    "Léa",
    "Inès",
    "Zoé",
    "Maëlle",
    "Noémie",
    "Élodie",
    "Cécile",
    "Gaëlle",
    "Sébastien",
    "Jérôme",
    "Frédéric",
    "Benoît",
    "Grégoire",
    "Loïc",
    "Anaïs",
    "Joël",
    "François",
    "Mathéo",
    "Aurélie",
    "Stéphane",
    "Valérie",
    "Béatrice",
    "Thérèse",
    "Raphaël",
    "Éric",
    "André",
    "René",
    "Yasmine",
    "Karim",
    "Mohamed",
    "Fatima",
    "Ngozi",
    "Aïcha",
    "Océane",
    "Camille",
    "Julien",
    "Nicolas",
    "Thomas",
    "Laure",
    "Émilie",
    "Agnès",
    "Solène",
    "Hervé",
    "Gérald",
    "Édouard",
    "Clémence",
    "Maxime",
    "Lucie",
    "Manon",
    "Théo",
    "Hugo",
]
LAST_NAMES = [
    "Dupont",
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupuis",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Müller",
    "Lefebvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Marie",
    "Lemaire",
    "Noël",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Rivière",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Martínez",
    "Gérard",
    "Roche",
    "Renard",
    "Schmitt",
    "Roy",
    "Leroux",
    "Colin",
    "Vidal",
    "Caron",
    "Picard",
    "Roger",
    "Fabre",
    "Aubert",
    "Lemoine",
    "Renaud",
    "Dumas",
    "Lacroix",
    "Olivier",
    "Philippe",
    "Bourgeois",
    "Pierre",
    "Benoît",
    "Rey",
    "N'Diaye",
    "D'Alembert",
    "Le-Gall",
    "De-La-Fontaine",
    "Benali",
    "Cœur",
    "Saint-Exupéry",
]
DEPARTMENTS = ("Lettres", "Mathématiques", "Vie scolaire", "Intendance", "Direction", "EPS")
TITLES = ("Professeur", "Professeure", "CPE", "Gestionnaire", "Principal adjoint", "AED")
HEADER = "prenom;nom;numen;date_naissance;email_secours;uai;service;fonction\n"


def write_csv(path: Path, rows: int, with_numen: bool, uais: list[str]) -> None:
    rng = random.Random(2026)  # noqa: S311 - test data, not a secret
    lines = [HEADER]
    for index in range(rows):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES).replace("-", " ")
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(15000))
        numen = f"{index:02d}E{rng.randrange(10**7):07d}{rng.choice('ABCDEFGH')}{index % 100:02d}"
        backup = f"{first.lower()}.{index}@example.net" if index % 3 == 0 else ""
        lines.append(
            ";".join(
                (
                    first,
                    last,
                    numen[:13] if with_numen else "",
                    born.strftime("%d/%m/%Y"),
                    backup.encode("ascii", "ignore").decode(),
                    uais[index % len(uais)],
                    rng.choice(DEPARTMENTS),
                    rng.choice(TITLES),
                )
            )
            + "\n"
        )
    path.write_text("".join(lines), encoding="cp1252")


def timed_import(path: Path) -> tuple[float, str]:
    from django.core.management import call_command

    out = StringIO()
    start = time.perf_counter()
    call_command("import_accounts", str(path), stdout=out)
    return time.perf_counter() - start, out.getvalue().strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--without-numen", action="store_true", help="rows carry no NUMEN")
    parser.add_argument("--keep", action="store_true", help="keep the accounts created")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webmail.settings")
    import django

    django.setup()
    from django.db import connection

    from accounts.models import Establishment, User

    uais = [f"99{n:05d}Z" for n in range(20)]
    establishments = [
        Establishment.objects.get_or_create(uai=uai, defaults={"name": f"Bench {uai}"})[0]
        for uai in uais
    ]
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; cpus: {os.cpu_count()}"
    )
    try:
        with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
            path = Path(tmp) / "comptes.csv"
            write_csv(path, args.rows, not args.without_numen, uais)
            first, summary = timed_import(path)
            print(f"first import:  {first:7.1f} s  {args.rows / first:8.0f} rows/s  ({summary})")
            print(f"goal: {args.rows} rows in under 60 s: {'met' if first < 60 else 'MISSED'}")
            second, summary = timed_import(path)
            print(f"re-import:     {second:7.1f} s  {args.rows / second:8.0f} rows/s  ({summary})")
    finally:
        if not args.keep:
            User.objects.filter(establishment__in=establishments).delete()
            Establishment.objects.filter(uai__in=uais).delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
