"""manage.py compare_instances: every difference between two instances, by content."""

from django.core.management.base import BaseCommand, CommandError

from exchange.compare import instances_compare
from exchange.databases import database_alias


class Command(BaseCommand):
    help = (
        "Vergleicht zwei Instanzen Tabelle für Tabelle, Zeile für Zeile und Datei für Datei "
        "und listet jeden Unterschied. Exit-Code 1, wenn es Unterschiede gibt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mit", dest="other", required=True, help="Datenbank-URL von B")
        parser.add_argument(
            "--basis", dest="base", help="Datenbank-URL von A (Vorgabe: die des Portals)"
        )
        parser.add_argument("--hoechstens", type=int, default=1000, dest="limit")

    def handle(self, *args, other: str, base: str | None, limit: int, **options):
        try:
            a = database_alias(base) if base else "default"
            b = database_alias(other)
        except ValueError as error:
            raise CommandError(str(error)) from None
        result = instances_compare(a=a, b=b, limit=limit)
        for line in result.differences:
            self.stdout.write(line)
        if result.count > len(result.differences):
            self.stdout.write(f"… und {result.count - len(result.differences)} weitere")
        self.stdout.write(
            f"{result.count} Unterschiede ({result.tables} Tabellen, {result.rows} Zeilen "
            "verglichen)."
        )
        if result.count:
            raise SystemExit(1)
