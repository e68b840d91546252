from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from network.services import BoundariesInvalid, boundaries_import
from sozialraum.management.csv_command import file_read


class Command(BaseCommand):
    help = (
        "Importiert Grenzen von Sozialräumen und Regionen aus einer GeoJSON-FeatureCollection – "
        "ganz oder gar nicht. Jedes Feature nennt in den properties „sozialraum“ oder „region“ "
        "(Kürzel); Geometrie Polygon oder MultiPolygon in WGS 84."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="GeoJSON-Datei (UTF-8)")

    def handle(self, *args, path: Path, **options):
        data = file_read(path)
        try:
            result = boundaries_import(data=data)
        except BoundariesInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(error)
            raise CommandError(
                f"{len(invalid.errors)} Fehler; es wurde nichts importiert."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.sozialraum_count} Sozialraumgrenze(n) und "
                f"{result.region_count} Regionsgrenze(n) importiert."
            )
        )
