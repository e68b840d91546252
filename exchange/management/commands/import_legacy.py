"""manage.py import_legacy: cases from the old system; a dry run unless --ausfuehren."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange.legacy import legacy_import
from sozialraum.csv_import import ImportInvalid
from sozialraum.models import User


class Command(BaseCommand):
    help = (
        "Übernimmt Fälle aus dem Altsystem (CSV oder XLSX, Format in docs/exchange.md). Ohne "
        "--ausfuehren ein Probelauf: zeigt je Zeile, was angelegt würde und warum eine Zeile "
        "abgelehnt wird; es wird nichts gespeichert."
    )

    def add_arguments(self, parser):
        parser.add_argument("datei")
        parser.add_argument("--zuordnung", required=True, help="Zuordnungsdatei (bereich;alt;neu)")
        parser.add_argument("--benutzer", required=True, help="wer importiert (Protokoll)")
        parser.add_argument(
            "--fallsteuerung", required=True, help="Benutzername der fallführenden Fachkraft"
        )
        parser.add_argument("--kodierung", choices=("utf-8", "cp1252"), default="utf-8")
        parser.add_argument("--ausfuehren", action="store_true", dest="execute")

    def handle(self, *args, datei, zuordnung, benutzer, fallsteuerung, kodierung, execute, **o):
        users = {u.username: u for u in User.objects.filter(username__in=[benutzer, fallsteuerung])}
        for name in (benutzer, fallsteuerung):
            if name not in users:
                raise CommandError(f"Benutzer „{name}“ gibt es nicht.")
        try:
            data = Path(datei).read_bytes()
            mapping = Path(zuordnung).read_bytes()
        except OSError as error:
            raise CommandError(f"Datei nicht lesbar: {error.filename}") from None
        try:
            report = legacy_import(
                data=data,
                mapping_data=mapping,
                user=users[benutzer],
                steering=users[fallsteuerung],
                dry_run=not execute,
                encoding=kodierung,
            )
        except ImportInvalid as error:
            raise CommandError("Die Datei wurde nicht gelesen:\n" + str(error)) from None
        self.stdout.write("PROBELAUF – nichts gespeichert" if report.dry_run else "IMPORT")
        for line in report.lines:
            self.stdout.write(str(line))
        if report.look:
            self.stdout.write("\nBitte von einer Fachkraft ansehen:")
            for item in report.look:
                self.stdout.write(f"  – {item}")
        verb = "würden angelegt" if report.dry_run else "angelegt"
        self.stdout.write(
            f"\n{len(report.created)} Zeilen {verb}, {len(report.refused)} abgelehnt."
        )
