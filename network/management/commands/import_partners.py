from pathlib import Path

from network.imports import PARTNER_COLUMNS
from network.services import partners_import
from sozialraum.management.csv_command import CsvImportCommand


class Command(CsvImportCommand):
    help = (
        "Importiert Netzwerkpartner aus einer CSV-Datei – ganz oder gar nicht. "
        f"Spalten: {';'.join(PARTNER_COLUMNS)}"
    )
    noun = "Netzwerkpartner"

    def handle(self, *args, path: Path, dry_run: bool, **options):
        self.run_import(path, dry_run, partners_import)
