from pathlib import Path

from sozialraum.management.csv_command import CsvImportCommand
from sozialraum.services import street_directory_import
from sozialraum.street_directory import COLUMNS


class Command(CsvImportCommand):
    help = (
        "Importiert das Straßenverzeichnis aus einer CSV-Datei – ganz oder gar nicht. "
        f"Spalten: {';'.join(COLUMNS)}"
    )
    noun = "Straßenabschnitt(e)"

    def handle(self, *args, path: Path, dry_run: bool, **options):
        self.run_import(path, dry_run, street_directory_import)
