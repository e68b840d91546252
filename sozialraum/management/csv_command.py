"""Shared body of the import commands: reading the file (also for boundaries), CSV imports."""

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sozialraum.csv_import import ImportInvalid


def file_read(path: Path) -> bytes:
    """The file's bytes; a German CommandError when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as problem:
        raise CommandError(
            f"Die Datei {path} lässt sich nicht lesen: {problem.strerror}."
        ) from None


class CsvImportCommand(BaseCommand):
    """Read the file, run the import service all or nothing, and print each bad line."""

    noun = ""

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="CSV-Datei (UTF-8, Semikolon oder Komma)")
        parser.add_argument("--dry-run", action="store_true", help="Nur prüfen, nichts speichern.")

    def run_import(self, path: Path, dry_run: bool, service: Callable[..., int]) -> None:
        data = file_read(path)
        try:
            count = service(data=data, dry_run=dry_run)
        except ImportInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(invalid.errors)} fehlerhafte Zeile(n); es wurde nichts importiert."
            ) from None
        verb = "geprüft, nichts gespeichert (--dry-run)" if dry_run else "importiert"
        self.stdout.write(self.style.SUCCESS(f"{count} {self.noun} {verb}."))
