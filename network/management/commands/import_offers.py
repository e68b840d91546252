from pathlib import Path

from network.imports import OFFER_COLUMNS
from network.services import offers_import
from sozialraum.management.csv_command import CsvImportCommand


class Command(CsvImportCommand):
    help = (
        "Importiert Angebote aus einer CSV-Datei – ganz oder gar nicht. "
        f"Spalten: {';'.join(OFFER_COLUMNS)}"
    )
    noun = "Angebot(e)"

    def handle(self, *args, path: Path, dry_run: bool, **options):
        self.run_import(path, dry_run, offers_import)
