"""manage.py bench_pages: server time, queries and overhead of the portal's main pages."""

from django.core.management.base import BaseCommand

from benchmarks import pages


class Command(BaseCommand):
    help = (
        "Misst die Hauptseiten (p50/p95, Abfragen, reine SQL-Zeit) und vergleicht die "
        "Fallliste mit der Admin-Changelist. Erwartet die Daten von bench_city."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30, help="Messungen je Seite")
        parser.add_argument("--only", default="", help="nur Seiten, deren Name dies enthält")

    def handle(self, *args, **options):
        pages.run(runs=options["runs"], out=self.stdout.write, only=options["only"])
