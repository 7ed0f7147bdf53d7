"""python manage.py import_accounts FILE.csv [--dry-run]: create accounts from a CSV file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from accounts import importing


class Command(BaseCommand):
    help = (
        "Create accounts from a CSV file (prenom;nom;numen;date_naissance;email_secours;uai;"
        "service;fonction). Rows already imported are left alone; bad rows are reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    # The report is read in logs and scripts: one language (English) for all its lines.
    @no_translations
    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        plan = importing.import_accounts(content, actor=None, dry_run=dry_run)
        if plan.file_error:
            raise CommandError(plan.file_error)
        for error in plan.errors:
            self.stdout.write(f"line {error.line}: {error.reason}")
        verb = "to create" if dry_run else "created"
        self.stdout.write(
            f"{len(plan.to_create)} {verb}, {len(plan.existing)} already there, "
            f"{len(plan.errors)} in error."
        )
