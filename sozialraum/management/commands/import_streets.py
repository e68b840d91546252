from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sozialraum.services import StreetDirectoryInvalid, street_directory_import
from sozialraum.street_directory import COLUMNS


class Command(BaseCommand):
    help = (
        "Importiert das Straßenverzeichnis aus einer CSV-Datei – ganz oder gar nicht. "
        f"Spalten: {';'.join(COLUMNS)}"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="CSV-Datei (UTF-8, Semikolon oder Komma)")
        parser.add_argument("--dry-run", action="store_true", help="Nur prüfen, nichts speichern.")

    def handle(self, *args, path: Path, dry_run: bool, **options):
        try:
            data = path.read_bytes()
        except OSError as problem:
            raise CommandError(
                f"Die Datei {path} lässt sich nicht lesen: {problem.strerror}."
            ) from None
        try:
            count = street_directory_import(data=data, dry_run=dry_run)
        except StreetDirectoryInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(invalid.errors)} fehlerhafte Zeile(n); es wurde nichts importiert."
            ) from None
        verb = "geprüft, nichts gespeichert (--dry-run)" if dry_run else "importiert"
        self.stdout.write(self.style.SUCCESS(f"{count} Straßenabschnitt(e) {verb}."))
