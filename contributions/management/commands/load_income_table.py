from django.core.management.base import BaseCommand

from contributions.table_seed import OFFICIAL_NAME, official_table_load


class Command(BaseCommand):
    help = (
        "Lädt die Kostenbeitragstabelle nach der KostenbeitragsV (Fassung vom 20.12.2023, gültig "
        "ab 1.1.2024) und die Kindergeldbeträge. Mehrfach ausführbar: eine schon vorhandene "
        "Tabelle bleibt, wie sie ist (auch mit Änderungen aus der Administration)."
    )

    def handle(self, *args, **options):
        table = official_table_load()
        self.stdout.write(
            f"{OFFICIAL_NAME}: {table.brackets.count()} Einkommensgruppen, gültig ab "
            f"{table.valid_from:%d.%m.%Y}."
        )
