"""manage.py bench_pages: server time, queries and overhead of the portal's main pages."""

import json
from pathlib import Path

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
        parser.add_argument(
            "--json", default="", help="p50/p95 je Seite zusätzlich als JSON in diese Datei"
        )

    def handle(self, *args, **options):
        results = pages.run(runs=options["runs"], out=self.stdout.write, only=options["only"])
        if options["json"]:
            figures = {
                r.page.name: {
                    "p50": r.p50,
                    "p95": r.p95,
                    "queries": r.queries,
                    "calls": r.calls,
                    "main": r.page.main,
                }
                for r in results
            }
            Path(options["json"]).write_text(json.dumps(figures, ensure_ascii=False, indent=1))
