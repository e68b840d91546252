"""manage.py import_instance: an archive into an empty, migrated database; all or nothing."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange.archive import ArchiveInvalid
from exchange.crypto import ArchiveDamaged, ArchiveKeyError
from exchange.databases import database_alias
from exchange.management.commands._key import key_arguments, key_read
from exchange.services import instance_import_from_file


class Command(BaseCommand):
    help = (
        "Importiert ein Exportarchiv in eine leere, migrierte Datenbank (gleicher oder neuerer "
        "Programmstand). Prüft zuerst Manifest und Prüfsummen; alles oder nichts."
    )

    def add_arguments(self, parser):
        parser.add_argument("archiv")
        parser.add_argument(
            "--datenbank",
            dest="database_url",
            help="Ziel als Datenbank-URL (Vorgabe: die Datenbank des Portals, DATABASE_URL)",
        )
        key_arguments(parser)

    def _progress(self, percent: int, step: str) -> None:
        self.stdout.write(f"{percent:3d} % {step}")

    def handle(self, *args, archiv: str, database_url: str | None, **options):
        key = key_read(options)
        path = Path(archiv)
        if not path.is_file():
            raise CommandError(f"Die Archivdatei {path} gibt es nicht.")
        try:
            using = database_alias(database_url) if database_url else "default"
        except ValueError as error:
            raise CommandError(str(error)) from None
        started = time.monotonic()
        try:
            result = instance_import_from_file(
                path=path,
                key=key,
                using=using,
                progress=self._progress if options["verbosity"] > 1 else None,
            )
        except (ArchiveInvalid, ArchiveKeyError, ArchiveDamaged) as error:
            raise CommandError(str(error)) from None
        for label, count in sorted(result.replaced.items()):
            self.stdout.write(f"Vorbelegung durch die Migrationen ersetzt: {label} ({count})")
        self.stdout.write(
            f"Importiert: {result.total} Datensätze in {len(result.records)} Tabellen, "
            f"{result.files} Dateien in {time.monotonic() - started:.1f} s."
        )
