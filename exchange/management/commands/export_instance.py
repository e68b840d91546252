"""manage.py export_instance: the whole instance into one (encrypted) archive file."""

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from exchange.management.commands._key import key_arguments, key_read
from exchange.services import UNENCRYPTED_WARNING, instance_export_to_file
from sozialraum.models import User


class Command(BaseCommand):
    help = (
        "Exportiert alle Datensätze und gespeicherten Dateien der Instanz in ein Archiv "
        "(JSON Lines je Tabelle, Manifest mit Prüfsummen), verschlüsselt (docs/exchange.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archiv", help="Zieldatei, z. B. export.srx")
        parser.add_argument(
            "--benutzer", required=True, help="Benutzername der Administratorin (Protokoll)"
        )
        parser.add_argument("--ueberschreiben", action="store_true", dest="overwrite")
        key_arguments(parser)

    def _progress(self, percent: int, step: str) -> None:
        self.stdout.write(f"{percent:3d} % {step}")

    def handle(self, *args, archiv: str, benutzer: str, overwrite: bool, **options):
        key = key_read(options)
        path = Path(archiv)
        if path.exists() and not overwrite:
            raise CommandError(f"{path} gibt es schon (--ueberschreiben, um sie zu ersetzen).")
        user = User.objects.filter(username=benutzer).first()
        if user is None:
            raise CommandError(f"Benutzer „{benutzer}“ gibt es nicht.")
        if key is None:
            self.stderr.write(UNENCRYPTED_WARNING)
        started = time.monotonic()
        try:
            result = instance_export_to_file(
                user=user,
                path=path,
                key=key,
                progress=self._progress if options["verbosity"] > 1 else None,
            )
        except (ValidationError, ValueError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        self.stdout.write(
            f"Exportiert: {result.total} Datensätze aus {len(result.records)} Tabellen, "
            f"{result.files} Dateien, {path.stat().st_size} Bytes in "
            f"{time.monotonic() - started:.1f} s → {path}"
        )
