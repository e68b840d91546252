"""manage.py bench_city: build the large city for the benchmarks (PostgreSQL, a few minutes)."""

import datetime
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from benchmarks.city import ACCOUNTS, PASSWORD, Scale, city_generate
from benchmarks.loader import tables_truncate
from cases.models import Case
from sozialraum.models import Region


class Command(BaseCommand):
    help = (
        "Erzeugt die Großstadt für die Benchmarks: 10 Regionen, 40 Sozialräume, 200 Träger, "
        "2.000 Partner, 100.000 Fälle, 1.000.000 Buchungen über drei Jahre (aus einem Seed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=8)
        parser.add_argument("--cases", type=int, default=Scale.cases)
        parser.add_argument("--ledger-entries", type=int, default=Scale.ledger_entries)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Stichtag (JJJJ-MM-TT); mit Seed und Stichtag sind die Daten gleich.",
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Vorhandene Daten der Portal-Tabellen vorher löschen (nur PostgreSQL).",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Nicht im Betrieb: der Generator ist nur für Benchmarks.")
        if Region.objects.exists() or Case.objects.exists():
            if not options["flush"]:
                raise CommandError(
                    "Die Datenbank enthält schon Daten. Leere Datenbank verwenden oder --flush."
                )
            tables_truncate()
        scale = Scale(cases=options["cases"], ledger_entries=options["ledger_entries"])
        began = time.perf_counter()
        summary = city_generate(
            scale=scale, seed=options["seed"], today=options["today"], out=self.stdout.write
        )
        for label, count in sorted(summary.counts.items()):
            self.stdout.write(f"  {label:45} {count:>10,}".replace(",", "."))
        self.stdout.write(
            f"Fertig in {time.perf_counter() - began:.0f} s (Stichtag {summary.today}, "
            f"Jahre {', '.join(map(str, summary.years))})."
        )
        call_command("reconcile_budgets", stdout=self.stdout)
        self.stdout.write(f"Konten: {', '.join(ACCOUNTS.values())}; Passwort: {PASSWORD}")
